"""Section ④ of the "Deep learning" page: Karpathy's recipe for training, one check at a time."""

import streamlit as st

from explainer.deep_learning.experiment import ExperimentResult
from explainer.deep_learning.recipe import LN10, LR_NAMES, configure
from explainer.runs.result import derived
from explainer.ui import charts, jobs, presenter
from explainer.ui.deep_learning import plots
from explainer.ui.deep_learning.params import (
    EXPERIMENT_LABELS,
    OPTIMIZER_LABELS,
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
baselines; overfit; regularise; tune; and only then squeeze out the last few percent. The first three experiments
below are checks from the skeleton stage (the loss at initialisation, overfitting one batch, an input-independent
baseline); the learning rate belongs to the overfit and tune stages, and the last, more data against an L2 penalty,
to the regularise stage. Each runs
live on the 8×8 digits with a small network (64 pixels → hidden layer with ReLU → 10 scores, cross-entropy loss,
Adam unless said otherwise).
""",
        label="The recipe in brief",
    )
    exp = url.widget(st.segmented_control, "exp", "Experiment", format_func=EXPERIMENT_LABELS.get, required=True)
    knob, seed_column, _ = st.columns([1.7, 0.8, 2.5], gap="medium")
    with seed_column:
        seed = url.widget(st.number_input, "rseed", "Seed", step=1,
                          help="Same seed, same numbers; change it to see the result is not a fluke.")
    with knob:
        setting = SETTING_WIDGETS[exp](url)
    result = _experiment(configure(exp, setting, seed))
    if result is not None:
        RECIPE[exp](result, setting)


def _experiment(config) -> ExperimentResult | None:
    """The experiment's result, or None while its job runs (a second or two: it starts on its own and its
    progress is shown; the default settings ship trained)."""
    run = jobs.finished(config, what="this experiment", key="recipe", autostart=True)
    return None if run is None else derived(run, "experiment", lambda: ExperimentResult.of(run))


def _recipe_columns():
    return st.columns([1.9, 1], gap="large")


def _init_loss(result: ExperimentResult, scale) -> None:
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
initialisation it should be $-\\ln(1/10) = \\ln 10 \\approx 2.303$. The recipe's skeleton stage says to verify
this number ("verify loss @ init"): it costs nothing, and a different value means the output layer or the loss is
not what you think.
A last layer with small weights makes every score ≈ 0, hence a uniform softmax and exactly ln 10 (PyTorch's default
initialisation is close). {init_sentences(result, scale)}
""",
        label="Why ln 10?",
    )


def _below_chance_step(result, run) -> int | None:
    """The first logged step at which `run`'s training loss is below ln 10, or None."""
    rows = result.curves[(result.curves["run"] == run.label) & (result.curves["train_loss"] < LN10)]
    return None if rows.empty else int(rows["step"].iloc[0])


def init_sentences(result: ExperimentResult, scale) -> str:
    """What the scaled-up last layer did, in words chosen from the measured numbers (result.runs: ×0.01, ×1,
    ×scale): how far above ln 10 it started, and whether it caught up with the default initialisation."""
    _, default, large = result.runs
    excess = large.initial_loss - LN10
    start = f"Scaled up ×{scale}, the last layer starts at a loss of {large.initial_loss:.3f}"
    if excess < 0.25:
        text = (f"{start}, only {excess:.2f} above ln 10: at this scale the scores are still small, the check "
                "barely notices, and the curve has no hockey stick to speak of. Try a larger scale.")
    else:
        size = "far above" if excess >= 1.0 else "above"
        text = (f"{start}, {size} ln 10 (+{excess:.2f}): large random scores make the network confidently wrong "
                "about many digits, and its first steps go into undoing that (the steep \"hockey stick\" at the "
                "start of its curve).")
        back = _below_chance_step(result, large)
        if back is not None and back > 0:
            text += f" Its loss is back below ln 10 by step {back}."
    steps = int(result.curves["step"].max())
    if large.final_train_loss <= default.final_train_loss * 1.1:
        text += (f" After {steps} steps its training loss is {large.final_train_loss:.3f}, against "
                 f"{default.final_train_loss:.3f} with PyTorch's default: on this small, easy problem it "
                 f"{'overtook' if large.final_train_loss < default.final_train_loss else 'caught up with'} the "
                 "default on the training loss (this experiment measures no validation loss).")
        if excess >= 0.25:
            text += " What matters is that the loss at step 0 flagged the problem before any training."
    else:
        text += (f" After {steps} steps its training loss is still {large.final_train_loss:.3f}, against "
                 f"{default.final_train_loss:.3f} with PyTorch's default: the bad start cost it.")
    return text


