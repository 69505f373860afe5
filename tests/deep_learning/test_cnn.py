"""The digits CNN: accuracy, its run (stored and read back), feature maps, and drawn digits it reads."""
import numpy as np
import pytest
import torch

from explainer.deep_learning import cnn
from explainer.deep_learning.drawing import preprocess_drawing
from explainer.runs.jobs import execute
from explainer.runs.result import CANCELLED, DONE
from explainer.runs.store import RunStore
from tests.support.drawings import canvas, ring


@pytest.fixture(scope="module")
def run():
    reports = []
    result = execute(cnn.CNNConfig(), reports.append)
    assert [p.step for p in reports] == list(range(1, cnn.CNNConfig().epochs + 1))
    assert all(p.total_steps == cnn.CNNConfig().epochs for p in reports)
    return result


@pytest.fixture(scope="module")
def trained(run):
    return cnn.digits_cnn(run)


def test_accuracy_and_confusion(run, trained):
    assert run.status == DONE and not run.diverged.any()
    assert trained.test_accuracy >= 0.95
    assert trained.confusion.shape == (10, 10)
    assert trained.confusion.sum() == len(trained.test_labels)
    assert np.trace(trained.confusion) / trained.confusion.sum() == pytest.approx(trained.test_accuracy)


def test_a_stored_run_gives_back_the_same_model(run, trained, tmp_path):
    store = RunStore(tmp_path, readonly=[])
    store.save(run)
    again = cnn.digits_cnn(store.load(run.key))
    assert again.test_accuracy == trained.test_accuracy
    np.testing.assert_array_equal(again.confusion, trained.confusion)
    image = trained.test_images[0]
    np.testing.assert_array_equal(cnn.predict_proba(again.model, image), cnn.predict_proba(trained.model, image))


def test_training_is_deterministic_and_stops_when_asked(run):
    import threading

    config = cnn.CNNConfig(epochs=2)
    a, b = execute(config), execute(config)
    for name, tensor in a.weights.items():
        assert torch.equal(tensor, b.weights[name]), name
    stop = threading.Event()
    stop.set()
    assert execute(config, stop=stop).status == CANCELLED


def test_the_key_names_the_model_and_its_settings():
    assert cnn.CNNConfig().key() == cnn.CNNConfig().key()
    assert cnn.CNNConfig(epochs=3).key() != cnn.CNNConfig().key()
    assert len(cnn.CNNConfig().key()) == 64


def test_feature_maps_filters_and_probabilities(trained):
    model, image = trained.model, trained.test_images[0]
    maps = cnn.feature_maps(model, image)
    assert list(maps) == list(cnn.LAYERS)
    assert maps["conv1"].shape == (8, 8, 8) and maps["conv2"].shape == (16, 8, 8) and maps["pool"].shape == (16, 4, 4)
    assert (maps["relu1"] >= 0).all() and np.allclose(maps["relu2"], np.maximum(maps["conv2"], 0))
    f = cnn.filters(model)
    assert f["conv1"].shape == (8, 1, 3, 3) and f["conv2"].shape == (16, 8, 3, 3)
    p = cnn.predict_proba(model, image)
    assert p.shape == (10,) and p.sum() == pytest.approx(1, abs=1e-5)
    assert cnn.predict_proba(model, image.reshape(64)).shape == (10,)
    batch = cnn.predict_proba(model, trained.test_images[:5])
    assert batch.shape == (5, 10)
    with pytest.raises(ValueError):
        cnn.predict_proba(model, np.zeros((7, 7)))
    with pytest.raises(ValueError):
        cnn.predict_proba(model, np.full((8, 8), np.nan))


def test_a_drawn_zero_becomes_an_8x8_digit_the_model_reads(trained):
    results = [preprocess_drawing(canvas(ring(), style)) for style in ("transparent", "white_on_black", "black")]
    for x in results:
        assert x.shape == (8, 8) and x.min() >= 0 and x.max() <= 16 and x.max() > 8
        assert np.allclose(x, results[0])  # polarity and transparency do not matter
    assert cnn.predict_proba(trained.model, results[0]).argmax() == 0


def test_upscaled_dataset_digits_come_back_close_to_themselves(trained):
    model, images = trained.model, trained.test_images[:60]
    agree = 0
    for image in images:
        big = np.kron(image / 16, np.ones((24, 24)))  # 192×192 gray, white on black
        back = preprocess_drawing((big * 255).astype(np.uint8))
        agree += cnn.predict_proba(model, back).argmax() == cnn.predict_proba(model, image).argmax()
    assert agree / len(images) >= 0.9  # 95.5% over the whole test split
