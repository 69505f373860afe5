"""Deep learning: a neuron and backprop, a playground that trains live, a CNN you can open, the recipe for training.

Layout and widgets only: the models live in explainer/nn, the helpers, caches and figures in explainer/ui/dl_*.
One URL-bound section picker, so a run draws one section (the first render trains nothing).
"""
import math

import streamlit as st
from streamlit_drawable_canvas import st_canvas

from explainer.deep_learning.cnn import LAYERS, CNNConfig, feature_maps, filters, predict_proba
from explainer.deep_learning.graph import BUILDERS, to_dot
from explainer.deep_learning.playground import PlaygroundConfig
from explainer.deep_learning.recipe import (
    LN10,
    BaselineConfig,
    InitConfig,
    LearningRateConfig,
    OverfitBatchConfig,
    OverfittingConfig,
)
from explainer.deep_learning.toy2d import CLASS_RANGE
from explainer.ui import presenter
from explainer.ui.deep_learning import backprop as dl_backprop
from explainer.ui.deep_learning import cache as dl_cache
from explainer.ui.deep_learning import cnn as dl_cnn
from explainer.ui.deep_learning import playground as dl_playground
from explainer.ui.deep_learning import plots
from explainer.ui.deep_learning.params import (
    BATCHES,
    DATASET_LABELS,
    ETAS,
    EXPERIMENT_LABELS,
    EXPRESSIONS,
    GROUPS,
    INPUTS,
    L2S,
    LRS,
    PAGE,
    PLAYGROUND_FIELDS,
    SECTIONS,
    WEIGHT_DECAYS,
    specs,
)
from explainer.ui.url_state import UrlState

FONT = 18 if presenter.is_on() else 15
CHART = {"config": {"displaylogo": False}, "theme": None}  # our own fonts (≥ 14 px), not the theme's

st.title("Deep learning: how a network learns")
presenter.prose(
    """
A neural network learns by **gradient descent**: measure how wrong it is (the *loss*), work out how the loss
changes when each parameter moves a little (the *gradient*, computed by *backpropagation*), and move every
parameter a small step downhill. This page shows that loop at four scales, every number computed live: one neuron
whose every gradient you can read, a network that trains while you watch, a convolutional network whose every
activation you can open, and the checks that make training work in practice.
""",
    label="What this page shows",
)
url = UrlState(PAGE, specs())
section = url.widget(st.segmented_control, "section", "Section", format_func=SECTIONS.get, required=True,
                     label_visibility="collapsed")


# --- 1. a neuron and backprop ------------------------------------------------------------------------------------

