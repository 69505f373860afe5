"""AppTests for the GAN pages: shipped presets render with no training, bad links get notices, a tiny
config trains to completion, a diverging one ends as diverged, and two sessions share one job."""
import time

import pytest

from explainer.gan.presets import PRESETS
from explainer.ui.gan.controls import make_config
from explainer.ui.gan.params import lab_specs
from explainer.ui.jobs import registry
from tests.conftest import run_page

GAN, MC = "site_pages/gan.py", "site_pages/mode_collapse.py"
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
    at = run_page(GAN)
    assert not at.exception, [e.value for e in at.exception]
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
    at = run_page(GAN, {"section": section})
    assert not at.exception, [e.value for e in at.exception]
    if section == "math":
        assert len(at.latex) >= 4 and at.slider
    else:
        assert len(at.get("plotly_chart")) >= 2 and at.metric


def test_the_math_states_the_jsd_conditions_and_labels_the_loss_table():
    at = run_page(GAN, {"section": "math"})
    assert not at.exception, [e.value for e in at.exception]
    text = " ".join(m.value for m in at.markdown)
    assert "if D is optimal for the current G and G" in text and "minimises the minimax loss" in text
    assert r"\mathrm{KL}(p_g \,\|\, p_\text{data}) - 2\,\mathrm{JSD}" in text and "Arjovsky" in text
    assert "**D minimises**" in text and "**G minimises**" in text and "ε ~ U[0, 1]" in text


def test_hostile_link_gets_a_notice_not_an_exception():
    at = run_page(GAN, {"section": "<script>", "lr_g": "abc", "steps": "1e99", "dataset": "mnist/../../x",
                        "pack": "-3", "points": "../../etc/passwd", "zzz": "1"})
    assert not at.exception, [e.value for e in at.exception]
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


def test_mode_collapse_page_is_complete_on_first_load():
    at = run_page(MC)
    assert not at.exception, [e.value for e in at.exception]
    [table] = [d.value for d in at.dataframe if "modes (of 8)" in d.value]
    assert table["modes (of 8)"].str.contains("±").all(), "every compared preset ships trained"
    assert len(table) == 8
    assert "Seeds with ≤ 4 modes" in [m.label for m in at.metric]
    assert not any(b.label == "Train" for b in at.button)
    # the published reference: Table 1 beside our shipped runs, the sentences, and the protocol beside ours
    [protocol] = [t.value for t in at.table if "PacGAN (authors' code)" in t.value]
    assert set(protocol.index) >= {"generator", "discriminator", "optimiser", "length"}
    assert not any("not shown" in i.value for i in at.info)
    sentences = [m.value for m in at.markdown if "against their" in m.value]
    expected = sum(len(rows) for row in published_module().OURS.values() for rows in row.answers.values())
    assert len(sentences) == 1 and sentences[0].count("- Our ") == expected
    assert "Our best (PacGAN2 + EMA of G, 128 wide) on the grid against their PacGAN4" in sentences[0]


def published_module():
    from explainer.mode_collapse import published

    return published


def test_published_table_shows_exactly_the_module_numbers():
    """Every cell of Table 1 on the page is the module's (checked) cell and each of our rows is its shipped
    run's summary, on every part it has a run for (the one "best" recipe on both)."""
    from explainer.mode_collapse.summary import summarize
    from explainer.runs.store import default_store

    published = published_module()
    assert published.VERIFIED
    at = run_page(MC)
    assert not at.exception
    shown = {part: [t.value for t in at.table if f"modes (of {n})" in t.value]
             for part, n in (("ring", 8), ("grid", 25))}
    assert len(shown["ring"]) == len(shown["grid"]) == 1
    for part, keys in published.PART_KEYS.items():
        table = shown[part][0]
        assert list(table.columns) == ["runs", *[published.SHORT[k] for k in keys]], part
        for row, cells in published.TABLE1.items():
            expected = [c for k, c in zip(published.KEYS, cells, strict=True) if k in keys]
            assert table.loc[published.their_label(row)].tolist()[1:] == expected, (part, row)
        ours = {name: row.runs[part] for name, row in published.OURS.items() if part in row.runs}
        for name, preset in ours.items():
            result = default_store().load(PRESETS[preset].key())
            expected = published.our_cells({part: summarize(result.metrics)})
            row = table.loc[published.our_label(name)]
            assert row.tolist()[1:] == [expected[k] for k in keys], (part, name)
            assert row["runs"] == f"{len(result.metrics)} seeds, the shipped run"
            assert all("±" in cell for cell in row.tolist()[1:]), (part, name)
        assert len(table) == len(published.TABLE1) + len(ours), part
    assert published.OURS["best"].runs == {"ring": "best", "grid": "best-grid"}
    assert PRESETS["best-grid"] == PRESETS["best"].replace(dataset="grid25")  # one recipe on both data sets


