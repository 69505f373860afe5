"""AppTests for the GANs page (Mode collapse: tests/site_pages/test_mode_collapse.py): shipped presets render with no
training, bad links get notices, a tiny config trains to completion, a diverging one ends as diverged, and two
sessions share one job."""
import time

import pytest

from explainer.gan.presets import PRESETS
from explainer.ui.gan.controls import make_config
from explainer.ui.gan.params import lab_specs
from explainer.ui.jobs import registry
from tests.support.apptest import run_clean, run_page

GAN = "site_pages/gan.py"
TINY = {"steps": "200", "width": "8", "batch": "32", "seed": "4242"}


def lab_config(query: dict):
    """The config the lab builds for a query (the same parser the page uses)."""
    from explainer.urlstate import parse_query

    values, _, _ = parse_query(lab_specs(), {k: [v] for k, v in query.items()})
    return make_config(values)


def wait_for(config, timeout=120):
    job = registry().get(config.key())
    assert job is not None, "the Train button should have started a job"
    assert job.wait(timeout), "the tiny config should train quickly"
    return job


def texts(at) -> str:
    return " ".join(str(e.value) for kind in ("markdown", "caption", "info", "warning", "error", "metric")
                    for e in getattr(at, kind))


def test_lab_renders_the_shipped_preset_without_training():
    at = run_clean(GAN)
    assert registry().get(PRESETS["lab"].key()).view().source in ("preset", "cache")
    import json

    # one replay: the scene, the losses and the scores, its title the frame's scores (they move with the replay)
    [replay] = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    title = replay["layout"]["title"]["text"]
    assert "modes" in title and "high quality" in title and "reverse KL" in title
    assert title.count("<br>") == 1  # two short lines: a title does not wrap, one long line was cut off on a phone
    assert any(t.get("name") == "this frame" for t in replay["data"])
    assert any(e.label == "Remedies for mode collapse, and stabilisers" for e in at.expander)
    from explainer.ui.gan.controls import REMEDY_GROUPS

    captions = [c.value for c in at.caption]
    assert all(g in captions for g in REMEDY_GROUPS)  # collapse remedies and stabilisers, each titled
    if PRESETS["lab"].loss in ("minimax", "nonsaturating"):
        assert any("D's probability that a point is real" in c.value for c in at.caption)


@pytest.mark.parametrize("section", ["compare", "math", "images"])
def test_every_section_renders(section):
    at = run_clean(GAN, {"section": section})
    if section == "math":
        assert len(at.latex) >= 4 and at.slider
    else:
        assert len(at.get("plotly_chart")) >= 2 and at.metric


def test_the_math_states_the_jsd_conditions_and_labels_the_loss_table():
    at = run_clean(GAN, {"section": "math"})
    text = " ".join(m.value for m in at.markdown)
    assert "if D is optimal for the current G and G" in text and "minimises the minimax loss" in text
    assert r"\mathrm{KL}(p_g \,\|\, p_\text{data}) - 2\,\mathrm{JSD}" in text and "Arjovsky" in text
    assert "**D minimises**" in text and "**G minimises**" in text and "ε ~ U[0, 1]" in text


def test_hostile_link_gets_a_notice_not_an_exception():
    at = run_clean(GAN, {"section": "<script>", "lr_g": "abc", "steps": "1e99", "dataset": "mnist/../../x",
                         "pack": "-3", "points": "../../etc/passwd", "zzz": "1"})
    [notice] = [w.value for w in at.warning]  # one notice for the whole link
    for key in ("section", "lr_g", "steps", "dataset", "pack", "points"):
        assert notice.count(f"`{key}") == 1, key
    assert "unknown URL parameter 'zzz'" in notice
    assert at.query_params == {"steps": "20000"}  # the clamped value; the dropped ones are gone
    at.run()
    assert not at.warning  # shown once


def test_own_points_without_points_asks_for_them():
    at = run_page(GAN, {"dataset": "points"})
    assert not at.exception
    assert "Draw a shape" in texts(at)


def test_a_tiny_config_trains_to_completion_and_is_shown():
    query = dict(TINY)
    at = run_page(GAN, query)
    assert "not been trained yet" in texts(at)
    train = [b for b in at.button if b.label == "Train"]
    train[0].click().run()
    job = wait_for(lab_config(query))
    assert job.view().state == "done"
    at.run()
    assert not at.exception and any('"this frame"' in c.proto.spec for c in at.get("plotly_chart"))  # the replay


def test_a_diverging_config_is_shown_as_diverged_and_not_cached_as_success():
    query = {**TINY, "lr_g": "10", "lr_d": "10", "seed": "777"}
    at = run_page(GAN, query)
    [b for b in at.button if b.label == "Train"][0].click().run()
    job = wait_for(lab_config(query))
    assert job.view().state == "diverged"
    at.run()
    assert not at.exception
    assert any("Diverged" in e.value for e in at.error)
    stored = registry().store.load(lab_config(query).key())
    assert stored is not None and stored.status == "diverged" and stored.diverged.all()  # flagged, never a success
    assert job.view().source == "trained"