def backprop_section() -> None:
    st.header("A neuron and backprop")
    presenter.prose(
        """
A neuron adds up its inputs, each multiplied by a weight, plus a bias, and squashes the sum with tanh. The loss
$L = (o - y)^2$ says how far its output $o$ is from the target $y$. Every box in the graph below is one number of
that computation: its **value** (the forward pass, from the inputs to the loss) and its **grad**,
$\\partial L/\\partial$ that number (the backward pass, from the loss back to the inputs). Backpropagation is the
chain rule applied one operation at a time: each operation only needs its own local derivative. A `+` passes the
gradient through unchanged, a `*` multiplies it by the *other* factor, `tanh` multiplies it by $1 - o^2$. The
yellow boxes are the parameters; a gradient step moves each one against its gradient,
$p \\leftarrow p - \\eta\\, \\partial L/\\partial p$, and the loss drops.

The engine is a scalar autograd in the style of Karpathy's *micrograd*. As his post *Yes you should understand
backprop* argues, knowing how gradients flow explains failures: set the target $y = -1$ and the bias $b = 10$, and
the neuron is far from its target yet barely learns, because a saturated tanh ($o \\approx 1$) has a local
gradient $1 - o^2 \\approx 0$ that shrinks every gradient behind it.
""",
        label="How to read the graph",
    )
    expr = url.widget(st.segmented_control, "expr", "Expression", format_func=EXPRESSIONS.get, required=True)
    groups = GROUPS[expr]
    columns = st.columns([1] * len(groups) + [1.25], gap="medium")
    numbers = {}
    for column, (title, sliders) in zip(columns, groups.items(), strict=False):
        with column:
            st.markdown(f"**{title}**")
            for key, name, label in sliders:
                numbers[name] = url.widget(st.slider, key, label, step=0.01, format="%.3f")
    graph = BUILDERS[expr](**numbers)
    trail = dl_backprop.trail(expr, numbers)
    with columns[-1]:
        st.markdown("**Learn**")
        eta = url.widget(st.select_slider, "eta", "Learning rate η", options=ETAS)
        st.button("Take a gradient step", type="primary", icon=":material/trending_down:", width="stretch",
                  on_click=dl_backprop.on_step, args=(url, expr, eta, 1), key="dl:bp:step")
        a, b = st.columns(2)
        a.button("10 steps", width="stretch", help="Ten gradient steps in a row.",
                 on_click=dl_backprop.on_step, args=(url, expr, eta, 10), key="dl:bp:step10")
        b.button("Reset", width="stretch", on_click=dl_backprop.on_reset,
                 args=(url, expr), key="dl:bp:reset",
                 help="Back to the values before your first step (or to the defaults if you took none).")
        loss = graph.loss.data
        if trail and len(trail["losses"]) > 1:
            before = trail["losses"][-2]
            st.metric("Loss L (after the last step)", f"{loss:.4f}", delta=f"{loss - before:+.4f} (was {before:.4f})",
                      delta_color="inverse", chart_data=trail["losses"], chart_type="line",
                      help="The sparkline is the loss after each step you took.")
            st.caption(f"{len(trail['losses']) - 1} step{'s' if len(trail['losses']) > 2 else ''} taken: "
                       f"L went {trail['losses'][0]:.4f} → {loss:.4f}.")
            if trail.get("clamped"):
                st.caption("A parameter reached the end of its slider and was held there.")
        else:
            st.metric("Loss L", f"{loss:.4f}", help="Take a step to see it drop.")
    st.latex(dl_backprop.expression_latex(expr))
    font = 15 if presenter.is_on() else 14
    caption = ("Each box: the name of a number, its **value** and its **grad** ∂L/∂(that number); circles are "
               "operations; yellow boxes are the parameters a step changes.")
    if expr == "neuron":  # small: left to right across the page
        st.graphviz_chart(plots.readable_dot(to_dot(graph), font), width="stretch")
        st.caption(caption)
        left, right = st.columns([1.4, 1], gap="large")
    else:  # bigger: top to bottom, like a drawing of a network, beside the details
        left_graph, right = st.columns([1.3, 1], gap="large")
        left_graph.graphviz_chart(plots.readable_dot(to_dot(graph), font, top_down=True), width="stretch")
        left_graph.caption(caption)
        left = right
    with left:
        st.markdown("**The chain rule, for one weight**")
        chain, value = dl_backprop.chain_rule_latex(graph, expr)
        st.latex(chain)
        weight = "w1" if expr == "neuron" else "w11"
        st.caption(f"…the same number as the grad of `{weight}` in the graph ({graph.leaves[weight].grad:.4f}).")
    with right:
        st.markdown("**Each parameter's next step**")
        st.dataframe(
            [{"parameter": name, "value": p.data, "∂L/∂p": p.grad, "−η·∂L/∂p": -eta * p.grad}
             for name, p in graph.params.items()],
            hide_index=True, width="stretch",
            column_config={c: st.column_config.NumberColumn(format="%.4f") for c in ("value", "∂L/∂p", "−η·∂L/∂p")})
        gap = dl_backprop.max_gradient_gap(graph, expr)
        st.caption(f":material/check_circle: Every gradient above matches PyTorch's `torch.autograd` on the same "
                   f"expression (largest difference {gap:.1e}).")


# --- 2. playground -----------------------------------------------------------------------------------------------

PRESETS = {
    "Spiral, no hidden layer": dict(data="spiral", classes=3, depth=0, opt="adam", lr=0.03, noise=0.05),
    "Spiral, 3 hidden layers": dict(data="spiral", classes=3, depth=3, width=16, act="relu", opt="adam", lr=0.01,
                                    noise=0.05),
    "Few noisy points (overfit)": dict(data="circles", classes=2, noise=0.3, points=60, depth=4, width=32,
                                       act="relu", opt="adam", lr=0.01, l2=0.0),
    "Learning rate too large": dict(data="moons", opt="sgd", lr=10.0, depth=2, width=8, act="tanh"),
}