def _shipped_metrics(name):
    import tempfile

    from explainer.paths import PRESETS_DIR
    from explainer.runs.store import RunStore

    run, source = RunStore(tempfile.mkdtemp(), readonly=[PRESETS_DIR]).load_entry(PRESETS[name].key())
    assert source == "preset"
    return run.metrics


def test_the_outcomes_the_page_states_hold_on_the_shipped_runs():
    """"collapse" collapses and WGAN-GP has not converged at 3,000 steps: measured, not asserted in prose."""
    from explainer.ui.mode_collapse import views

    assert views.outcome(_shipped_metrics("collapse"), PRESETS["collapse"].steps).startswith(
        "**Measured: collapsed.**")
    assert views.outcome(_shipped_metrics("wgan-gp"), PRESETS["wgan-gp"].steps).startswith(
        "**Measured: not converged.**")
    assert "not converged" not in views.outcome(_shipped_metrics("best"), PRESETS["best"].steps)
    for name in views.DESCRIPTIONS:  # the fixed captions describe the setting, not its outcome
        assert "settles on" not in views.DESCRIPTIONS[name] and "slow to converge" not in views.DESCRIPTIONS[name]


def test_the_remedies_chart_marks_a_run_that_has_not_converged():
    at = run_page(MC, {"config": "wgan-gp"})
    assert not at.exception, [e.value for e in at.exception]
    assert any(m.value.startswith("**Measured: not converged.**") for m in at.markdown)
    from explainer.ui.mode_collapse import views

    for bar in (fig.data[0] for fig in views.comparison_charts(views.comparison_table())):
        assert "WGAN-GP (not converged)" in bar.y and "Best" in bar.y  # marked on the chart, not only the table
        assert [bool(p) for p in bar.marker.pattern.shape] == [y.endswith("(not converged)") for y in bar.y]
    [protocol] = [t.value for t in at.table if "PacGAN (authors' code)" in t.value]
    assert views.OURS in protocol.columns and "WGAN-GP: loss wgan-gp" in protocol.loc["other presets", views.OURS]
    assert "soft penalty" in " ".join(m.value for m in at.markdown)


def test_published_numbers_are_shown_only_once_checked(monkeypatch):
    published = published_module()
    assert published.table("ring") is not None  # checked against the image: shown
    assert published.table("ring").set_index("method").loc["GAN (Lin et al.)", "modes (of 8)"] == "6.3 ± 0.5"
    assert published.table("grid").set_index("method").loc["PacGAN4 (Lin et al.)", "reverse KL"] == "0.04 ± 0.01"
    monkeypatch.setattr(published, "VERIFIED", False)
    assert published.table("ring") is None and published.table("grid") is None  # unchecked: never shown
    at = run_page(MC)
    assert not at.exception
    assert any("not shown" in i.value for i in at.info)
    assert not [t for t in at.table if "modes (of 8)" in t.value]


def test_published_cells_parse_as_printed():
    published = published_module()
    assert published.parse("6.3 ± 0.5") == (6.3, 0.5)
    assert published.parse("98.2 ± 0.2 %") == (98.2, 0.2)
    mean, se = published.parse("87.6 %")
    assert mean == 87.6 and se != se  # no recorded error: nan
    assert published.published("PacGAN4")["grid reverse KL"] == (0.04, 0.01)
    with pytest.raises(ValueError):
        published.parse("n/a")


def test_the_better_worse_sentence_comes_from_the_numbers():
    published = published_module()
    theirs = {"ring modes": (7.0, 0.1), "ring high quality": (95.0, 0.5), "ring reverse KL": (0.10, 0.01)}
    ours = {"ring modes": (8.0, 0.0), "ring high quality": (90.0, 1.0), "ring reverse KL": (0.105, 0.01)}
    s = published.compare(ours, theirs, "A", "B")
    assert s.startswith("Our A against their B: ")
    assert "better on modes (8.00 vs 7.00)" in s
    assert "worse on high quality (90.0 % vs 95.0 %)" in s
    assert "level (within the standard errors) on reverse KL" in s
    # lower reverse KL is better; a column only one side has is left out
    s = published.compare({"ring reverse KL": (0.01, 0.0), "grid modes": (25.0, 0.0)},
                          {"ring reverse KL": (0.5, 0.0)}, "A", "B")
    assert s == "Our A against their B: better on reverse KL (0.01 vs 0.5)."
    assert "worse" in published.compare({"grid reverse KL": (0.9, 0.0)}, {"grid reverse KL": (0.1, 0.0)}, "A", "B")
    assert "share no measured column" in published.compare({}, theirs, "A", "B")


def test_our_protocol_is_read_from_the_presets(monkeypatch):
    published = published_module()
    monkeypatch.setitem(published.PRESETS, "best", PRESETS["best"].replace(steps=12345, batch_size=77))
    ours = published.our_protocol()
    assert "12,345" in ours["length"] and "77" in ours["optimiser"]
    assert set(ours) == set(published.PROTOCOL)


