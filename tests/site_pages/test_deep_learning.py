"""AppTest for the "Deep learning" page: every section runs under the real app shell, its demos respond, and hostile
links and drawings get a clear message instead of an exception."""
import re

import numpy as np
import pytest

from explainer.ui.deep_learning.params import specs
from explainer.ui.digit_canvas import EMPTY, read_canvas
from explainer.urlstate import ChoiceParam
from tests.support.apptest import chart_specs, run_clean, run_page

PAGE = "site_pages/deep_learning.py"


def page(query=None):
    return run_clean(PAGE, query)


def metric(at, label_start: str):
    found = [m for m in at.metric if m.label.startswith(label_start)]
    assert found, f"no metric starting {label_start!r} in {[m.label for m in at.metric]}"
    return found[0]


def number(text: str) -> float:
    return float(text.replace(",", "").rstrip("%"))


# --- 1. backprop -------------------------------------------------------------------------------------------------

def test_the_default_section_is_backprop_with_its_graph_and_formulas():
    at = page()
    assert at.title[0].value.startswith("Deep learning")
    dot = at.get("graphviz_chart")[0].proto.spec
    assert dot.startswith("digraph") and "grad" in dot and "tanh" in dot
    assert any(r"\partial L" in x.value for x in at.latex)  # the chain rule
    assert "References" in [h.value for h in at.header]
    text = " ".join(m.value for m in at.markdown)
    for ref in ("micrograd", "Yes you should understand backprop", "A Recipe for Training Neural Networks",
                "CS231n", "Goodfellow", "Zero to Hero", "ConvNetJS"):
        assert ref in text, ref


def test_a_gradient_step_lowers_the_loss_moves_the_sliders_and_the_link_and_reset_undoes_it():
    at = page()
    before = number(metric(at, "Loss L").value)
    w1 = next(s for s in at.slider if s.label == "w₁").value
    at.button(key="dl:bp:step").click().run()
    assert not at.exception
    after = metric(at, "Loss L (after")
    assert number(after.value) < before and f"was {before:.4f}" in after.delta
    assert next(s for s in at.slider if s.label == "w₁").value != w1
    assert "w1" in at.query_params  # the stepped state is a link
    at.button(key="dl:bp:step10").click().run()
    assert number(metric(at, "Loss L").value) < number(after.value)
    at.button(key="dl:bp:reset").click().run()
    assert number(metric(at, "Loss L").value) == pytest.approx(before, abs=1e-4)
    assert "w1" not in at.query_params


def test_the_two_layer_network_draws_its_graph_compact_with_its_text_size_restored():
    at = page({"expr": "mlp"})
    dot = at.get("graphviz_chart")[0].proto.spec
    assert "rankdir=LR" in dot and "w11" in dot and "h2" in dot and "Σ → n1" in dot
    assert "shape=circle" not in dot  # operations written into the records: half the ranks
    # Streamlit draws graph text at 9.6 px whatever the DOT says: the page puts the DOT's size back
    size = int(re.search(r"fontsize=(\d+)", dot).group(1))
    assert size >= 14 and any(f"svg text {{ font-size: {size}px; }}" in m.value for m in at.markdown)
    at.button(key="dl:bp:step").click().run()
    assert not at.exception and metric(at, "Loss L (after")


# --- 2. playground -----------------------------------------------------------------------------------------------

def test_the_playground_steps_and_shows_its_boundary_losses_and_update_rule():
    at = page({"section": "playground"})
    assert metric(at, "Step").value == "0"
    assert len(at.get("bidi_component")) == 2  # decision boundary and loss curves, both live charts
    assert any(r"w_t" in x.value for x in at.latex) and any(r"\log" in x.value for x in at.latex)
    at.button(key="dl:pg:step").click().run()
    assert not at.exception and number(metric(at, "Step").value) > 0
    at.button(key="dl:pg:reset").click().run()
    assert metric(at, "Step").value == "0"
    at.button(key="dl:pg:step").click().run()
    next(s for s in at.slider if s.label == "Hidden layers").set_value(3).run()  # a new config: a new run
    assert metric(at, "Step").value == "0" and at.query_params["depth"] == "3"


def test_play_shows_training_under_way_in_the_run_it_causes():
    """Play's own redraw already shows steps taken (Play takes a first step, and each tick trains before it draws,
    so the charts are a run's last elements), not step 0 until the next tick; Pause stops it there."""
    at = page({"section": "playground"})
    at.button(key="dl:pg:play").click().run()
    assert not at.exception and number(metric(at, "Step").value) > 0
    at.button(key="dl:pg:play").click().run()  # Pause
    paused = metric(at, "Step").value
    at.run()
    assert metric(at, "Step").value == paused