def _apply_preset(url, values: dict) -> None:
    defaults = {s.key: s.default for s in url.specs.values() if s.key in PLAYGROUND_FIELDS}
    for key, value in {**defaults, **values}.items():
        url.set_widget_value(key, value)
    dl_playground.pause()


def playground_section() -> None:
    st.header("Playground: a network that trains while you watch")
    presenter.prose(
        """
A multilayer perceptron takes the two coordinates of a point and outputs one score per class; the softmax turns
the scores into probabilities. Every training step takes a minibatch of training points, computes the loss below,
backpropagates it and applies the update rule. The background is the network's belief over the plane: the colour
of the class it predicts, fading to white where it is unsure, so the decision boundary is where colours meet.
Points with a white rim are training points; points with a dark rim are test points it never trains on. When the
test loss climbs while the training loss keeps falling, the network is memorising rather than learning.
""",
        label="How it works",
    )
    controls, out = st.columns([1, 2.9], gap="large")
    with controls:
        st.markdown("**Data**")
        dataset = url.widget(st.selectbox, "data", "Dataset", format_func=DATASET_LABELS.get)
        lo, hi = CLASS_RANGE[dataset]
        if not lo <= url.widget_value("classes") <= hi:  # the new dataset allows fewer or more classes
            url.set_widget_value("classes", min(max(url.widget_value("classes"), lo), hi))
        classes = url.widget(st.slider, "classes", "Classes", disabled=lo == hi,
                             help=f"{DATASET_LABELS[dataset]} has exactly {lo} classes." if lo == hi else None)
        noise = url.widget(st.slider, "noise", "Noise", step=0.01)
        points = url.widget(st.slider, "points", "Points", step=10)
        test = url.widget(st.slider, "test", "Share held out for testing", step=0.05)
        st.markdown("**Network**")
        depth = url.widget(st.slider, "depth", "Hidden layers")
        width = url.widget(st.slider, "width", "Units per layer", disabled=depth == 0)
        act = url.widget(st.selectbox, "act", "Activation")
        st.markdown("**Training**")
        opt = url.widget(st.segmented_control, "opt", "Optimiser", required=True, format_func=str.upper)
        lr = url.widget(st.select_slider, "lr", "Learning rate η", options=LRS, format_func=lambda v: f"{v:g}")
        l2 = url.widget(st.select_slider, "l2", "L2 strength λ", options=L2S, format_func=lambda v: f"{v:g}")
        batch = url.widget(st.select_slider, "batch", "Batch size", options=BATCHES)
        seed = url.widget(st.number_input, "seed", "Seed", step=1)
    config, notes = PlaygroundConfig.clamped(
        dataset=dataset, n_classes=classes, noise=noise, n_samples=points, test_fraction=test, depth=depth,
        width=width, activation=act, lr=lr, l2=l2, batch_size=batch, optimizer=opt, seed=seed)
    entry = dl_playground.entry(config)
    playing = dl_playground.is_playing()
    with out:
        if notes:
            st.warning("Adjusted: " + "; ".join(notes) + ".", icon=":material/tune:")
        b1, b2, b3, b4 = st.columns([1, 1, 1, 2.2])
        b1.button("Pause" if playing else "Play", type="primary", width="stretch", key="dl:pg:play",
                  icon=":material/pause:" if playing else ":material/play_arrow:", on_click=dl_playground.on_play)
        b2.button("Step", icon=":material/skip_next:", width="stretch", key="dl:pg:step",
                  on_click=dl_playground.on_step,
                  help=f"One epoch: {dl_playground.epoch_steps(config)} minibatch steps over the training set.")
        b3.button("Reset", icon=":material/restart_alt:", width="stretch", key="dl:pg:reset",
                  on_click=dl_playground.on_reset, help="Back to step 0 with the same seed.")
        with b4.popover("Try these", icon=":material/lightbulb:", width="stretch"):
            for name, values in PRESETS.items():
                st.button(name, key=f"dl:pg:preset:{name}", width="stretch", on_click=_apply_preset,
                          args=(url, values))

        @st.fragment(run_every=dl_playground.TICK_S if playing else None)
        def live() -> None:
            # Draw first, then train: a redraw request that arrives while this run is busy interrupts it at its
            # next Streamlit call, so training last means a slow tick never loses its charts.
            e = st.session_state.get(dl_playground.KEY, entry)
            trainer = e["trainer"]
            still_playing = dl_playground.is_playing()  # not `playing`: Pause may have come since the full run
            dl_playground.begin_tick(e)
            state = trainer.state()
            if still_playing and (state["diverged"] or trainer.steps >= dl_playground.MAX_STEPS):
                dl_playground.pause()
                st.rerun()
            epoch = state["step"] * trainer.batch_size / len(trainer.y_train)
            m = st.columns(6)
            m[0].metric("Step", f"{state['step']:,}", help="Minibatch steps taken.")
            m[1].metric("Epoch", f"{epoch:,.1f}", help="Passes over the training set.")
            m[2].metric("Train loss", _fmt(state["train_loss"]))
            m[3].metric("Test loss", _fmt(state["test_loss"]))
            m[4].metric("Train accuracy", f"{state['train_acc']:.0%}")
            m[5].metric("Test accuracy", f"{state['test_acc']:.0%}")
            status = st.empty()  # one slot, always there, so the charts below keep their place (no remounting)
            redraws = dl_playground.redraws_per_second(e)
            if state["diverged"]:
                status.error("**Diverged:** the loss became infinite or NaN, so training stopped. Lower the "
                             "learning rate and press Reset.", icon=":material/error:")
            elif trainer.steps >= dl_playground.MAX_STEPS:
                status.info(f"Paused at {dl_playground.MAX_STEPS:,} steps; press Reset to train again.",
                            icon=":material/pause_circle:")
            elif still_playing and e["rate"] and redraws:
                status.caption(f"Training at about {e['rate']:,.0f} steps a second, redrawn {redraws:.1f} times "
                               "a second.")
            else:
                status.caption("Press Play to train live, or Step for one epoch at a time.")
            xs, ys, probs = trainer.decision_grid(100)
            left, right = st.columns([1.5, 1])
            left.plotly_chart(plots.decision_boundary(xs, ys, probs, trainer.data(), trainer.bounds, FONT, width=430),
                              **CHART, key="dl:pg:boundary")
            right.plotly_chart(plots.loss_curves(state["history"], FONT), **CHART, key="dl:pg:loss")
            dl_playground.end_tick(e)
            if still_playing:
                dl_playground.advance(e)

        live()
        st.markdown("**The loss it minimises, and the update rule it applies**")
        f1, f2 = st.columns([1, 1.3])
        f1.latex(entry["trainer"].loss_latex())
        f1.caption("$f_c(x)$ is the network's score for class $c$; $B$ the batch size"
                   + ("; $W_\\ell$ the weight matrices." if config.l2 > 0 else "."))
        f2.latex(entry["trainer"].update_rule_latex())


