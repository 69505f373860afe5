"""The page's trained models, rebuilt once per finished run and shared by every session (runs.result.derived)."""
from explainer.deep_learning.cnn import DigitsCNNResult, digits_cnn
from explainer.runs.result import derived


def trained(run) -> DigitsCNNResult:
    """The digits CNN of a finished run; the same object the Deep learning page's CNN section uses."""
    return derived(run, "digits_cnn", lambda: digits_cnn(run))
