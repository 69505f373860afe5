"""The GAN views' captions and built-once figures."""
from explainer.runs import result as result_mod
from explainer.ui.gan import plots
from explainer.ui.gan import views as gan_views
from tests.support.fakes import FakeConfig, fake_result


def test_a_figure_is_built_once_per_finished_run():
    calls = []

    def build():
        calls.append(1)
        return object()

    a, b = fake_result(FakeConfig()), fake_result(FakeConfig())  # same key, two runs (e.g. a retrain)
    first = result_mod.derived(a, "replay", build, ("real",), 560)
    assert result_mod.derived(a, "replay", build, ("real",), 560) is first and len(calls) == 1
    assert result_mod.derived(a, "replay", build, ("real", "fake"), 560) is not first  # other layers
    assert result_mod.derived(b, "replay", build, ("real",), 560) is not first  # another run
    assert len(calls) == 3


def test_presenter_mode_gets_its_own_larger_copy_of_a_cached_chart(monkeypatch):
    from explainer.ui import charts, presenter

    result = fake_result(FakeConfig())
    build = lambda: plots.curves(result.history, {"d_loss": "D loss"})  # noqa: E731
    monkeypatch.setattr(presenter, "is_on", lambda: False)
    normal = gan_views.figure(result, "losses", build)
    monkeypatch.setattr(presenter, "is_on", lambda: True)
    big = gan_views.figure(result, "losses", build)
    assert big is not normal and big.layout.font.size == charts.PRESENTER_FONT > normal.layout.font.size
    assert gan_views.figure(result, "losses", build) is big  # cached per mode


def test_a_run_keeps_only_its_newest_figures():
    result = fake_result(FakeConfig())
    for i in range(result_mod.MAX_DERIVED_PER_RUN + 5):
        result_mod.derived(result, "replay", object, i)
    assert len(result.derived) == result_mod.MAX_DERIVED_PER_RUN
    assert ("replay", 0) not in result.derived and ("replay", result_mod.MAX_DERIVED_PER_RUN + 4) in result.derived


def test_the_background_caption_and_loss_legend_follow_the_loss_and_packing():
    from explainer.gan.config import GANConfig

    bce, wgan = GANConfig(), GANConfig(loss="wgan-gp", pack=2)
    assert "probability" in gan_views.background_caption(bce) and "copies" not in gan_views.background_caption(bce)
    caption = gan_views.background_caption(wgan)
    assert "raw score, not a probability" in caption and "percentile" in caption and "2 copies" in caption
    assert gan_views.loss_names(bce)["d_loss"] == "D loss"
    assert gan_views.loss_names(wgan)["d_loss"] == "D loss (incl. λ·GP, λ = 10)"