def test_mode_collapse_hostile_link():
    at = run_page(MC, {"config": "best'; drop table"})
    assert not at.exception
    [notice] = [w.value for w in at.warning]
    assert notice.count("`config=") == 1 and "using collapse" in notice
    assert at.query_params == {}


def test_job_flow_never_blocks_on_training(monkeypatch):
    """Looking at an untrained config must not start a job (only the Train button does)."""
    query = {**TINY, "seed": "9191"}
    before = len(registry().jobs())
    run_page(GAN, query)
    time.sleep(0.1)
    assert len(registry().jobs()) == before


def test_mode_collapse_retrain_live_then_stop_keeps_the_shipped_run():
    """Retrain live (in jobs.show's flow, under the finished run) trains the shipped config again while the page
    watches; Stop leaves the shipped run drawn for everyone, with one sentence saying what happened."""
    at = run_page(MC, {"config": "collapse"})
    [retrain] = [b for b in at.button if b.label == "Retrain live"]
    retrain.click().run()
    assert not at.exception and "Training (job" in " ".join(p.proto.text for p in at.get("progress"))
    job = registry().get(PRESETS["collapse"].key())
    [stop] = [b for b in at.button if b.label == "Stop training"]
    stop.click().run()
    assert job.wait(60)
    at.run()
    assert not at.exception and not at.get("progress")
    assert any("Retraining was stopped before it finished" in i.value for i in at.info)
    assert "Seeds with ≤ 4 modes" in [m.label for m in at.metric]  # the shipped run, still drawn
    assert [b.label for b in at.button].count("Retrain live") == 1


def test_mode_collapse_live_view_draws_every_seed_of_the_newest_snapshot():
    """While a run retrains, the page shows all its seeds at the newest snapshot, each with its score."""
    from streamlit.testing.v1 import AppTest

    def script():
        from explainer.gan.presets import PRESETS
        from explainer.runs.jobs import JobView
        from explainer.runs.store import default_store
        from explainer.ui.mode_collapse import views

        config = PRESETS["smoke"]
        snap = default_store().load(config.key()).snapshots[1]
        view = JobView(key=config.key(), state="running", step=snap.step, total=config.steps, losses={},
                       snapshot=snap, snapshots=(snap,), elapsed_s=1.0, eta_s=1.0, error=None, source="trained")
        views.live_seeds(config)(view)

    at = AppTest.from_function(script, default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]
    seeds = [m.value for m in at.markdown if m.value.startswith("**seed ")]
    assert len(seeds) == PRESETS["smoke"].n_seeds and all("modes" in s for s in seeds)
    assert any("Newest snapshot: step" in c.value for c in at.caption)


def test_viewers_of_one_retrain_share_its_seed_pictures(monkeypatch):
    """The seed pictures of a snapshot are drawn once however many sessions watch (a classroom on one retrain),
    not once a viewer: each costs ≈ 0.35 s of server time, taken from the training thread."""
    from streamlit.testing.v1 import AppTest

    from explainer.ui.mode_collapse import views

    drawn = []
    real = views.seed_pictures
    monkeypatch.setattr(views, "seed_pictures", lambda *a: drawn.append(1) or real(*a))

    def script():
        from explainer.gan.presets import PRESETS
        from explainer.runs.jobs import JobView
        from explainer.ui import jobs
        from explainer.ui.mode_collapse import views

        config = PRESETS["smoke"]
        snap = jobs.find(config).result.snapshots[1]  # the process's one job: every session sees its snapshots
        view = JobView(key=config.key(), state="running", step=snap.step, total=config.steps, losses={},
                       snapshot=snap, snapshots=(snap,), elapsed_s=1.0, eta_s=1.0, error=None, source="trained")
        views.live_seeds(config)(view)

    for _ in range(3):  # three sessions
        at = AppTest.from_function(script, default_timeout=60).run()
        assert not at.exception and len(at.image) == PRESETS["smoke"].n_seeds
    assert len(drawn) == 1


def test_remedy_table_says_a_config_is_training_rather_than_untrained(monkeypatch):
    from types import SimpleNamespace

    from explainer.ui.mode_collapse import views

    running = SimpleNamespace(result=None, view=lambda: SimpleNamespace(state="running"))
    monkeypatch.setattr(views.jobs, "find", lambda config: running if config == PRESETS["vanilla"] else None)
    table = views.comparison_table().set_index("configuration")
    assert table.loc["Vanilla", "note"] == "training now"
    assert table.loc["Minimax loss", "note"] == "not trained yet"


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
    at = run_page(GAN, {"section": "compare", "seed": "32", "seed_b": "32", "steps": "200", "steps_b": "200"})
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.get("plotly_chart")) == 2


def test_compare_draws_a_and_b_as_equal_panels_with_one_loss_axis():
    """The two sides of a comparison: the same chart heights, untruncated metric labels, one shared loss range."""
    import json

    at = run_page(GAN, {"section": "compare"})
    assert not at.exception, [e.value for e in at.exception]
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
        job = SimpleNamespace(view=lambda: view, serial=1, key="k", cancel=lambda: None)
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
