"""The Mode collapse topic's registration (explainer.registration). Its runs are the GAN topic's presets."""
from explainer.registration import PageSpec, Topic


def _thumbnail() -> bytes | None:
    from explainer import thumbnails

    return thumbnails.mode_collapse()


TOPIC = Topic(order=50, pages=(
    PageSpec("site_pages/mode_collapse.py", "Mode collapse", ":material/scatter_plot:", "Generative models",
             "mode-collapse", "The same GAN over many seeds, measured with the PacGAN protocol; remedies compared.",
             thumbnail=_thumbnail, demo="explainer.ui.mode_collapse.demo"),
))
