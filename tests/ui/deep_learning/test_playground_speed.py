"""The playground's speed control: Play trains the chosen number of steps a redraw, or as many as fit (0)."""
from explainer.deep_learning.playground import PlaygroundConfig, PlaygroundTrainer
from explainer.ui.deep_learning.playground import advance


def test_play_takes_the_chosen_steps_a_redraw_and_full_speed_takes_more():
    e = {"trainer": PlaygroundTrainer(PlaygroundConfig()), "rate": None}
    advance(e, 1)
    assert e["trainer"].steps == 1  # slow motion: one step, even before the speed is known
    advance(e, 10)
    assert e["trainer"].steps == 11
    for _ in range(3):  # the measured speed settles
        advance(e, 0)
    before = e["trainer"].steps
    advance(e, 0)  # full speed: as many as fit in a tick's training budget, far more than slow motion
    assert e["trainer"].steps - before > 10
    before = e["trainer"].steps
    advance(e, 10_000)  # never more than fits in a tick, whatever is asked: the picture must keep up
    assert e["trainer"].steps - before < 10_000
