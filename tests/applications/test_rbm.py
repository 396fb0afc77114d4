"""The RBM's contrastive-divergence update, worked by hand, and the deep belief net built on it."""
import math

import numpy as np
import pytest

import glassnet as gn
from glassnet import backend, layers
from glassnet.applications import DBN, pretrain_greedily
from glassnet.testing import layer_gradcheck

LN3 = math.log(3.0)      # σ(ln 3) = 3/4, σ(0) = 1/2, σ(−ln 3) = 1/4: sums of ±ln 3 give pencil-friendly numbers


@pytest.fixture
def float64():
    previous = backend.floatx()
    backend.set_floatx("float64")
    yield
    backend.set_floatx(previous)


class Uniforms:
    """A stand-in for the random stream: hands out the given uniforms u (h = 1 where u < p)."""

    def __init__(self, *draws):
        self.draws = list(draws)

    def random(self, shape):
        u = np.asarray(self.draws.pop(0), dtype=float)
        assert u.shape == tuple(shape)
        return u


def rbm_3x2():
    rbm = layers.RBM(2)
    rbm.build((None, 3))
    rbm.kernel.assign(np.array([[LN3, 0.0], [0.0, LN3], [-LN3, LN3]]))   # W, 3 visible × 2 hidden; b = c = 0
    return rbm


def test_cd1_update_matches_the_formula_by_hand(float64):
    rbm = rbm_3x2()
    v0 = np.array([[1.0, 0.0, 1.0]])
    # up:    v⁰W = [ln3 − ln3, ln3] = [0, ln3]            → p_h⁰ = [0.5, 0.75]
    # sample with u = [0.3, 0.9]:                          → h⁰ = [1, 0]
    # down:  h⁰Wᵀ = W[:, 0] = [ln3, 0, −ln3]              → v¹ = [0.75, 0.5, 0.25]
    # up:    v¹W = [0.75·ln3 − 0.25·ln3, 0.5·ln3 + 0.25·ln3] = [½ ln3, ¾ ln3]
    #                                   → p_h¹ = [√3/(1+√3), 3^¾/(1+3^¾)] = [0.633975, 0.695076]
    ph1 = np.array([math.sqrt(3) / (1 + math.sqrt(3)), 3 ** 0.75 / (1 + 3 ** 0.75)])
    # ΔW = η(v⁰ᵀp_h⁰ − v¹ᵀp_h¹), with η = 1:
    #   v⁰ᵀp_h⁰ = [[0.5, 0.75], [0, 0], [0.5, 0.75]]
    #   v¹ᵀp_h¹ = [[0.475481, 0.521307], [0.316987, 0.347538], [0.158494, 0.173769]]
    #   ΔW      = [[0.024519, 0.228693], [−0.316987, −0.347538], [0.341506, 0.576231]]
    # Δb = v⁰ − v¹ = [0.25, −0.5, 0.75];  Δc = p_h⁰ − p_h¹ = [−0.133975, 0.054924]
    delta = rbm.contrastive_divergence(v0, k=1, learning_rate=1.0, rng=Uniforms([[0.3, 0.9]]))
    expected_dW = np.array([[0.024519, 0.228693], [-0.316987, -0.347538], [0.341506, 0.576231]])
    np.testing.assert_allclose(delta["W"], expected_dW, atol=1e-6)
    np.testing.assert_allclose(delta["W"], np.outer(v0, [0.5, 0.75]) - np.outer([0.75, 0.5, 0.25], ph1), atol=1e-12)
    np.testing.assert_allclose(delta["b"], [0.25, -0.5, 0.75], atol=1e-12)
    np.testing.assert_allclose(delta["c"], [0.5 - ph1[0], 0.75 - ph1[1]], atol=1e-12)
    np.testing.assert_allclose(delta["reconstruction"], [[0.75, 0.5, 0.25]], atol=1e-12)
    # and the update was applied (η = 1)
    np.testing.assert_allclose(rbm.kernel.numpy(), [[LN3, 0], [0, LN3], [-LN3, LN3]] + expected_dW, atol=1e-6)
    np.testing.assert_allclose(rbm.visible_bias.numpy(), [0.25, -0.5, 0.75], atol=1e-12)
    np.testing.assert_allclose(rbm.bias.numpy(), delta["c"], atol=1e-12)


def test_cd1_learning_rate_and_batch_mean(float64):
    # two copies of the same vector with the same uniforms: the batch mean equals one vector's update; η scales it
    one = rbm_3x2().contrastive_divergence(np.array([[1.0, 0.0, 1.0]]), learning_rate=1.0, rng=Uniforms([[0.3, 0.9]]))
    two = rbm_3x2().contrastive_divergence(np.array([[1.0, 0.0, 1.0]] * 2), learning_rate=0.1,
                                           rng=Uniforms([[0.3, 0.9]] * 2))
    for key in ("W", "b", "c"):
        np.testing.assert_allclose(two[key], 0.1 * one[key], atol=1e-12)


