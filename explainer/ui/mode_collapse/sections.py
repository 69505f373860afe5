"""The "Mode collapse" page's sections, each a `render(url)`-style function (the page draws them in order; a
talk's slide draws one)."""
import streamlit as st

from explainer.gan.presets import PRESETS
from explainer.mode_collapse import published as paper
from explainer.ui import charts, jobs, presenter
from explainer.ui.mode_collapse import views


def seeds(url) -> None:
    """One configuration trained over many seeds at once, each seed's picture and score."""
    st.header("One configuration, many seeds")
    name = presenter.choice(url, "config", "Configuration", views.LABELS)
    config = PRESETS[name]
    if not presenter.is_phone():  # a phone shows the seeds first; the description follows them
        st.caption(views.DESCRIPTIONS[name])
    jobs.show(config, views.seeds_view, views.live_seeds(config), what=f"the {views.LABELS[name]} run", key="mc",
              retrain_help="Train this configuration again from scratch, live, for you: everyone else keeps the "
              "shipped run. On a CPU the retrain reproduces the shipped numbers exactly (training is seeded and "
              "deterministic there).")
    if presenter.is_phone():
        st.caption(views.DESCRIPTIONS[name])


def measured(url) -> None:
    """The protocol: how a sample, a mode and the reverse KL are scored."""
    st.header("How it is measured")
    presenter.prose(
        """
The protocol of VEEGAN and PacGAN, on the ring of 8 Gaussians (σ = 0.01): draw **2,500 samples** from the
trained generator. A sample is **high quality** if it lies within **3σ** of its nearest mode. A mode is
**covered** if at least one high-quality sample lands on it. **Reverse KL** compares the histogram of
high-quality samples over the modes with the uniform one, KL(p‖u) = Σ p_k ln(p_k · 8) in nats: 0 when every mode
gets an equal share, ln 8 ≈ 2.08 when all samples sit on one mode. (That is how we compute it. PacGAN's table
reports a "reverse KL"; its released code logs the entropy H of the mode histogram, and ln 8 − H is exactly this KL,
so reading their column as this KL against uniform is our inference: see "Where the two settings differ" below.) Even
perfect samples from the real data are only ≈ 98.9% high quality (a 2D Gaussian puts 1 − e^(−4.5) of its mass
within 3σ).
""",
        label="The protocol",
    )


def remedies(url) -> None:
    """The remedies over the same seeds, in a table and two charts."""
    st.header("Remedies compared")
    summary = views.comparison_table()
    if note := views.baseline_note(summary):
        presenter.prose(note, label="What this table can show")
    st.dataframe(views.display_table(summary), hide_index=True)
    st.caption(f"Mean ± standard error over seeds. Seeds are counted one by one: {views.RULE}. A configuration's "
               "note says \"not converged\" when its seeds' mean falls under that line.")
    for column, figure, key in zip(st.columns(2), views.comparison_charts(summary), ("modes", "quality"), strict=True):
        with column:
            charts.show(figure, key=f"comparison-{key}")
    presenter.prose(views.REMEDY_NOTES, label="What each remedy does")


def published(url) -> None:
    """PacGAN's Table 1 beside our shipped runs, and where the two settings differ."""
    st.subheader("Beside the published results")
    presenter.prose(
        "PacGAN (Lin et al., 2018) scored packing with this protocol on the ring of 8 and the grid of 25 (its Table "
        "1). Below, its rows and ours, mean ± standard error: theirs over 10 trials, ours over the seeds of our "
        "shipped runs (\"best\" is one recipe, trained on each data set). The authors' networks are much larger "
        "and train far longer than ours: the two settings are side by side further down.",
        label="The published reference",
    )
    ours = views.our_published_rows()
    ring_table, grid_table = paper.table("ring", ours), paper.table("grid", ours)
    if ring_table is not None and grid_table is not None:
        st.markdown("**Ring of 8** (σ = 0.01)")
        st.table(ring_table.set_index("method"))
        st.markdown("**Grid of 25** (σ = 0.05)")
        st.table(grid_table.set_index("method"))
        src = paper.SOURCE
        st.caption(f"Published rows: {paper.CITATION}; `{src['file']}` in {src['repository']}, commit "
                   f"`{src['commit'][:10]}` (unchanged at `{src['unchanged at'][:10]}`). "
                   f"Caption: \"{src['caption']}\" {src['version note']}")
        st.markdown("\n".join(f"- {sentence}" for sentence in paper.comparisons(paper.cells_of(ours))))
        st.caption("Better or worse: more modes, more high-quality samples and a lower reverse KL are better; "
                   "\"level\" means the gap is within the two standard errors combined.")
    else:
        st.info(
            f"**The published numbers are not shown here.** This site only shows numbers checked against their "
            f"source. Read them in the paper: {paper.CITATION}.",
            icon=":material/menu_book:",
        )
    with st.expander("**Where the two settings differ**: ours and the authors' code, aspect by aspect"):
        st.table(views.protocol_table().set_index(""))