def test_with_an_l2_penalty_the_formulas_add_it_once_in_the_update_rule():
    at = page({"section": "playground", "l2": "0.01", "opt": "adam"})
    [loss] = [x.value for x in at.latex if r"\log" in x.value]
    [rule] = [x.value for x in at.latex if "w_t" in x.value]
    assert r"\lambda" not in loss and rule.count(r"\lambda\, w") == 1
    assert any("enters once" in c.value for c in at.caption)


def test_a_diverging_run_says_so_instead_of_failing():
    at = page({"section": "playground", "act": "relu", "depth": "4", "width": "64", "lr": "10"})
    at.button(key="dl:pg:step").click().run()
    assert not at.exception
    assert any("Diverged" in e.value for e in at.error)
    assert metric(at, "Train loss").value == "—"


def test_a_preset_sets_every_knob():
    at = page({"section": "playground", "noise": "0.5"})
    at.button(key="dl:pg:preset:Spiral, 3 hidden layers").click().run()
    assert not at.exception
    assert at.selectbox[0].value == "spiral" and next(s for s in at.slider if s.label == "Hidden layers").value == 3
    assert next(s for s in at.slider if s.label == "Noise").value == 0.05
    assert at.query_params["data"] == "spiral"


def test_a_playground_link_opens_that_config_and_a_bad_one_is_fixed_with_a_notice():
    at = page({"section": "playground", "data": "spiral", "classes": "4", "opt": "adam", "lr": "0.01"})
    assert not at.warning
    assert at.selectbox[0].value == "spiral" and next(s for s in at.slider if s.label == "Classes").value == 4
    at = page({"section": "playground", "lr": "abc", "depth": "1e99", "batch": "7", "data": "moons", "classes": "5"})
    [notice] = [w.value for w in at.warning]
    for key in ("lr", "depth", "batch"):
        assert notice.count(f"`{key}") == 1, key
    assert at.query_params == {"section": "playground", "depth": "6", "batch": "8"}  # classes: fitted to 2
    assert next(s for s in at.slider if s.label == "Hidden layers").value == 6
    assert next(s for s in at.slider if s.label == "Classes").value == 2  # moons has exactly two


# --- 3. CNN ------------------------------------------------------------------------------------------------------

def test_the_cnn_shows_accuracy_prediction_filters_and_every_feature_map():
    at = page({"section": "cnn", "digit": "5"})
    accuracy = number(metric(at, "Test accuracy").value)
    assert 80 < accuracy <= 100
    assert any(m.value.startswith("Prediction:") for m in at.markdown)
    # input, softmax, 2 filter pictures, 5 feature-map grids, confusion matrix
    assert len(at.get("plotly_chart")) == 10


def test_an_empty_canvas_gets_a_clear_message_not_an_exception():
    at = page({"section": "cnn", "input": "draw"})
    assert any(EMPTY in i.value for i in at.info)
    assert metric(at, "Test accuracy")


@pytest.mark.parametrize("image, expected", [
    (None, EMPTY),
    (np.zeros((192, 192, 4), np.uint8), "empty"),  # transparent: nothing drawn
    (np.dstack([np.zeros((192, 192, 3), np.uint8), np.full((192, 192), 255, np.uint8)]), "one flat colour"),
])
def test_empty_and_all_black_drawings_are_refused_with_a_message(image, expected):
    class Canvas:
        image_data = image

    digit, message = read_canvas(Canvas())
    assert digit is None and expected in message


def test_a_drawn_stroke_becomes_an_8x8_digit():
    image = np.zeros((192, 192, 4), np.uint8)
    image[..., 3] = 255
    image[30:160, 90:104, :3] = 255  # a white "1" on black
    digit, message = read_canvas(type("Canvas", (), {"image_data": image})())
    assert message is None and digit.shape == (8, 8) and 0 <= digit.min() and digit.max() <= 16


# --- 4. recipe ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("experiment", ["init_loss", "overfit_one_batch", "input_independent_baseline",
                                        "learning_rates", "overfitting"])
def test_every_recipe_experiment_shows_its_chart(experiment):
    at = page({"section": "recipe", "exp": experiment})
    assert len(at.get("plotly_chart")) == 1
    if experiment == "init_loss":
        assert number(metric(at, "Expected").value) == pytest.approx(np.log(10), abs=1e-3)
        assert abs(number(metric(at, "Measured, ×0.01").value) - np.log(10)) < 0.01


def _prose(at) -> str:
    return " ".join(m.value for m in at.markdown)


@pytest.mark.parametrize("scale", ["3", "100"])
def test_the_init_scale_sentence_follows_the_measured_loss(scale):
    """×3 starts barely above ln 10, ×100 far above it: the page says which, from the numbers it shows."""
    at = page({"section": "recipe", "exp": "init_loss", "iscale": scale})
    measured = number(metric(at, f"Measured, ×{scale}").value)
    text = _prose(at)
    assert f"starts at a loss of {measured:.3f}" in text
    if measured - np.log(10) < 0.25:
        assert "barely notices" in text and "far above" not in text and "confidently wrong" not in text
    else:
        assert "far above ln 10" in text and "hockey stick" in text