def test_cdk_runs_k_gibbs_steps(float64):
    # CD-2 draws hidden samples twice (h⁰, h¹); the statistics use v² and p_h²
    rbm = rbm_3x2()
    delta = rbm.contrastive_divergence(np.array([[1.0, 0.0, 1.0]]), k=2, learning_rate=1.0,
                                       rng=Uniforms([[0.3, 0.9]], [[0.0, 0.99]]))
    # h¹ = [1, 0] again (0.0 < p, 0.99 > p) → v² = v¹ = [0.75, 0.5, 0.25]: the same update as CD-1
    np.testing.assert_allclose(delta["reconstruction"], [[0.75, 0.5, 0.25]], atol=1e-12)
    np.testing.assert_allclose(delta["b"], [0.25, -0.5, 0.75], atol=1e-12)


def test_rbm_layer_is_the_upward_pass_and_gradchecks(float64):
    rbm = layers.RBM(3, seed=0, dtype="float64")
    v = np.random.default_rng(0).random((4, 5))
    out = rbm(v).numpy()
    W, c = rbm.kernel.numpy(), rbm.bias.numpy()
    np.testing.assert_allclose(out, 1 / (1 + np.exp(-(v @ W + c))), atol=1e-12)
    np.testing.assert_allclose(out, rbm.hidden_probabilities(v), atol=1e-12)
    assert [w.name for w in rbm.trainable_weights] == ["kernel", "bias"]
    assert layer_gradcheck(rbm, v)
    rebuilt = layers.RBM.from_config(rbm.get_config())
    assert rebuilt.units == 3 and rebuilt.seed == 0


def test_pretraining_lowers_the_reconstruction_error():
    # two prototypes (left half on / right half on) with a few flipped bits
    rng = np.random.default_rng(0)
    prototypes = np.array([[1] * 4 + [0] * 4, [0] * 4 + [1] * 4], dtype="float32")
    x = prototypes[rng.integers(0, 2, 200)]
    x = np.abs(x - (rng.random(x.shape) < 0.05)).astype("float32")
    errors = layers.RBM(4, seed=1).pretrain(x, epochs=8, batch_size=20, learning_rate=0.5)
    assert errors[-1] < 0.5 * errors[0]


def test_rbm_refuses_bad_input():
    rbm = layers.RBM(2)
    with pytest.raises(ValueError, match=r"must lie in \[0, 1\]"):
        rbm.contrastive_divergence(np.array([[2.0, 0.0, 1.0]]))
    with pytest.raises(ValueError, match="expected 3 visible units"):
        rbm.contrastive_divergence(np.ones((1, 4)))
    with pytest.raises(ValueError, match="k must be a positive int"):
        rbm.contrastive_divergence(np.ones((1, 3)), k=0)
    with pytest.raises(ValueError, match="learning_rate must be a positive number"):
        rbm.contrastive_divergence(np.ones((1, 3)), learning_rate=-1)
    with pytest.raises(ValueError, match="non-empty"):
        rbm.pretrain(np.ones((0, 3)))


def test_dbn_pretrains_greedily_then_fits():
    from sklearn.datasets import make_classification

    x, y = make_classification(n_samples=120, n_features=12, n_informative=6, n_classes=3, random_state=0)
    x = ((x - x.min(0)) / (x.max(0) - x.min(0))).astype("float32")          # into [0, 1]
    model = DBN(12, hidden_units=(8, 6), classes=3, seed=0)
    assert model.output_shape == (None, 3)
    rbm_1, rbm_2 = model.get_layer("rbm_1"), model.get_layer("rbm_2")
    before_top = rbm_2.kernel.numpy().copy()
    errors = pretrain_greedily(model, x, epochs=3, batch_size=20, learning_rate=0.2)
    assert len(errors) == 2 and all(len(e) == 3 for e in errors)
    assert not np.array_equal(before_top, rbm_2.kernel.numpy())
    # the second RBM saw the first one's hidden probabilities: 8 visible units
    assert rbm_2.kernel.shape == (8, 6) and rbm_1.kernel.shape == (12, 8)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, epochs=3, batch_size=30, verbose=0).history
    assert len(history["loss"]) == 3 and np.isfinite(history["loss"]).all()
    with pytest.raises(ValueError, match="no RBM layers"):
        pretrain_greedily(gn.Sequential([layers.Input((3,)), layers.Dense(2)]), x[:, :3])
