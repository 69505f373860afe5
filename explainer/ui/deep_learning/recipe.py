"""Section 4 of the "Deep learning" page: Karpathy's recipe for training, one check at a time."""

import streamlit as st

from explainer.deep_learning.experiment import ExperimentResult
from explainer.deep_learning.recipe import LN10, LR_NAMES, configure
from explainer.runs.result import derived
from explainer.ui import charts, jobs, presenter
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


def _experiment(config) -> ExperimentResult | None:
    """The experiment's result, or None while its job runs (a second or two: it starts on its own and its
    progress is shown; the default settings ship trained)."""
    run = jobs.finished(config, what="this experiment", key="recipe", autostart=True)
    return None if run is None else derived(run, "experiment", lambda: ExperimentResult.of(run))


def _recipe_columns():
    return st.columns([1.9, 1], gap="large")


def _init_loss(url, seed: int, knob) -> None:
    with knob:
        scale = url.widget(st.segmented_control, "iscale", "Scale of the badly initialised last layer", required=True,
                           format_func=lambda v: f"×{v}")
    result = _experiment(configure("init_loss", scale, seed))
    if result is None:
        return
    chart, side = _recipe_columns()
    charts.show(plots.run_curves(result.curves, "train_loss", y_title="training loss",
                                 reference=(LN10, "ln 10 ≈ 2.303: chance")), container=chart)
    with side:
        st.markdown("**Verify the loss at initialisation**")
        st.latex(r"L_{\text{init}} = -\ln\tfrac{1}{10} = \ln 10 \approx 2.303")
        a, b = st.columns(2)
        small, default, large = result.runs
        a.metric("Expected", f"{LN10:.3f}", help="ln 10: a uniform guess over 10 classes.")
        b.metric("Measured, ×0.01", f"{small.initial_loss:.3f}", help="Loss at step 0 with a small last layer.")
        a.metric("Measured, ×1", f"{default.initial_loss:.3f}", help="PyTorch's default initialisation.")
        b.metric(f"Measured, ×{scale}", f"{large.initial_loss:.3f}",
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
    result = _experiment(configure("overfit_one_batch", batch, seed))
    if result is None:
        return
    chart, side = _recipe_columns()
    charts.show(plots.run_curves(result.curves, "train_loss", y_title="loss", dashed="val_loss",
                                 reference=(LN10, "ln 10")), container=chart)
    with side:
        st.markdown("**Overfit one batch**")
        run = result.runs[0]
        st.metric("Loss on the batch", f"{run.final_train_loss:.4f}",
                  delta=f"{run.final_train_loss - run.initial_loss:+.3f}", delta_color="inverse")
        st.metric("Accuracy on the batch", f"{run.final_train_acc:.0%}")
        st.metric("Validation loss", f"{run.final_val_loss:.3f}", help="On digits it never saw: still high.")
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
    result = _experiment(configure("input_independent_baseline", None, seed))
    if result is None:
        return
    chart, side = _recipe_columns()
    entropy = result.label_entropy
    charts.show(plots.run_curves(result.curves, "val_loss", y_title="validation loss",
                                 reference=(entropy, f"label entropy ≈ {entropy:.3f}")), container=chart)
    with side:
        st.markdown("**An input-independent baseline**")
        real, zeroed = result.run("real inputs"), result.run("inputs zeroed")
        st.metric("Validation loss, real inputs", f"{real.final_val_loss:.3f}")
        st.metric("Validation loss, inputs set to zero", f"{zeroed.final_val_loss:.3f}")
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
    result = _experiment(configure("learning_rates", opt, seed))
    if result is None:
        return
    chart, side = _recipe_columns()
    charts.show(plots.run_curves(result.curves, "train_loss", y_title="training loss",
                                 reference=(LN10, "ln 10: chance")), container=chart)
    with side:
        st.markdown(f"**Three learning rates, {opt.upper()}**")
        for name, run in zip(LR_NAMES, result.runs, strict=True):
            value = "diverged" if run.diverged else f"{run.final_val_loss:.3f}"
            st.metric(f"{name} (η = {run.setting:g}): validation loss", value)
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
    result = _experiment(configure("overfitting", wd, seed))
    if result is None:
        return
    charts.show(plots.overfitting_grid(result.curves))
    rows = [{"training examples": run.n_train, "weight decay λ": f"{run.setting:g}",
             "train loss": run.final_train_loss, "validation loss": run.final_val_loss,
             "gap (val − train)": run.gap, "validation accuracy": run.final_val_acc} for run in result.runs]
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

