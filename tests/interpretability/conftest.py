"""The Interpretability engine's tests share the shipped digits CNN and ten of its test digits."""
import pytest

from explainer.deep_learning.cnn import CNNConfig, digits_cnn
from explainer.runs.jobs import get_registry


@pytest.fixture(scope="module")
def cnn():
    return digits_cnn(get_registry().result_of(CNNConfig()))  # the shipped preset


@pytest.fixture(scope="module")
def digits(cnn):
    return [(cnn.test_images[i], int(cnn.test_labels[i])) for i in range(10)]