def overfitting_sentences(result: ExperimentResult) -> str:
    """The overfitting experiment's reading, from its four runs (n small, n large) × (λ = 0, λ > 0)."""
    runs = {(r.n_train, r.setting > 0): r for r in result.runs}
    small_n, large_n = sorted({r.n_train for r in result.runs})
    bare, more = runs[small_n, False], runs[large_n, False]
    l2 = runs[small_n, True]
    lam = l2.setting
    text = (f"With {small_n} training digits and no penalty the network memorises them: its training loss ends at "
            f"{bare.final_train_loss:.3f} while the validation loss is {bare.final_val_loss:.3f}, a gap of "
            f"{bare.gap:.3f}; that gap is overfitting. ")
    if more.gap < bare.gap:
        share = 1 - more.gap / bare.gap
        text += (f"{large_n // small_n} times more data brings the gap down to {more.gap:.3f} "
                 f"({share:.0%} smaller{': most of the gap closed' if share > 0.5 else ''}) and the validation loss to "
                 f"{more.final_val_loss:.3f}. ")
    else:
        text += f"With {large_n} digits the gap is {more.gap:.3f}: more data did not narrow it here. "
    text += (f"The L2 penalty λ = {lam:g} (pulling every weight towards zero) raises the training loss on "
             f"{small_n} digits to {l2.final_train_loss:.3f} and makes the gap {l2.gap:.3f}")
    if l2.final_val_loss < bare.final_val_loss:
        text += f", and the validation loss falls to {l2.final_val_loss:.3f}."
    else:
        text += (f", but the validation loss is {l2.final_val_loss:.3f}, no better than without it: at this "
                 "strength the penalty mostly makes the network underfit.")
    return text


CHANCE = 0.1  # ten digits: a uniform guess is right one time in ten
ABOVE_CHANCE = 2 * CHANCE  # validation accuracy from here on counts as learning something that transfers


def overfit_sentence(run, batch: int) -> str:
    """What the one-batch run's validation numbers say, from accuracy against chance and the loss together: a
    validation loss above ln 10 with accuracy far above chance is partial generalisation with confident mistakes,
    not a failure to learn."""
    acc, loss = run.final_val_acc, run.final_val_loss
    seen = (f"The dashed line is the loss on validation digits the network never saw: {loss:.3f}, with {acc:.0%} "
            f"of them right (chance: {CHANCE:.0%}).")
    gap = (f" The gap between {run.final_train_loss:.4f} on the batch and {loss:.3f} on new digits is "
           "memorisation.")
    if acc < ABOVE_CHANCE:
        return seen + f" Close to chance: memorising {batch} examples taught it next to nothing about new digits."
    if loss > LN10:
        return seen + (
            f" So it generalises partly ({acc / CHANCE:.0f}× chance), yet its loss is worse than the ln 10 of a "
            "uniform guess: it is over-confident where it is wrong. Cross-entropy charges −ln p for the right "
            "digit's probability p, so one confident mistake (p = 0.001 costs 6.9) outweighs many right answers "
            "(p = 0.9 costs 0.1), while accuracy only asks whether the top guess is right." + gap)
    return seen + f" {batch} examples already teach it much of the task." + gap


