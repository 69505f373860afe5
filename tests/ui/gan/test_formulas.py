"""The math section's measured line: whether the minimax loss did worse is read off the 10-seed runs."""
import pandas as pd

from explainer.ui.gan.formulas import losses_compared


def _metrics(outcomes):
    rows = {"covers": (8, 0.5), "collapsed": (2, 0.4), "not converged": (8, 0.01)}
    return pd.DataFrame([{"modes_covered": rows[o][0], "high_quality": rows[o][1], "diverged": False}
                         for o in outcomes])


def test_the_minimax_loss_is_said_to_do_worse_only_when_fewer_seeds_cover_the_modes():
    same = losses_compared(_metrics(["covers"] * 8 + ["collapsed"] * 2), _metrics(["covers"] * 10))
    assert "non-saturating loss 8 of 10 seeds covered more than 4 modes" in same
    assert "minimax loss 10 of 10 seeds" in same and "did no worse" in same
    worse = losses_compared(_metrics(["covers"] * 10), _metrics(["covers"] * 6 + ["not converged"] * 4))
    assert "so here the minimax loss did worse" in worse
