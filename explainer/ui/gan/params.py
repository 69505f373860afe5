"""The "GANs" page's URL parameters: one list for the whole page (lab, compare, math, images), so every knob is a link.

Defaults are the "lab" preset (and "lab-b" for the compare view's second config), which ship trained, so the page
is complete on first load. Ranges come from what the widgets offer; the config checks the rest.
"""
from explainer.gan.config import LOSSES, GANConfig
from explainer.gan.presets import PRESETS
from explainer.ui.gan.points_input import has_points
from explainer.urlstate import BoolParam, ChoiceParam, FloatParam, IntParam, TokenParam

PAGE = "gan"
SECTIONS = {"lab": "Lab", "compare": "Compare two runs", "math": "The math", "images": "Image GAN"}
LAB = PRESETS["lab"]
DATASET_LABELS = {"ring8": "Ring of 8 Gaussians", "grid25": "Grid of 25 Gaussians", "spiral": "Spiral",
                  "moons": "Two moons", "circles": "Circles", "points": "Your own points (draw or upload)"}
LRS = (1e-5, 2e-5, 5e-5, 1e-4, 2e-4, 5e-4, 1e-3, 2e-3, 5e-3, 1e-2, 0.1, 1.0, 10.0)
WIDTHS = (8, 16, 32, 64, 128, 256)
BATCHES = (32, 64, 128, 256, 512)
STEPS = (200, 500, 1000, 2000, 3000, 5000, 10000, 20000)
NOISE = (0.0, 0.05, 0.1, 0.2, 0.5)
EMAS = (0.0, 0.99, 0.999)
IMAGE_STEPS = (500, 1000, 2000, 4000, 6000)


def lab_specs(suffix: str = "", base: GANConfig = LAB) -> list:
    """URL parameters of one GAN config; `suffix` names a second config's (e.g. "_b" for the compare view)."""
    s = suffix
    return [
        ChoiceParam("dataset" + s, base.dataset, tuple(DATASET_LABELS)),
        ChoiceParam("loss" + s, base.loss, LOSSES),
        ChoiceParam("lr_g" + s, base.lr_g, LRS), ChoiceParam("lr_d" + s, base.lr_d, LRS),
        IntParam("d_steps" + s, base.d_steps, 1, 5),
        ChoiceParam("batch" + s, base.batch_size, BATCHES), ChoiceParam("steps" + s, base.steps, STEPS),
        IntParam("seed" + s, base.seed, 0, 9999),
        ChoiceParam("width" + s, base.g_width, WIDTHS), IntParam("depth" + s, base.g_depth, 1, 4),
        IntParam("z" + s, base.z_dim, 1, 32),
        IntParam("pack" + s, base.pack, 1, 4), IntParam("unrolled" + s, base.unrolled_steps, 0, 10),
        BoolParam("mbstd" + s, base.minibatch_std), ChoiceParam("noise" + s, base.instance_noise, NOISE),
        BoolParam("sn" + s, base.spectral_norm), ChoiceParam("ema" + s, base.ema, EMAS),
    ]


def image_specs() -> list:
    """URL parameters of the image GAN: data set, length, seed, and the two samples to interpolate."""
    base = PRESETS["digits"]
    return [ChoiceParam("img_data", base.dataset, ("digits", "mnist")),
            ChoiceParam("img_steps", base.steps, tuple(sorted({*IMAGE_STEPS, base.steps}))),
            IntParam("img_seed", base.seed, 0, 9999), IntParam("from", 0, 0, 15), IntParam("to", 5, 0, 15)]


def specs() -> list:
    """Every URL parameter of the page (keys are unique across sections)."""
    out = [
        ChoiceParam("section", "lab", tuple(SECTIONS)),
        TokenParam("points", "", known=has_points, what="drawn or uploaded point set"),
        *lab_specs(), *lab_specs("_b", base=PRESETS["lab-b"]),
        BoolParam("heatmap", True), BoolParam("manifold", True), BoolParam("arrows", False),  # views.LAYERS
        FloatParam("dgz", 0.05, 0.0, 1.0), *image_specs(),
    ]
    return out

