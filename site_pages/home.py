"""Home: what the site is, the map of topics, how to use it in a talk, where compute runs."""
import streamlit as st

from explainer.site import PAGES, thumbnail_path
from explainer.ui import presenter
from explainer.ui.sidebar import device_line
from explainer.ui.url_state import UrlState

st.title("Deep learning you can poke")
UrlState("home", [])  # no knobs; still drops unknown link keys and shows the link notices (e.g. present=)
st.markdown(
    "#### Real PyTorch models, trained live, measured, and ready for a talk."
)
presenter.prose(
    """
This site teaches how neural networks learn and fail through demos that train **real PyTorch models**
on the server, on a GPU when there is one. Change a knob and watch the consequence: a loss curve, a decision
boundary, a generator that covers every mode of its data or collapses onto a few. Every result (a loss, an
accuracy, a sample, a count of modes) is measured from a model that was actually trained, not drawn by hand;
the charts that illustrate a formula, and the backprop graph, are computed from the formula itself.

The themes follow the teaching of Andrej Karpathy: backpropagation you can see (his *micrograd* and the post
*Yes you should understand backprop*), the habits of *A Recipe for Training Neural Networks*, what a
convolutional network looks at (the Stanford course CS231n he taught with Fei-Fei Li), networks that
drive (he directed AI and Autopilot Vision at Tesla from 2017 to 2022), and generative adversarial networks
(he co-wrote OpenAI's 2016 post *Generative Models*).

**Who it is for:** anyone curious enough to click (every page reads well without touching anything),
learners who want to change one thing and see what happens, and speakers who need a demo that is instant,
the same every time, and readable from the back of the room.
""",
    label="What this site is",
)

st.header("Map of topics")
topics = [p for p in PAGES if not p.default]
if topics:
    per_row = min(3, len(topics))
    for first in range(0, len(topics), per_row):  # row by row, so the map reads (and is read) in site order
        for column, page in zip(st.columns(per_row), topics[first:first + per_row], strict=False):
            with column.container(border=True):
                st.page_link(page.script, label=page.title, icon=page.icon)
                if thumbnail_path(page).exists():  # drawn from the run the page shows first (ship-presets)
                    st.image(str(thumbnail_path(page)), width="stretch")
                st.caption(page.summary)
else:
    st.info("The topic pages are being built; each appears here, and in the navigation, as soon as it exists.",
            icon=":material/construction:")

st.header("Using it in a talk")
st.markdown(
    """
- **Give a talk in three steps**: open **Talk** and pick a deck, or build your own with *Add to my talk* in the
  sidebar of any page; present it full screen and move with → and ← (a clicker's PageDown and PageUp work too);
  open the same link with `&view=speaker` in a second window for your notes and the next slide.
- **Presenter mode**: turn on *Presenter mode* in the sidebar, or add `?present=1` to any link. Type gets
  larger, the sidebar and toolbar get out of the way, and body text folds into expanders so the slide is the
  picture. It stays on as you move between pages.
- **Links that carry a demo**: every knob of a demo is written into the page's address as you change it.
  Copy the address into your slides and the link opens that exact demo, with the same seed and therefore
  the same result. A link with a bad or out-of-range value opens anyway, with a note saying what was fixed.
- **Warm the cache before you speak**: trained runs are stored on disk and reused, so a demo that was trained
  once appears instantly after that. Run `python -m explainer warm` on the presenting machine beforehand to
  train every demo the pages use.
"""
)

st.header("Where the compute runs")
presenter.prose(
    f"""
Models train **on the machine that serves this site**, not in your browser, so they can be real PyTorch
models and use a GPU. The engine picks a CUDA GPU if there is one, else an Apple GPU (MPS), else the CPU.
Training runs in background jobs: the page stays responsive, shows progress, and many viewers asking for
the same demo share one job. Finished runs are cached on disk, keyed by their exact settings.

- This server computes on: **{device_line()}**
- Trained runs are cached on this server's disk (`EXPLAINER_CACHE_DIR` moves the cache)
""",
    label="How training is served",
)

st.header("References")
st.markdown(
    """
- A. Karpathy, *micrograd*, a tiny scalar autograd engine and neural-net library (GitHub, 2020).
- A. Karpathy, "Yes you should understand backprop", Medium, 19 Dec 2016.
- A. Karpathy, "A Recipe for Training Neural Networks", blog, 25 Apr 2019.
- Stanford CS231n, *Convolutional Neural Networks for Visual Recognition*, first taught in Winter 2015 by
  Fei-Fei Li and A. Karpathy.
- A. Karpathy, P. Abbeel, G. Brockman, et al., "Generative Models", OpenAI blog, 16 Jun 2016.
- I. Goodfellow, J. Pouget-Abadie, M. Mirza, B. Xu, D. Warde-Farley, S. Ozair, A. Courville, Y. Bengio,
  "Generative Adversarial Nets", NIPS 2014.
"""
)
