"""Attribution maps of the digits CNN with Captum: which pixels the network's score for a class depends on.

Every method answers "how much does pixel (i, j) matter for the score z_c of class c" (z: the logits) in its own
way; each is Captum's implementation, with the steps and samples capped so one 8×8 map costs milliseconds on a CPU
(see `CAPS` and bench/interpretability.py). A map is an (8, 8) float array in the units of the logit per pixel
value, signed: positive pixels push z_c up, negative ones down.
"""
import copy
import warnings
from dataclasses import dataclass

import numpy as np
import torch
from scipy.ndimage import gaussian_filter

from explainer.seeding import numpy_rng, torch_generator
from explainer.threads import one_thread

CAPS = {"ig_steps": 32, "smoothgrad_samples": 16, "smoothgrad_sigma": 0.15, "occlusion_window": 2}
BASELINES = {"zero": "a black image (no ink)", "blurred": "the input blurred (Gaussian, σ = 1.5 px)",
             "noise": "uniform noise over the pixel range (seeded)"}


@dataclass(frozen=True)
class Method:
    name: str
    label: str
    formula: str  # LaTeX, one line
    paper: str
    colour: str  # what the colour of its map means, for the colour bar's title
    short: str = ""  # a title that fits a sixth of a slide

    @property
    def short_label(self) -> str:
        return self.short or self.label


METHODS: dict[str, Method] = {m.name: m for m in [
    Method("saliency", "Gradient (saliency)",
           r"A_{ij} = \partial z_c / \partial x_{ij}",
           "Simonyan, Vedaldi & Zisserman, ICLR 2014 workshop", "∂z/∂x", "Gradient"),
    Method("integrated_gradients", "Integrated Gradients",
           r"A_{ij} = (x_{ij}-x'_{ij}) \int_0^1 \frac{\partial z_c(x' + \alpha (x - x'))}{\partial x_{ij}}"
           r"\, d\alpha",
           "Sundararajan, Taly & Yan, ICML 2017", "logit contribution", "Int. Gradients"),
    Method("smoothgrad", "SmoothGrad",
           r"A = \frac{1}{n}\sum_{k=1}^{n} \nabla_x z_c(x + \varepsilon_k),\;"
           r"\varepsilon_k \sim \mathcal{N}(0, \sigma^2)",
           "Smilkov, Thorat, Kim, Viégas & Wattenberg, 2017", "mean ∂z/∂x"),
    Method("gradcam", "Grad-CAM",
           r"A = \mathrm{ReLU}\Big(\sum_k \alpha_k F^k\Big),\;"
           r"\alpha_k = \frac{1}{HW}\sum_{ij} \frac{\partial z_c}{\partial F^k_{ij}}",
           "Selvaraju, Cogswell, Das, Vedantam, Parikh & Batra, ICCV 2017", "class activation"),
    Method("guided_backprop", "Guided Backprop",
           r"\text{the gradient, but each ReLU passes back only positive gradients}",
           "Springenberg, Dosovitskiy, Brox & Riedmiller, ICLR 2015 workshop", "guided ∂z/∂x", "Guided BP"),
    Method("occlusion", "Occlusion",
           r"A_{ij} = \operatorname{mean}_{\text{2×2 windows } W \ni (i,j)} \big[z_c(x) - z_c(x_{W = 0})\big]",
           "Zeiler & Fergus, ECCV 2014", "drop in z when hidden"),
]}


def baseline(image: np.ndarray, kind: str = "zero", seed: int = 0) -> np.ndarray:
    """Integrated Gradients' starting image x′ for an (8, 8) image in 0..16 (see BASELINES)."""
    if kind == "zero":
        return np.zeros_like(image, dtype=np.float32)
    if kind == "blurred":
        return gaussian_filter(np.asarray(image, dtype=np.float32), sigma=1.5, mode="constant")
    if kind == "noise":
        return numpy_rng(seed, "noise").uniform(0, 16, size=np.shape(image)).astype(np.float32)
    raise ValueError(f"unknown baseline {kind!r}: choose one of {', '.join(BASELINES)}")