def _fmt(x: float) -> str:
    return "—" if not math.isfinite(x) else f"{x:.3f}"


# --- 3. a CNN on digits ------------------------------------------------------------------------------------------

def cnn_section() -> None:
    st.header("A CNN on 8×8 digits")
    config = CNNConfig()
    presenter.prose(
        f"""
Each digit is an 8×8 grid of numbers from 0 to 16 (scikit-learn's copy of the UCI handwritten digits). A
**convolution** slides a small 3×3 filter over the image and, at each position, adds up the 3×3 patch weighted by
the filter, plus a bias: the resulting **feature map** is large where the patch looks like the filter. This
network has two: {config.channels1} filters on the image, then {config.channels2} filters that each look at all
{config.channels1} maps of the first. ReLU keeps the positive part, max-pooling keeps the largest value of each
2×2 block, and a linear layer turns the {config.channels2}×4×4 = {config.channels2 * 16} numbers into 10 scores,
which the softmax makes probabilities. It trains for {config.epochs} epochs with Adam on 80% of the digits and is
tested on the other 20%.
""",
        label="How it works",
    )
    st.latex(r"\text{map}_k(i,j) = b_k + \sum_{c}\sum_{u,v=-1}^{1} W_{k,c,u,v}\; x_c(i+u,\, j+v)"
             r"\qquad p(d \mid x) = \frac{e^{z_d}}{\sum_{d'=0}^{9} e^{z_{d'}}}")
    result = dl_cache.digits_cnn(config)
    model = result.model
    n_test = len(result.test_labels)
    source = url.widget(st.segmented_control, "input", "Input", format_func=INPUTS.get, required=True)
    c_in, c_seen, c_out = st.columns([1.05, 1, 1.5], gap="medium")
    image, true_label = None, None
    with c_in:
        if source == "test":
            index = url.widget(st.number_input, "digit", f"Test digit number (0 to {n_test - 1})", step=1)
            image, true_label = result.test_images[index], int(result.test_labels[index])
            st.markdown(f"True label: **{true_label}**")
        else:
            st.markdown("**Draw a digit**")
            drawn = st_canvas(stroke_width=dl_cnn.STROKE, stroke_color="#FFFFFF", background_color="#000000",
                              height=dl_cnn.CANVAS_SIZE, width=dl_cnn.CANVAS_SIZE, drawing_mode="freedraw",
                              return_image_data=True, key="dl:cnn:canvas")
            image, message = dl_cnn.read_canvas(drawn)
            if image is None:
                st.info(message, icon=":material/draw:")
    with c_seen:
        if image is not None:
            st.plotly_chart(plots.digit_image(image, "What the network sees (8×8)", FONT, 300), **CHART)
    with c_out:
        st.metric("Test accuracy", f"{result.test_accuracy:.1%}",
                  help=f"On the {n_test} test digits the network never trained on.")
        if image is not None:
            probs = predict_proba(model, image)
            guess = int(probs.argmax())
            verdict = "" if true_label is None else (" ✓" if guess == true_label else f" ✗ (it is a {true_label})")
            st.markdown(f"Prediction: **{guess}** with probability {probs[guess]:.0%}{verdict}")
            st.plotly_chart(plots.softmax_bars(probs, true_label, FONT, 280), **CHART)

    st.subheader("The filters it learned")
    w = filters(model)
    f1, f2 = st.columns([1, 1.25], gap="large")
    with f1:
        st.markdown(f"**conv1**: {config.channels1} filters of 3×3 on the image")
        st.plotly_chart(plots.map_grid(w["conv1"][:, 0], signed=True, cols=4, font=FONT, width=440), **CHART)
        presenter.prose(
            f"""
Red weights add the pixel under them, blue ones subtract it, so a filter responds most where the image looks like
its red part and not like its blue part. A conv1 filter sees 3×3 pixels; a conv2 filter sees 3×3 positions of all
{config.channels1} conv1 maps at once (one row of the picture on the right: {config.channels1} small kernels), so it
responds to combinations of the first layer's patterns over a 5×5 patch of the image. Hover over any cell for its
value.
""",
            label="Reading the filters")
    with f2:
        st.markdown(f"**conv2**: {config.channels2} filters, each 3×3 on all {config.channels1} conv1 maps")
        st.plotly_chart(plots.conv2_filters(w["conv2"], FONT), **CHART)

    st.subheader("Every feature map")
    if image is None:
        st.info("Pick a test digit or draw one to see its feature maps.", icon=":material/draw:")
    else:
        maps = feature_maps(model, image)
        captions = {
            "conv1": "conv1: the image convolved with each of the 8 filters (before ReLU; blue is negative)",
            "relu1": "relu1 = max(0, conv1): only the positive responses go on",
            "conv2": "conv2: 16 maps, each a sum over all 8 relu1 maps convolved with its filter",
            "relu2": "relu2 = max(0, conv2)",
            "pool": "pool: the largest value in each 2×2 block (8×8 → 4×4); these 256 numbers feed the linear layer",
        }
        for name in LAYERS:
            st.markdown(f"**{captions[name]}**")
            st.plotly_chart(plots.map_grid(maps[name], signed=name.startswith("conv"), cols=8, font=FONT,
                                           width=1000 if name != "pool" else 700), **CHART, key=f"dl:cnn:{name}")

    st.subheader("Where it goes wrong: the confusion matrix")
    c1, c2 = st.columns([1.3, 1], gap="large")
    c1.plotly_chart(plots.confusion_matrix(result.confusion, FONT), **CHART)
    with c2:
        wrong = int(result.confusion.sum() - result.confusion.trace())
        st.metric("Mistakes on the test set", f"{wrong} of {n_test}", help=f"Accuracy {result.test_accuracy:.1%}.")
        presenter.prose(
            f"Row = the true digit, column = the network's answer, so the diagonal counts the test digits it got "
            f"right and every number off the diagonal is a mistake: {wrong} of {n_test} here. "
            f"{'Loaded from the cache' if result.from_cache else 'Trained'} in {result.seconds:.1f} s.",
            label="Reading the matrix")


