"""Section 4 of the "Deep learning" page: Karpathy's recipe for training, one check at a time."""

import streamlit as st

from explainer.deep_learning.recipe import (
    LN10,
    BaselineConfig,
    InitConfig,
    LearningRateConfig,
    OverfitBatchConfig,
    OverfittingConfig,
)
from explainer.ui import charts, presenter
from explainer.ui.deep_learning import cache as dl_cache
from explainer.ui.deep_learning import plots
from explainer.ui.deep_learning.params import (
    EXPERIMENT_LABELS,
    WEIGHT_DECAYS,
)


def render(url) -> None:
    """Section ④: one check of Karpathy's recipe at a time, run on the digits."""
    st.header("The recipe for training")
    presenter.prose(
        """
Karpathy's post *A Recipe for Training Neural Networks* (2019) starts from two observations: neural net training is
a leaky abstraction (plugging library layers together does not make them train), and it fails silently (a wrong
setting rarely raises an error; the model just ends up a little worse). His answer is a patient,
step-by-step process: become one with the data; set up the whole training and evaluation skeleton and get dumb
baselines; overfit; regularise; tune; and only then squeeze out the last few percent. Each experiment below is one
check from the skeleton and overfitting stages, run live on the 8×8 digits with a small network
(64 pixels → hidden layer with ReLU → 10 scores, cross-entropy loss, Adam unless said otherwise).
""",
        label="The recipe in brief",
    )
    exp = url.widget(st.segmented_control, "exp", "Experiment", format_func=EXPERIMENT_LABELS.get, required=True)
    knob, seed_column, _ = st.columns([1.7, 0.8, 2.5], gap="medium")
    with seed_column:
        seed = url.widget(st.number_input, "rseed", "Seed", step=1,
                          help="Same seed, same numbers; change it to see the result is not a fluke.")
    RECIPE[exp](url, seed, knob)


def _recipe_columns():
    return st.columns([1.9, 1], gap="large")


def _init_loss(url, seed: int, knob) -> None:
    with knob:
        scale = url.widget(st.segmented_control, "iscale", "Scale of the badly initialised last layer", required=True,
                           format_func=lambda v: f"×{v}")
    config = InitConfig(scales=(0.01, 1.0, float(scale)), seed=seed)
    result = dl_cache.experiment("init_loss", config)
    f = result.figures
    chart, side = _recipe_columns()
    charts.show(plots.run_curves(result.curves, "train_loss", y_title="training loss",
                                 reference=(LN10, "ln 10 ≈ 2.303: chance")), container=chart)
    with side:
        st.markdown("**Verify the loss at initialisation**")
        st.latex(r"L_{\text{init}} = -\ln\tfrac{1}{10} = \ln 10 \approx 2.303")
        a, b = st.columns(2)
        a.metric("Expected", f"{f['expected']:.3f}", help="ln 10: a uniform guess over 10 classes.")
        b.metric("Measured, ×0.01", f"{f['measured']:.3f}", help="Loss at step 0 with a small last layer.")
        a.metric("Measured, ×1", f"{f['measured_x1']:.3f}", help="PyTorch's default initialisation.")
        b.metric(f"Measured, ×{scale}", f"{f[f'measured_x{float(scale):g}']:.3f}",
                 help="The last layer's weights and bias multiplied by this.")
    presenter.prose(
        f"""
Before training, a classifier that knows nothing should spread its belief evenly: probability 1/10 for each of the
10 digits. The cross-entropy of a prediction is $-\\ln$ of the probability it gives the right class, so at
initialisation it should be $-\\ln(1/10) = \\ln 10 \\approx 2.303$. The recipe says to check this number before
anything else: it costs nothing, and a different value means the output layer or the loss is not what you think.
A last layer with small weights makes every score ≈ 0, hence a uniform softmax and exactly ln 10 (PyTorch's default
initialisation is close). Scaled up ×{scale}, the last layer gives large random scores: the network starts out
confidently wrong, far above ln 10, and its first steps go into undoing that (the steep "hockey stick" at the start
of its curve). On this small, easy problem Adam recovers within a few steps, so the harm here is small; what
matters is that the loss at step 0 flagged the problem before any training.
""",
        label="Why ln 10?",
    )


def _overfit_one_batch(url, seed: int, knob) -> None:
    with knob:
        batch = url.widget(st.segmented_control, "obatch", "Batch size", required=True)
    result = dl_cache.experiment("overfit_one_batch", OverfitBatchConfig(batch_size=batch, seed=seed))
    f = result.figures
    chart, side = _recipe_columns()
    charts.show(plots.run_curves(result.curves, "train_loss", y_title="loss", dashed="val_loss",
                                 reference=(LN10, "ln 10")), container=chart)
    with side:
        st.markdown("**Overfit one batch**")
        st.metric("Loss on the batch", f"{f['final_loss']:.4f}", delta=f"{f['final_loss'] - f['initial_loss']:+.3f}",
                  delta_color="inverse")
        st.metric("Accuracy on the batch", f"{f['final_acc']:.0%}")
        st.metric("Validation loss", f"{f['final_val_loss']:.3f}", help="On digits it never saw: still high.")
    presenter.prose(
        f"""
Train on a single batch of {batch} digits and nothing else. A network with enough capacity must drive the loss on
those examples to about zero (100% accuracy on them). If it cannot, something is broken (labels that do not match
their images, a bug in the loss, a learning rate of zero) and no amount of tuning will help, so this is the cheapest
bug test there is. The dashed line is the loss on validation digits the network never saw: memorising {batch}
examples is not learning the task.
""",
        label="Why overfit on purpose?",
    )


