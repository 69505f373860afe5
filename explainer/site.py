"""The site's pages: one list that the app's navigation, the home page's map and the tests all read.

Add a page here and it appears in the navigation, on the home page's map, and in the browser test.
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class PageSpec:
    script: str  # path relative to the repository root
    title: str
    icon: str  # a Streamlit material icon
    section: str  # navigation group
    url_path: str
    summary: str  # one line for the home page's map
    default: bool = False  # the page served at "/"


PAGES: list[PageSpec] = [
    PageSpec("site_pages/home.py", "Home", ":material/home:", "Start", "home",
             "What this site is, the map of topics, and how to use it in a talk.", default=True),
    PageSpec("site_pages/deep_learning.py", "Deep learning", ":material/school:", "Learn", "deep-learning",
             "Backprop you can see, a playground that trains live, a CNN you can open, the recipe for training."),
    PageSpec("site_pages/interpretability.py", "Interpretability", ":material/visibility:", "Learn",
             "interpretability", "Six attribution maps side by side, the sanity checks that expose them, t-SNE of "
             "what the network learned, adversarial examples."),
    PageSpec("site_pages/driving.py", "Autonomous driving", ":material/directions_car:", "Learn", "driving",
             "A real simulator: the stack replayed, why imitation drifts (BC vs DAgger), the data engine."),
    PageSpec("site_pages/gan.py", "GANs", ":material/compare_arrows:", "Generative models", "gans",
             "GAN Lab in real PyTorch: train live, replay the snapshots, compare two runs, the math, image GANs."),
    PageSpec("site_pages/mode_collapse.py", "Mode collapse", ":material/scatter_plot:", "Generative models",
             "mode-collapse", "The same GAN over many seeds, measured with the PacGAN protocol; remedies compared."),
]


# Slow imports that pages need, paid once in the background when a server starts (explainer.runs.jobs.warm_up)
WARM_IMPORTS = ("captum.attr",)  # about 0.6 s alone, with matplotlib under it


def sections() -> dict[str, list[PageSpec]]:
    """Pages grouped by section, in registration order."""
    grouped: dict[str, list[PageSpec]] = {}
    for page in PAGES:
        grouped.setdefault(page.section, []).append(page)
    return grouped


def url_of(page: PageSpec) -> str:
    """The path a browser loads: Streamlit serves the default page at "/", not at its url_path."""
    return "" if page.default else page.url_path


def shipped_runs() -> dict:
    """Every topic's runs that ship trained (name -> config): `python -m explainer ship-presets` writes them to
    explainer/presets/ and `warm` trains them into the cache. A topic with trained defaults adds its list here."""
    from explainer.deep_learning.presets import PRESETS as DEEP_LEARNING
    from explainer.driving.presets import PRESETS as DRIVING
    from explainer.gan.classifier import ClassifierConfig
    from explainer.gan.presets import PRESETS as GAN
    from explainer.interpretability.presets import PRESETS as INTERPRETABILITY

    return GAN | {"gan-digits-classifier": ClassifierConfig()} | DEEP_LEARNING | INTERPRETABILITY | DRIVING
