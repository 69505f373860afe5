"""The Autonomous driving topic's registration (explainer.registration)."""
from explainer.registration import PageSpec, Topic


def shipped_runs() -> dict:
    from explainer.driving.presets import PRESETS

    return PRESETS


def _thumbnail() -> bytes | None:
    from explainer import thumbnails

    return thumbnails.driving()


TOPIC = Topic(order=30, shipped_runs=shipped_runs, pages=(
    PageSpec("site_pages/driving.py", "Autonomous driving", ":material/directions_car:", "Learn", "driving",
             "A real simulator: the stack replayed, end-to-end steering, cloning vs DAgger at equal data, the data "
             "engine.",
             thumbnail=_thumbnail, demo="explainer.ui.driving.demo"),
))
