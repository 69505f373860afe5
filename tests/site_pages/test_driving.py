"""AppTest for the "Autonomous driving" page: every section draws from the shipped runs without training, and
hostile links get a notice instead of an exception."""
from explainer.driving.presets import EPISODES, FULL_DAGGER, FULL_DATA_ENGINE
from tests.support.apptest import ROOT, run_clean

PAGE = "site_pages/driving.py"


def page(query=None):
    return run_clean(PAGE, query)


def text(at) -> str:
    return " ".join(str(e.value) for kind in ("markdown", "caption", "info", "warning") for e in at.get(kind))


def test_the_stack_replays_the_shipped_episode_without_simulating(fresh_registry):
    at = page()
    assert at.title[0].value.startswith("Autonomous driving")
    assert "The stack: perception → planning → control" in [h.value for h in at.header]
    assert len(at.dataframe) == 2  # the kinematics table, the plan and the commands
    assert "plan (MOBIL)" in at.dataframe[1].value["stage"].tolist()
    assert "A trained run shipped with the site" in text(at)
    assert fresh_registry.get(EPISODES["highway"].key()).view().source == "preset"


def test_stepping_moves_the_tables_and_the_link():
    at = page()
    at.button(key="drive:next").click().run()
    assert not at.exception
    assert at.query_params.get("step") in ("1", ["1"])


def test_one_time_control_moves_the_picture_and_the_tables_together():
    """Play, the step buttons and the slider all set the one shown step: the picture's title, the tables and the
    link follow it (there is no second control inside the picture)."""
    at = page({"step": "7"})
    before = at.dataframe[1].value["decision"].tolist()
    at.button(key="drive:play").click().run()  # playing: the fragment's ticks advance the step
    assert not at.exception and at.button(key="drive:play").label == "Pause"
    assert not [s for s in at.slider if s.label == "Step"]  # while playing, a progress bar shows the step
    at.button(key="drive:play").click().run()  # Pause: the slider is back where the replay is
    assert not at.exception and at.button(key="drive:play").label == "Play"
    [step] = [s for s in at.slider if s.label == "Step"]
    assert step.value >= 7
    step.set_value(30).run()
    assert at.query_params.get("step") in ("30", ["30"])
    assert at.dataframe[1].value["decision"].tolist() != before


def test_imitation_and_data_engine_sections_draw_their_shipped_results(fresh_registry):
    at = page({"section": "imitation"})
    assert any(r"T^2\varepsilon" in x.value for x in at.latex)
    assert "Seed by seed, DAgger failed fewer drives than cloning from the same starts" in text(at)
    assert [m.label for m in at.metric][:2] == ["Demonstration alone: failed", "DAgger: failed"]
    at = page({"section": "data-engine"})
    assert "Tesla Autonomy Day" in text(at) and "(22 April 2019) Andrej Karpathy spoke about" in text(at)
    assert any(m.label.startswith("Rare scenario") for m in at.metric)
    for shipped in (FULL_DAGGER, FULL_DATA_ENGINE):  # drawn from the shipped runs, nothing trained
        job = fresh_registry.get(shipped.key())
        assert job is not None and job.view().source == "preset"


def test_the_steering_section_shows_the_shipped_network_and_its_saliency():
    at = page({"section": "steering", "sframe": "999"})
    assert "End-to-end steering: from pixels to the wheel" in [h.value for h in at.header]
    assert any(m.label.startswith("Correlation with the expert") for m in at.metric)
    assert len(at.get("plotly_chart")) == 2  # steering along the drive, the saliency maps
    assert "sframe" in " ".join(w.value for w in at.warning)  # clamped to the drive's last frame


def test_out_of_range_links_are_clamped_with_a_notice():
    at = page({"section": "nope", "eseed": "-5", "step": "999", "scenario": "moon"})
    notices = " ".join(w.value for w in at.warning)
    assert "section" in notices and "eseed" in notices and "scenario" in notices
    assert "past this episode's last step" in notices


def test_references_are_there():
    at = page()
    refs = " ".join(m.value for m in at.markdown)
    for ref in ("ALVINN", "End to End Learning for Self-Driving Cars", "VisualBackProp", "DAgger",
                "Intelligent Driver Model", "MOBIL", "Leurent", "Tesla Autonomy Day, 22 Apr 2019"):
        assert ref in refs, ref


def test_the_live_runs_offer_a_seed_and_a_fresh_seed_waits_for_train():
    at = page({"section": "data-engine", "engine": "live", "gseed": "3"})
    assert any(b.label == "Train" for b in at.button)  # never trains on its own: a click starts it
    at = page({"section": "imitation", "dagger": "live"})
    assert "Cloning the demonstration alone" in text(at)  # seed 0 of the live run ships


def test_drawing_every_section_from_the_shipped_runs_never_loads_the_simulator():
    """A first render only reads shipped runs: highway-env, gymnasium and pygame stay unimported (a fresh
    interpreter, since other tests in this process simulate)."""
    import subprocess
    import sys

    code = ("from tests.support.apptest import run_page\n"
            "for q in (None, {'section': 'steering'}, {'section': 'imitation'}, {'section': 'data-engine'}):\n"
            "    assert not run_page('site_pages/driving.py', q).exception\n"
            "import sys\n"
            "print(sorted(m for m in ('highway_env', 'gymnasium', 'pygame') if m in sys.modules))\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_the_data_engine_sentence_says_what_the_rounds_did():
    import pandas as pd

    from explainer.ui.driving.data_engine import _trend

    def said(rare, common=(0, 0, 0, 0)):
        return _trend(pd.DataFrame({"step": range(len(rare)), "rare_failure_rate": [r / 10 for r in rare],
                                    "common_failure_rate": [c / 10 for c in common[:len(rare)]]}), 10)

    assert "fell over 2 rounds: 10 → 3 → 3 → 1 of 10 while common driving stayed at 0/10" in said([10, 3, 3, 1])
    assert "fell at once, 10 → 0 of 10, after round 1, and stayed" in said([10, 0, 0, 0])
    assert "did not fall" in said([4, 4, 5], [0, 1, 0])
    assert "common driving went 0 → 1 → 0 of 10" in said([4, 4, 5], [0, 1, 0])
    assert "round 3 failed more" in said([10, 2, 0, 2])
    assert "shows nothing for the loop to fix" in said([0, 0]) and "worse" not in said([0, 0])
    assert "made it worse: 0 → 3 of 10" in said([0, 3])
