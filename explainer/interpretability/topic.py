"""The Interpretability topic's registration (explainer.registration)."""
from explainer.registration import PageSpec, Topic


def shipped_runs() -> dict:
    from explainer.interpretability.presets import PRESETS

    return PRESETS


def _thumbnail() -> bytes | None:
    from explainer import thumbnails

    return thumbnails.saliency()


TOPIC = Topic(order=20, shipped_runs=shipped_runs, warm_imports=("captum.attr",),  # ≈0.6 s, matplotlib under it
              pages=(
    PageSpec("site_pages/interpretability.py", "Interpretability", ":material/visibility:", "Learn",
             "interpretability", "Six attribution maps side by side, the sanity checks that expose them, t-SNE of "
             "what the network learned, adversarial examples.",
             thumbnail=_thumbnail, demo="explainer.ui.interpretability.demo"),
))