def _overfit_one_batch(result: ExperimentResult, batch) -> None:
    chart, side = _recipe_columns()
    charts.show(plots.run_curves(result.curves, "train_loss", y_title="loss", dashed="val_loss",
                                 reference=(LN10, "ln 10")), container=chart)
    with side:
        st.markdown("**Overfit one batch**")
        run = result.runs[0]
        st.metric("Loss on the batch", f"{run.final_train_loss:.4f}",
                  delta=f"{run.final_train_loss - run.initial_loss:+.3f}", delta_color="inverse")
        st.metric("Accuracy on the batch", f"{run.final_train_acc:.0%}")
        st.metric("Validation loss", f"{run.final_val_loss:.3f}", help="On digits it never saw.")
    presenter.prose(
        f"""
Train on a single batch of {batch} digits and nothing else. A network with enough capacity must drive the loss on
those examples to about zero (100% accuracy on them). If it cannot, something is broken (labels that do not match
their images, a bug in the loss, a learning rate of zero) and no amount of tuning will help, so this is the cheapest
bug test there is. {overfit_sentence(run, batch)}
""",
        label="Why overfit on purpose?",
    )


def _baseline(result: ExperimentResult, _) -> None:
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


def _learning_rates(result: ExperimentResult, opt) -> None:
    chart, side = _recipe_columns()
    charts.show(plots.run_curves(result.curves, "train_loss", y_title="training loss",
                                 reference=(LN10, "ln 10: chance")), container=chart)
    with side:
        st.markdown(f"**Three learning rates, {OPTIMIZER_LABELS[opt]}**")
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


def _overfitting(result: ExperimentResult, wd) -> None:
    charts.show(plots.overfitting_grid(result.curves))
    rows = [{"training examples": run.n_train, "L2 penalty λ": f"{run.setting:g}",
             "train loss": run.final_train_loss, "validation loss": run.final_val_loss,
             "gap (val − train)": run.gap, "validation accuracy": run.final_val_acc} for run in result.runs]
    st.dataframe(rows, hide_index=True, width="stretch", column_config={
        c: st.column_config.NumberColumn(format="%.3f") for c in ("train loss", "validation loss", "gap (val − train)")
    } | {"validation accuracy": st.column_config.NumberColumn(format="percent")})
    st.latex(r"L_\lambda = L + \frac{\lambda}{2}\sum w^2 \quad\Rightarrow\quad g = \nabla L + \lambda w")
    presenter.prose(
        rf"""
{overfitting_sentences(result)}

This is the recipe's regularise stage, after a model big enough to overfit, and its first advice there is more
real training data. The penalty enters as $\lambda w$ added to every parameter's gradient (the biases' too, here);
the losses shown are the cross-entropy alone, without the penalty term. Under Adam that gradient is rescaled by
Adam's per-weight step size: an L2 penalty, not the decoupled weight decay of AdamW (Loshchilov & Hutter, ICLR
2019), although for plain SGD the two coincide (with a decay rate of η·λ). The playground of section ② leaves
the biases out of its penalty, as is common; this experiment penalises them too.
""",
        label="Reading the gap",
    )


SETTING_WIDGETS = {  # each experiment's one setting, as a URL-bound widget (None: it has none)
    "init_loss": lambda url: url.widget(st.segmented_control, "iscale", "Scale of the badly initialised last layer",
                                        required=True, format_func=lambda v: f"×{v}"),
    "overfit_one_batch": lambda url: url.widget(st.segmented_control, "obatch", "Batch size", required=True),
    "input_independent_baseline": lambda url: None,
    "learning_rates": lambda url: url.widget(st.segmented_control, "ropt", "Optimiser", required=True,
                                             format_func=OPTIMIZER_LABELS.get),
    "overfitting": lambda url: url.widget(st.select_slider, "wd", "L2 penalty λ for the regularised runs",
                                          options=WEIGHT_DECAYS, format_func=lambda v: f"{v:g}"),
}
RECIPE = {"init_loss": _init_loss, "overfit_one_batch": _overfit_one_batch, "input_independent_baseline": _baseline,
          "learning_rates": _learning_rates, "overfitting": _overfitting}

