"""ReplayBuffer (ring order, sampling without replacement, the early-sample error), ε schedules, noise."""
import numpy as np
import pytest

from glassnet.rl import (ExponentialSchedule, GaussianNoise, LinearSchedule, OrnsteinUhlenbeckNoise,
                         ReplayBuffer, epsilon_greedy)


def _add(buffer, i):
    buffer.add(np.array([i, -i], np.float32), i % 2, float(i), np.array([i + 1, -i - 1], np.float32), i == 4)


def test_ring_buffer_overwrites_the_oldest_first():
    buffer = ReplayBuffer(3, seed=0)
    for i in range(5):                    # 0 1 2 go to slots 0 1 2; then 3 → slot 0, 4 → slot 1
        _add(buffer, i)
    assert len(buffer) == 3 and buffer.position == 2
    np.testing.assert_array_equal(buffer._storage["rewards"], [3.0, 4.0, 2.0])
    np.testing.assert_array_equal(buffer._storage["states"][:, 0], [3.0, 4.0, 2.0])
    np.testing.assert_array_equal(buffer._storage["dones"], [0.0, 1.0, 0.0])
    _add(buffer, 5)                       # next the oldest left, 2, in slot 2
    np.testing.assert_array_equal(buffer._storage["rewards"], [3.0, 4.0, 5.0])


def test_sample_is_without_replacement_within_a_batch():
    buffer = ReplayBuffer(100, seed=1)
    for i in range(100):
        _add(buffer, i)
    for _ in range(50):
        batch = buffer.sample(64)
        assert len(np.unique(batch["indices"])) == 64
        assert len(np.unique(batch["rewards"])) == 64           # the rows are the transitions of those slots
        np.testing.assert_array_equal(batch["rewards"], batch["indices"].astype(np.float32))
        np.testing.assert_array_equal(batch["next_states"][:, 0], batch["states"][:, 0] + 1)
    everything = buffer.sample(100)                              # a full-size batch is a permutation
    np.testing.assert_array_equal(np.sort(everything["indices"]), np.arange(100))
    assert batch["actions"].dtype == np.int64


def test_sampling_before_a_batch_is_stored_is_a_clear_error():
    buffer = ReplayBuffer(10)
    for i in range(3):
        _add(buffer, i)
    with pytest.raises(ValueError, match="holds 3 transitions, fewer than batch_size=4"):
        buffer.sample(4)
    with pytest.raises(ValueError, match="capacity"):
        ReplayBuffer(0)
    with pytest.raises(ValueError, match="state shape"):
        buffer.add(np.zeros(3), 0, 0.0, np.zeros(3), False)


def test_epsilon_schedules():
    linear = LinearSchedule(1.0, 0.1, 100)
    assert [linear(t) for t in (0, 50, 100, 1000)] == pytest.approx([1.0, 0.55, 0.1, 0.1])   # 1 + (0.1 − 1)·t/100
    exponential = ExponentialSchedule(1.0, 0.1, 0.5)
    assert [exponential(t) for t in (0, 1, 2)] == pytest.approx([1.0, 0.55, 0.325])          # 0.1 + 0.9·0.5^t
    with pytest.raises(ValueError, match="probability"):
        LinearSchedule(1.5, 0.1, 10)
    rng = np.random.default_rng(0)
    assert all(epsilon_greedy([0.0, 2.0, 1.0], 0.0, rng) == 1 for _ in range(20))
    picks = {epsilon_greedy([0.0, 2.0, 1.0], 1.0, rng) for _ in range(200)}
    assert picks == {0, 1, 2}


def test_noise():
    ou = OrnsteinUhlenbeckNoise(2, mean=1.0, theta=0.5, sigma=0.0, dt=0.1)
    ou.x = np.array([3.0, -1.0])
    np.testing.assert_allclose(ou(), [3.0 + 0.5 * (1 - 3.0) * 0.1, -1.0 + 0.5 * (1 + 1.0) * 0.1])   # [2.9, −0.9]
    ou.reset()
    np.testing.assert_array_equal(ou.x, [1.0, 1.0])
    draws = GaussianNoise(20_000, sigma=0.3, seed=0)()
    assert abs(draws.std() - 0.3) < 0.01 and abs(draws.mean()) < 0.01