def _baseline(url, seed: int, knob) -> None:
    result = dl_cache.experiment("input_independent_baseline", BaselineConfig(seed=seed))
    f = result.figures
    chart, side = _recipe_columns()
    charts.show(plots.run_curves(result.curves, "val_loss", y_title="validation loss",
                                 reference=(f["label_entropy"], f"label entropy ≈ {f['label_entropy']:.3f}")),
                container=chart)
    with side:
        st.markdown("**An input-independent baseline**")
        st.metric("Validation loss, real inputs", f"{f['final_val_loss_real']:.3f}")
        st.metric("Validation loss, inputs set to zero", f"{f['final_val_loss_zeroed']:.3f}")
        st.latex(r"H(y) = -\sum_c q_c \ln q_c \approx \ln 10")
    presenter.prose(
        """
Train the same network twice: once on the real images, once with every pixel set to zero. Without its input the
network can only learn how common each digit is, so its loss stays at the entropy of the label frequencies
$q_c$ (≈ ln 10 here, as the ten digits are about equally common). The real model must do far better; if it does
not, it is not using its input at all, which points to a bug in the data pipeline rather than in the model.
""",
        label="Why a baseline that cannot see?",
    )


def _learning_rates(url, seed: int, knob) -> None:
    with knob:
        opt = url.widget(st.segmented_control, "ropt", "Optimiser", required=True, format_func=str.upper)
    lrs = LearningRateConfig().lrs if opt == "adam" else (1e-3, 0.3, 30.0)
    result = dl_cache.experiment("learning_rates", LearningRateConfig(lrs=lrs, optimizer=opt, seed=seed))
    f = result.figures
    chart, side = _recipe_columns()
    charts.show(plots.run_curves(result.curves, "train_loss", y_title="training loss",
                                 reference=(LN10, "ln 10: chance")), container=chart)
    with side:
        st.markdown(f"**Three learning rates, {opt.upper()}**")
        for name in ("too small", "about right", "too large"):
            key = name.replace(" ", "_")
            value = "diverged" if f[f"diverged_{key}"] else f"{f[f'final_val_loss_{key}']:.3f}"
            st.metric(f"{name} (η = {f[f'lr_{key}']:g}): validation loss", value)
    presenter.prose(
        """
Three runs that differ only in the learning rate η. Too small, and the loss creeps down: the network is learning,
just far too slowly. About right, and it falls fast. Too large, and the first steps overshoot: the loss jumps up,
then either stalls near chance (ln 10) or keeps bouncing around, and in the worst case becomes infinite (the run is
then marked *diverged*). The loss curve over the first few hundred steps is the quickest way to tell which one you
have. Switch to plain SGD to see that the right η depends on the optimiser.
""",
        label="Reading the three curves",
    )


def _overfitting(url, seed: int, knob) -> None:
    with knob:
        wd = url.widget(st.select_slider, "wd", "Weight decay λ for the regularised runs", options=WEIGHT_DECAYS,
                        format_func=lambda v: f"{v:g}")
    config = OverfittingConfig(weight_decays=(0.0, wd), seed=seed)
    result = dl_cache.experiment("overfitting", config)
    f = result.figures
    charts.show(plots.overfitting_grid(result.curves))
    rows = []
    for n in config.train_sizes:
        for decay in config.weight_decays:
            key = f"{n}_wd{decay:g}"
            rows.append({"training examples": n, "weight decay λ": f"{decay:g}",
                         "train loss": f[f"{key}_final_train_loss"], "validation loss": f[f"{key}_final_val_loss"],
                         "gap (val − train)": f[f"{key}_gap"], "validation accuracy": f[f"{key}_final_val_acc"]})
    st.dataframe(rows, hide_index=True, width="stretch", column_config={
        c: st.column_config.NumberColumn(format="%.3f") for c in ("train loss", "validation loss", "gap (val − train)")
    } | {"validation accuracy": st.column_config.NumberColumn(format="percent")})
    st.latex(r"L_\lambda = L + \frac{\lambda}{2}\sum w^2 \quad\Rightarrow\quad g = \nabla L + \lambda w")
    presenter.prose(
        """
With 100 training digits the network memorises them: its training loss goes to about zero while the validation
loss stays far higher, and that gap is overfitting. Ten times more data closes most of the gap. Weight decay (an L2
penalty that pulls every weight towards zero) trades a higher training loss for a smaller gap. This is the order the
recipe recommends: first make a model big enough to overfit, then regularise it, and the best regulariser is more
real training data.
""",
        label="Reading the gap",
    )


RECIPE = {"init_loss": _init_loss, "overfit_one_batch": _overfit_one_batch, "input_independent_baseline": _baseline,
          "learning_rates": _learning_rates, "overfitting": _overfitting}

