"""glassnet.random: Keras's names, shapes, dtypes and seed rules; the draws' statistics."""
import numpy as np
import pytest

import glassnet as gn
from glassnet import random


def test_int_seed_repeats_and_seed_generator_advances():
    assert np.array_equal(random.normal((3, 2), seed=5).numpy(), random.normal((3, 2), seed=5).numpy())
    generator = random.SeedGenerator(7)
    first, second = random.uniform((4,), seed=generator).numpy(), random.uniform((4,), seed=generator).numpy()
    assert not np.array_equal(first, second) and generator.counter == 2
    again = random.SeedGenerator(7)
    assert np.array_equal(random.uniform((4,), seed=again).numpy(), first)
    assert np.array_equal(random.uniform((4,), seed=again).numpy(), second)
    # the k-th draw is NumPy's default_rng([seed, k])
    expected = np.random.default_rng([7, 0]).uniform(0.0, 1.0, size=(4,)).astype("float32")
    assert np.array_equal(first, expected)


def test_none_seed_draws_from_the_global_stream():
    gn.utils.set_random_seed(3)
    a = random.normal((5,)).numpy()
    gn.utils.set_random_seed(3)
    assert np.array_equal(random.normal((5,)).numpy(), a)
    assert not np.array_equal(random.normal((5,)).numpy(), a)


def test_shapes_dtypes_and_ranges():
    x = random.normal((200, 50), mean=2.0, stddev=0.5, seed=0)
    assert x.shape == (200, 50) and x.dtype == np.float32
    assert abs(x.numpy().mean() - 2.0) < 0.01 and abs(x.numpy().std() - 0.5) < 0.01
    u = random.uniform((10000,), minval=-1, maxval=3, dtype="float64", seed=1).numpy()
    assert u.dtype == np.float64 and u.min() >= -1 and u.max() < 3 and abs(u.mean() - 1.0) < 0.05
    t = random.truncated_normal((20000,), stddev=2.0, seed=2).numpy()
    assert np.abs(t).max() <= 4.0 and abs(t.std() - 2.0 * 0.8796) < 0.03     # σ·0.8796 for ±2σ truncation
    r = random.randint((1000,), 2, 5, seed=3).numpy()
    assert r.dtype == np.int32 and set(np.unique(r)) == {2, 3, 4}
    assert random.normal(4, seed=0).shape == (4,)


def test_categorical_follows_the_softmax():
    logits = np.log(np.array([[0.1, 0.9], [1.0, 1e-9]]))
    ids = random.categorical(logits, 4000, seed=0).numpy()
    assert ids.shape == (2, 4000) and abs(ids[0].mean() - 0.9) < 0.02 and ids[1].max() == 0


def test_gamma_beta_binomial_moments():
    g = random.gamma((20000,), alpha=3.0, seed=0).numpy()           # mean α, variance α
    assert abs(g.mean() - 3.0) < 0.05 and abs(g.var() - 3.0) < 0.15
    b = random.beta((20000,), alpha=2.0, beta=6.0, seed=1).numpy()   # mean α/(α+β) = 0.25
    assert 0 < b.min() and b.max() < 1 and abs(b.mean() - 0.25) < 0.01
    k = random.binomial((20000,), counts=10, probabilities=0.3, seed=2).numpy()   # mean n·p = 3
    assert k.dtype == np.float32 and set(np.unique(k)) <= set(range(11)) and abs(k.mean() - 3.0) < 0.05
    with pytest.raises(ValueError, match="probabilities must be in"):
        random.binomial((2,), 3, 1.5)
    with pytest.raises(ValueError, match="alpha must be positive"):
        random.gamma((2,), 0.0)


def test_shuffle_is_a_permutation_along_the_axis():
    x = np.arange(12).reshape(3, 4)
    shuffled = random.shuffle(x, axis=1, seed=0).numpy()
    assert np.array_equal(np.sort(shuffled, axis=1), x)
    assert np.array_equal(shuffled - 4 * np.arange(3)[:, None], np.tile(shuffled[0], (3, 1)))   # one permutation
    assert np.array_equal(random.shuffle(x, seed=4).numpy(), random.shuffle(x, seed=4).numpy())


def test_dropout_scales_the_kept_entries_and_passes_gradients():
    x = gn.Tensor(np.ones((100, 100)), requires_grad=True)
    y = random.dropout(x, 0.25, seed=0)
    values = y.numpy()
    assert set(np.unique(values)) == {0.0, 1.0 / 0.75}
    assert abs((values == 0).mean() - 0.25) < 0.02
    y.sum().backward()
    assert np.array_equal(x.grad, values)                        # ∂y/∂x = m / (1 − rate)
    same_per_row = random.dropout(np.ones((4, 6)), 0.5, noise_shape=(4, 1), seed=1).numpy()
    assert all(len(set(row)) == 1 for row in same_per_row)


@pytest.mark.parametrize("call, message", [
    (lambda: random.normal((2,), seed=-1), "seed must be None, a non-negative int or a SeedGenerator"),
    (lambda: random.normal((2,), seed=1.5), "seed must be"),
    (lambda: random.normal((2,), stddev=0), "stddev must be a positive number"),
    (lambda: random.uniform((2,), minval=1, maxval=1), "maxval must be greater than minval"),
    (lambda: random.uniform((2,), dtype="int32"), "dtype must be a float dtype"),
    (lambda: random.randint((2,), 0, 5, dtype="float32"), "integer dtype"),
    (lambda: random.randint((2,), 3, 3), "minval < maxval"),
    (lambda: random.normal((2, -1)), "shape must be a tuple of non-negative ints"),
    (lambda: random.dropout(np.ones(3), 1.0), r"rate must be in \[0, 1\)"),
    (lambda: random.dropout(np.ones((2, 3)), 0.5, noise_shape=(2, 2)), "does not broadcast"),
    (lambda: random.shuffle(np.ones(3), axis=1), "out of range"),
    (lambda: random.SeedGenerator(-3), "non-negative int"),
    (lambda: random.categorical(np.ones(3), 2), "2-D"),
])
def test_bad_arguments_are_named(call, message):
    with pytest.raises(ValueError, match=message):
        call()
