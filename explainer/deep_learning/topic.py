"""The Deep learning topic's registration (explainer.registration)."""
from explainer.registration import PageSpec, Topic


def shipped_runs() -> dict:
    from explainer.deep_learning.presets import PRESETS

    return PRESETS


def _thumbnail() -> bytes | None:
    from explainer import thumbnails

    return thumbnails.cnn_filters()


TOPIC = Topic(order=10, shipped_runs=shipped_runs, pages=(
    PageSpec("site_pages/deep_learning.py", "Deep learning", ":material/school:", "Learn", "deep-learning",
             "Backprop you can see, a playground that trains live, a CNN you can open, the recipe for training.",
             thumbnail=_thumbnail, demo="explainer.ui.deep_learning.demo"),
))