# --- 4. the recipe for training ----------------------------------------------------------------------------------

def recipe_section() -> None:
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
    RECIPE[exp](seed, knob)


def _recipe_columns():
    return st.columns([1.9, 1], gap="large")


def _init_loss(seed: int, knob) -> None:
    with knob:
        scale = url.widget(st.segmented_control, "iscale", "Scale of the badly initialised last layer", required=True,
                           format_func=lambda v: f"×{v}")
    config = InitConfig(scales=(0.01, 1.0, float(scale)), seed=seed)
    result = dl_cache.experiment("init_loss", config)
    f = result.figures
    chart, side = _recipe_columns()
    chart.plotly_chart(plots.run_curves(result.curves, "train_loss", FONT, y_title="training loss",
                                        reference=(LN10, "ln 10 ≈ 2.303: chance")), **CHART)
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


def _overfit_one_batch(seed: int, knob) -> None:
    with knob:
        batch = url.widget(st.segmented_control, "obatch", "Batch size", required=True)
    result = dl_cache.experiment("overfit_one_batch", OverfitBatchConfig(batch_size=batch, seed=seed))
    f = result.figures
    chart, side = _recipe_columns()
    chart.plotly_chart(plots.run_curves(result.curves, "train_loss", FONT, y_title="loss", dashed="val_loss",
                                        reference=(LN10, "ln 10")), **CHART)
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