def _input(image) -> torch.Tensor:
    x = torch.as_tensor(np.asarray(image, dtype=np.float32)).reshape(1, 1, 8, 8).clone()
    if not torch.isfinite(x).all():
        raise ValueError("the image contains NaN or infinite values")
    return x.requires_grad_()


def attribute(model: torch.nn.Module, image, method: str, target: int, baseline_kind: str = "zero",
              seed: int = 0) -> np.ndarray:
    """One method's (8, 8) attribution map of `image` (8×8 in 0..16) for class `target`. Deterministic for a seed
    (SmoothGrad's noise, the noise baseline). Works on a private copy of the model: Captum's hooks on a model
    that another thread (another viewer) runs at the same time would change both answers."""
    from captum import attr  # imported on first use: importing captum costs about a second

    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}: choose one of {', '.join(METHODS)}")
    model = copy.deepcopy(model).eval()
    x = _input(image)
    with one_thread(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Captum warns about hooks and requires_grad on every call
        if method == "saliency":
            a = attr.Saliency(model).attribute(x, target=target, abs=False)
        elif method == "integrated_gradients":
            x0 = _input(baseline(np.asarray(image), baseline_kind, seed)).detach()
            a = attr.IntegratedGradients(model).attribute(x, baselines=x0, target=target, n_steps=CAPS["ig_steps"])
        elif method == "smoothgrad":
            a = smoothgrad(attr.Saliency(model), x, target, torch_generator(seed, "noise"))
        elif method == "gradcam":
            cam = attr.LayerGradCam(model, model.conv2).attribute(x, target=target, relu_attributions=True)
            a = attr.LayerAttribution.interpolate(cam, (8, 8), interpolate_mode="bilinear")
        elif method == "guided_backprop":
            a = attr.GuidedBackprop(model).attribute(x, target=target)
        else:
            w = CAPS["occlusion_window"]
            a = attr.Occlusion(model).attribute(x, sliding_window_shapes=(1, w, w), strides=(1, 1, 1),
                                                baselines=0.0, target=target)
    return a.detach().reshape(8, 8).numpy().astype(np.float32)


def smoothgrad(saliency, x: torch.Tensor, target: int, gen: torch.Generator) -> torch.Tensor:
    """SmoothGrad (Smilkov et al. 2017): the mean of Captum's Saliency over CAPS["smoothgrad_samples"] copies of x
    with N(0, (σ·16)²) noise added (σ = CAPS["smoothgrad_sigma"] of the pixel range). What Captum's NoiseTunnel
    computes, with the noise drawn from `gen`: NoiseTunnel draws from torch's global generator, which other
    viewers' jobs share."""
    n, sigma = CAPS["smoothgrad_samples"], CAPS["smoothgrad_sigma"] * 16
    noisy = x.detach() + sigma * torch.randn((n, *x.shape[1:]), generator=gen)
    return saliency.attribute(noisy.requires_grad_(), target=target, abs=False).mean(0, keepdim=True)


def attribute_all(model, image, target: int, baseline_kind: str = "zero", seed: int = 0,
                  methods=tuple(METHODS)) -> dict[str, np.ndarray]:
    """Every method's map of one image: {method name: (8, 8)}."""
    return {name: attribute(model, image, name, target, baseline_kind, seed) for name in methods}


def score_change(model, image, target: int, baseline_kind: str = "zero", seed: int = 0) -> float:
    """z_c(x) − z_c(x′): the change in class c's score from the baseline x′ to the image x."""
    with torch.no_grad(), one_thread():
        x0 = _input(baseline(np.asarray(image), baseline_kind, seed)).detach()
        return float(model(_input(image).detach())[0, target] - model(x0)[0, target])


def completeness_gap(model, image, target: int, baseline_kind: str = "zero", seed: int = 0) -> tuple[float, float]:
    """(Σ IG attributions, z_c(x) − z_c(x′)): Integrated Gradients' completeness axiom says they are equal; the
    gap is the error of the Riemann/Gauss–Legendre sum over CAPS["ig_steps"] points."""
    total = float(attribute(model, image, "integrated_gradients", target, baseline_kind, seed).sum())
    return total, score_change(model, image, target, baseline_kind, seed)