@pytest.mark.parametrize("batch", ["8", "128"])
def test_the_one_batch_sentence_follows_the_measured_validation_loss(batch):
    at = page({"section": "recipe", "exp": "overfit_one_batch", "obatch": batch})
    val = number(metric(at, "Validation loss").value)
    text = _prose(at)
    assert f"never saw: {val:.3f}" in text
    assert ("worse than the ln 10" in text) == (val > np.log(10))


def test_the_one_batch_verdict_reads_accuracy_against_chance_and_the_loss_together():
    """A validation loss above ln 10 is not 'learned nothing' when accuracy is far above chance."""
    from explainer.deep_learning.experiment import RunSummary
    from explainer.ui.deep_learning.recipe import overfit_sentence

    def run(val_loss, val_acc):
        return RunSummary("one batch", 8, 8, 2.3, 0.001, 1.0, val_loss, val_acc, False)

    confident = overfit_sentence(run(3.9, 0.43), 8)
    assert "43% of them right (chance: 10%)" in confident and "generalises partly (4× chance)" in confident
    assert "over-confident where it is wrong" in confident and "taught it next to nothing" not in confident
    assert "next to nothing" in overfit_sentence(run(3.9, 0.12), 8)  # near chance: it did not transfer
    fine = overfit_sentence(run(1.04, 0.78), 32)
    assert "already teach it much of the task" in fine and "over-confident" not in fine


def test_the_regularise_experiment_reads_its_own_numbers_and_calls_it_an_l2_penalty():
    at = page({"section": "recipe", "exp": "overfitting", "wd": "0.1"})
    text = _prose(at)
    assert "Ten times more data closes most of the gap" not in text and "Weight decay" not in text
    rows = at.dataframe[0].value
    assert "L2 penalty λ" in rows.columns
    strong = rows[(rows["training examples"] == 100) & (rows["L2 penalty λ"] == "0.1")].iloc[0]
    assert f"validation loss is {strong['validation loss']:.3f}, no better" in text  # λ = 0.1 underfits
    assert "regularise stage" in text and "Loshchilov" in text
    assert next(s for s in at.select_slider).label.startswith("L2 penalty λ")


# --- links -------------------------------------------------------------------------------------------------------

def test_hostile_links_get_a_notice_and_the_page_still_works():
    at = page({"section": "<script>alert(1)</script>", "digit": "-5", "eta": "nan", "w1": "1e400", "bogus": "x"})
    [notice] = [w.value for w in at.warning]
    for key in ("section", "digit", "eta", "w1"):
        assert notice.count(f"`{key}") == 1, key
    assert "unknown URL parameter 'bogus'" in notice
    assert at.get("graphviz_chart")  # fell back to the first section
    assert at.query_params == {}  # every value fell back to (or was clamped onto) its default
    at = page({"section": "cnn", "digit": "-5"})
    assert "digit" in at.warning[0].value and "True label" in " ".join(m.value for m in at.markdown)


def test_presenter_mode_folds_the_prose():
    at = run_page("site_pages/home.py", {"present": "1"})  # the shell reads ?present=1 (not on switch_page)
    at.switch_page(PAGE).run()
    assert not at.exception
    labels = [e.label for e in at.expander]
    assert "What this page shows" in labels and "How to read the graph" in labels


def test_url_keys_are_unique_and_snapped_values_are_announced():
    assert len({s.key for s in specs()}) == len(specs())
    lr = ChoiceParam("lr", 0.03, (1e-3, 0.01, 0.03, 0.1))
    assert lr.parse("0.05") == (0.03, "`lr='0.05'` is not one of 0.001, 0.01, 0.03, 0.1; using the nearest, 0.03.")
    assert lr.parse("0.1") == (0.1, None)
    value, notice = lr.parse("1e99")
    assert value == 0.1 and "between" in notice


def test_the_playground_loss_can_be_shown_on_a_log_scale():
    at = page({"section": "playground", "logloss": "1"})
    [fig] = [spec for spec in chart_specs(at) if "cross-entropy" in spec]
    assert '"type":"log"' in fig.replace(" ", "")
    at = page({"section": "playground"})
    [fig] = [spec for spec in chart_specs(at) if "cross-entropy" in spec]
    assert '"type":"log"' not in fig.replace(" ", "")


def test_on_a_slide_the_playground_folds_its_data_knobs_so_the_network_and_training_knobs_come_first():
    at = page({"section": "playground"})
    at.session_state["presenter_mode"] = True  # ?present=1 is read once a session, on its first run
    at.run()
    assert not at.exception
    assert "Data" in [e.label for e in at.expander]
    at.session_state["presenter_mode"] = False
    at.run()
    assert "Data" not in [e.label for e in at.expander] and "**Data**" in [m.value for m in at.markdown]