def test_two_sessions_asking_for_the_same_new_config_share_one_job():
    query = {**TINY, "seed": "5151"}
    first, second = run_page(GAN, query), run_page(GAN, query)
    [b for b in first.button if b.label == "Train"][0].click().run()
    [b for b in second.button if b.label == "Train"][0].click().run()
    config = lab_config(query)
    jobs_for_key = [j for j in registry().jobs() if j.key == config.key()]
    assert len(jobs_for_key) == 1
    wait_for(config)


def test_job_flow_never_blocks_on_training(monkeypatch):
    """Looking at an untrained config must not start a job (only the Train button does)."""
    query = {**TINY, "seed": "9191"}
    before = len(registry().jobs())
    run_page(GAN, query)
    time.sleep(0.1)
    assert len(registry().jobs()) == before


def test_an_untrained_config_shows_its_step_0_picture_not_an_empty_panel():
    """Changing a knob never blanks the Lab: the real data and the untrained G and D are drawn before Train."""
    from explainer.gan.trainer import initial_snapshot

    query = {**TINY, "seed": "31"}
    at = run_page(GAN, query)
    assert not at.exception and "not been trained yet" in texts(at)
    assert len(at.get("plotly_chart")) == 1 and "Step 0" in texts(at)
    at = run_page(GAN, {**query, "loss": "wgan-gp", "pack": "2"})  # a score, not a probability, on 2 copies
    assert not at.exception and "raw score, not a probability" in texts(at) and "2 copies" in texts(at)
    assert registry().get(lab_config(query).key()) is None  # drawing it trained nothing
    snap = initial_snapshot(lab_config(query))
    assert snap.step == 0 and {"samples", "d_grid"} <= set(snap.arrays)


def test_compare_shows_both_untrained_configs():
    at = run_clean(GAN, {"section": "compare", "seed": "32", "seed_b": "32", "steps": "200", "steps_b": "200"})
    assert len(at.get("plotly_chart")) == 2


def test_compare_draws_a_and_b_as_equal_panels_with_one_loss_axis():
    """The two sides of a comparison: the same chart heights, untruncated metric labels, one shared loss range."""
    import json

    at = run_clean(GAN, {"section": "compare"})
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    losses = [s["layout"] for s in specs if s["layout"].get("xaxis", {}).get("title", {}).get("text")
              == "generator step"]
    assert len(losses) == 2
    [a, b] = [layout["yaxis"].get("range") for layout in losses]
    assert a is not None and a == b
    assert len({s["layout"]["height"] for s in specs}) == 2  # one scene height, one loss height
    labels = [m.label for m in at.metric]
    assert labels.count("High quality") == 2 and all(len(label) <= 12 for label in labels)


def test_a_live_comparison_side_draws_its_picture_above_its_progress_bar():
    """With controls_below (one side of two panels), the live picture starts level with the finished side's."""
    from streamlit.testing.v1 import AppTest

    def script():
        from types import SimpleNamespace

        import streamlit as st

        from explainer.runs.jobs import JobView
        from explainer.ui import jobs

        view = JobView(key="k", state="running", step=5, total=10, losses={}, snapshot=None, snapshots=(),
                       elapsed_s=1.0, eta_s=1.0, error=None, source="trained")
        job = SimpleNamespace(view=lambda: view, serial=1, key="k", cancel=lambda: None, watch=lambda viewer: None)
        jobs.live(job, lambda v: st.markdown("PICTURE"), controls_below=True)

    at = AppTest.from_function(script, default_timeout=30).run()
    assert not at.exception, [e.value for e in at.exception]

    def walk(node):  # the elements in the order the page draws them
        for child in getattr(node, "children", {}).values():
            yield child
            yield from walk(child)

    labels = [getattr(e, "value", None) if e.type == "markdown" else getattr(e, "label", None)
              for e in walk(at.main) if e.type in ("markdown", "button")]
    assert labels.index("PICTURE") < labels.index("Stop training")


def test_a_config_that_would_take_hours_is_refused_and_a_long_one_asks_first(monkeypatch):
    """The cost guard: a link that would hold the server for hours says how long and offers no Train button; one
    over a couple of minutes says how long on the button, which works only once the viewer ticks the box."""
    from explainer.runs import cost

    monkeypatch.setattr(cost, "_speed", {})
    huge = {"steps": "20000", "width": "256", "batch": "512", "unrolled": "10", "pack": "4", "depth": "4",
            "d_steps": "5", "seed": "61"}
    at = run_page(GAN, huge)
    assert not at.exception
    refusal = " ".join(w.value for w in at.warning)
    assert "would take about" in refusal and f"the limit here is {cost.said(cost.MAX_S)}" in refusal
    assert not [b for b in at.button if b.label.startswith("Train")]
    assert registry().get(lab_config(huge).key()) is None

    long = {"steps": "20000", "width": "256", "seed": "62"}
    estimate = cost.estimate_s(lab_config(long))
    assert cost.CONFIRM_S < estimate < cost.MAX_S
    at = run_page(GAN, long)
    train = next(b for b in at.button if b.label.startswith("Train"))
    assert train.label == f"Train (about {cost.said(estimate)})" and train.disabled
    at.checkbox[0].check().run()
    train = next(b for b in at.button if b.label.startswith("Train"))
    assert not train.disabled