def _baseline(seed: int, knob) -> None:
    result = dl_cache.experiment("input_independent_baseline", BaselineConfig(seed=seed))
    f = result.figures
    chart, side = _recipe_columns()
    chart.plotly_chart(plots.run_curves(result.curves, "val_loss", FONT, y_title="validation loss",
                                        reference=(f["label_entropy"], f"label entropy ≈ {f['label_entropy']:.3f}")),
                       **CHART)
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


def _learning_rates(seed: int, knob) -> None:
    with knob:
        opt = url.widget(st.segmented_control, "ropt", "Optimiser", required=True, format_func=str.upper)
    lrs = LearningRateConfig().lrs if opt == "adam" else (1e-3, 0.3, 30.0)
    result = dl_cache.experiment("learning_rates", LearningRateConfig(lrs=lrs, optimizer=opt, seed=seed))
    f = result.figures
    chart, side = _recipe_columns()
    chart.plotly_chart(plots.run_curves(result.curves, "train_loss", FONT, y_title="training loss",
                                        reference=(LN10, "ln 10: chance")), **CHART)
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


def _overfitting(seed: int, knob) -> None:
    with knob:
        wd = url.widget(st.select_slider, "wd", "Weight decay λ for the regularised runs", options=WEIGHT_DECAYS,
                        format_func=lambda v: f"{v:g}")
    config = OverfittingConfig(weight_decays=(0.0, wd), seed=seed)
    result = dl_cache.experiment("overfitting", config)
    f = result.figures
    st.plotly_chart(plots.overfitting_grid(result.curves, FONT), **CHART)
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

{"backprop": backprop_section, "playground": playground_section, "cnn": cnn_section,
 "recipe": recipe_section}[section]()

st.header("References")
st.markdown(
    """
- A. Karpathy, *micrograd*, a tiny scalar autograd engine and neural-net library (GitHub, 2020): the style of the
  engine behind section ①.
- A. Karpathy, "Yes you should understand backprop", Medium, 19 Dec 2016.
- A. Karpathy, "A Recipe for Training Neural Networks", blog, 25 Apr 2019: the experiments of section ④.
- A. Karpathy, *Neural Networks: Zero to Hero*, a video course on YouTube that starts by building micrograd;
  the example neuron of section ① is the one from its first lecture.
- Stanford CS231n, *Convolutional Neural Networks for Visual Recognition*, first taught in Winter 2015 by
  Fei-Fei Li and A. Karpathy; its notes "Visualizing what ConvNets learn" show filters and activations as here.
- I. Goodfellow, Y. Bengio and A. Courville, *Deep Learning*, MIT Press, 2016.
- Inspirations: *TensorFlow Playground* (playground.tensorflow.org), for section ②, and Karpathy's *ConvNetJS*
  (2014), neural networks trained live in the browser.
"""
)
