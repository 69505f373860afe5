"""The digits classifier that scores the image GAN."""
import numpy as np
import pytest
import torch

from explainer.data import split_digits
from explainer.gan import classifier


def test_digits_classifier_is_accurate_and_built_once_per_run():
    from explainer.runs.jobs import get_registry

    run = get_registry().result_of(classifier.ClassifierConfig())  # the shipped run
    clf = classifier.DigitsClassifier.of(run)
    assert clf.test_accuracy >= 0.97
    assert classifier.DigitsClassifier.of(run) is clf
    _, _, x_te, y_te = split_digits()
    probs = clf.predict_proba(x_te)
    assert (probs.argmax(1) == y_te).mean() == pytest.approx(clf.test_accuracy)
    table = classifier.digit_scores(run, x_te[None])
    assert table.classes_covered[0] == 10 and table.min_class_share[0] > 0.05
    assert table.confident_share[0] > 0.8


def test_digit_score_by_hand():
    probs = np.zeros((4, 10))
    probs[0, 3] = 1.0
    probs[1, 3] = 0.95
    probs[1, 2] = 0.05
    probs[2, 7] = 0.6
    probs[2, 1] = 0.4
    probs[3, 7] = 0.91
    probs[3, 0] = 0.09
    s = classifier.digit_score(probs)
    assert s["classes_covered"] == 2 and s["min_class_share"] == 0 and s["confident_share"] == 0.75
    assert s["class_3"] == 0.5 and s["class_7"] == 0.5


def test_a_missing_classifier_run_is_trained_through_the_registry_and_stored(tmp_path, monkeypatch):
    """What an image-GAN run gets from run.require(ClassifierConfig()) when nothing is shipped: the registry
    trains it once, stores it, and a later process reads it back."""
    from explainer.runs.jobs import JobRegistry
    from explainer.runs.store import RunStore

    store = RunStore(tmp_path, readonly=[])  # no shipped presets
    fake_state = {k: torch.zeros_like(v) for k, v in classifier._net().state_dict().items()}
    monkeypatch.setattr(classifier, "train_classifier", lambda run: (fake_state, 0.5))
    config = classifier.ClassifierConfig()
    assert float(JobRegistry(store=store).result_of(config).metrics["test_accuracy"].iloc[0]) == 0.5
    stored = store.load(config.key())
    assert stored is not None and float(stored.metrics["test_accuracy"].iloc[0]) == 0.5
    monkeypatch.setattr(classifier, "train_classifier", lambda run: pytest.fail("trained twice"))
    again = JobRegistry(store=store).result_of(config)  # another process: read back from the store
    assert float(again.metrics["test_accuracy"].iloc[0]) == 0.5
