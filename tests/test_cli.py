"""The command line, on the tiny "smoke" preset, with the run cache in tmp_path."""
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from explainer import cli
from explainer.gan.presets import PRESETS
from explainer.runs import jobs
from explainer.runs.store import RunStore

ROOT = Path(__file__).resolve().parent.parent
TINY = ["--preset", "smoke", "--steps", "30"]


@pytest.fixture(autouse=True)
def fresh_cache(tmp_path, monkeypatch):
    """Each test: its own cache directory and its own process-wide registry."""
    monkeypatch.setenv("EXPLAINER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(jobs, "_registry", None)
    yield tmp_path
    if jobs._registry is not None:
        jobs._registry.shutdown()


def test_train_prints_metrics_and_caches(capsys, monkeypatch):
    assert cli.main(["train", *TINY]) == 0
    out = capsys.readouterr().out
    assert "status done" in out and "modes_covered" in out and "high_quality" in out
    config = PRESETS["smoke"].replace(steps=30)
    assert RunStore(readonly=[]).load(config.key()) is not None
    monkeypatch.setattr(jobs, "_registry", None)  # as if in a new process
    assert cli.main(["train", *TINY]) == 0  # second time: from the cache
    assert "loaded from the cache" in capsys.readouterr().out


def test_config_options_override_the_preset():
    args = cli.build_parser().parse_args(["train", "--preset", "collapse", "--dataset", "grid", "--seeds", "3",
                                          "--lr-g", "2e-4", "--pack", "2", "--minibatch-std", "--betas", "0.5", "0.9"])
    c = cli.config_from_args(args)
    assert c == PRESETS["collapse"].replace(dataset="grid25", n_seeds=3, lr_g=2e-4, pack=2, minibatch_std=True,
                                            betas=(0.5, 0.9))


@pytest.mark.parametrize("suffix", [".npy", ".csv"])
def test_sample_writes_samples(tmp_path, suffix):
    out = tmp_path / f"samples{suffix}"
    assert cli.main(["sample", *TINY, "--n", "50", "--out", str(out), "--seed-index", "1", "--quiet"]) == 0
    x = np.load(out) if suffix == ".npy" else np.loadtxt(out, delimiter=",", skiprows=1)
    assert x.shape == (50, 2) and np.isfinite(x).all()


def test_sample_reproduces_the_metric_samples(tmp_path):
    """n = 2500 from seed i are the very samples its final metrics were computed on."""
    from explainer.data import ring8
    from explainer.gan.metrics import mixture_scores

    out = tmp_path / "s.npy"
    assert cli.main(["sample", *TINY, "--n", "2500", "--out", str(out), "--quiet"]) == 0
    run = RunStore(readonly=[]).load(PRESETS["smoke"].replace(steps=30).key())
    ring = ring8()
    score = mixture_scores(np.load(out)[None], ring.modes, ring.sigma).iloc[0]
    assert score["modes_covered"] == run.metrics["modes_covered"].iloc[0]
    assert score["high_quality"] == pytest.approx(run.metrics["high_quality"].iloc[0])


def test_bad_values_exit_with_one_clear_line(tmp_path, capsys):
    with pytest.raises(SystemExit) as e:
        cli.main(["train", "--lr-g", "-1"])
    assert e.value.code == 2 and "lr_g" in capsys.readouterr().err
    with pytest.raises(SystemExit) as e:
        cli.main(["sample", *TINY, "--seed-index", "5", "--out", str(tmp_path / "x.npy"), "--quiet"])
    assert e.value.code == 2 and "seed-index" in capsys.readouterr().err


def test_warm_named_preset(capsys):
    assert cli.main(["warm", "smoke"]) == 0
    assert "smoke" in capsys.readouterr().out
    # warm leaves a preset that ships with the repository where it is (instant already), else caches it
    assert RunStore().load(PRESETS["smoke"].key()) is not None


def test_ship_presets_to_a_directory(tmp_path):
    from explainer.runs.ship import ship_presets

    dest = tmp_path / "shipped"
    ship_presets(PRESETS, ["smoke"], dest=dest)
    run, source = RunStore(tmp_path / "empty", readonly=[dest]).load_entry(PRESETS["smoke"].key())
    assert source == "preset" and run.status == "done"


def test_python_dash_m_entry_point():
    r = subprocess.run([sys.executable, "-m", "explainer", "--help"], cwd=ROOT, capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 0 and "train" in r.stdout and "sample" in r.stdout
