"""Driving with the expert: deterministic for a seed, keeps its lane."""
import numpy as np

from explainer.driving import imitation, sim


def test_expert_data_collection_is_deterministic_for_a_seed(torch_one_thread):
    a, b = (imitation.rollout("racetrack", 3, 15) for _ in range(2))
    assert a.features.shape == (15, len(sim.FEATURES)) and a.labels.shape == (15, 2)
    np.testing.assert_array_equal(a.features, b.features)
    np.testing.assert_array_equal(a.labels, b.labels)
    c = imitation.rollout("racetrack", 4, 15)
    assert not np.array_equal(a.features, c.features)  # another seed, another drive


def test_the_expert_keeps_its_lane_and_does_not_crash():
    r = imitation.rollout("racetrack", 0, 40)
    assert r.failed_at is None and r.deviation.max() < sim.LANE_LIMIT
