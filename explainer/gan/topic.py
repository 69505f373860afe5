"""The GANs topic's registration (explainer.registration): its presets ship, with the digits classifier that
scores the image GAN."""
from explainer.registration import PageSpec, Topic


def shipped_runs() -> dict:
    from explainer.gan.classifier import ClassifierConfig
    from explainer.gan.presets import PRESETS

    return PRESETS | {"gan-digits-classifier": ClassifierConfig()}


def _thumbnail() -> bytes | None:
    from explainer import thumbnails

    return thumbnails.gan_lab()


TOPIC = Topic(order=40, shipped_runs=shipped_runs, pages=(
    PageSpec("site_pages/gan.py", "GANs", ":material/compare_arrows:", "Generative models", "gans",
             "GAN Lab in real PyTorch: train live, replay the snapshots, compare two runs, the math, image GANs.",
             thumbnail=_thumbnail, demo="explainer.ui.gan.demo"),
))
