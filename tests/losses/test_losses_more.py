"""Dice, Tversky, Circle, generalized cross-entropy and CTC: hand values, gradients, configs, errors."""
import json

import numpy as np
import pytest

from glassnet import Tensor, losses
from glassnet.testing import gradcheck

rng = np.random.default_rng(7)


def f64(x):
    return np.asarray(x, dtype=np.float64)


# Keras's docstring example: two 2×2×1 "images".
Y_TRUE = f64([[[[1.0], [1.0]], [[0.0], [0.0]]], [[[1.0], [1.0]], [[0.0], [0.0]]]])
Y_PRED = f64([[[[0.0], [1.0]], [[0.0], [1.0]]], [[[0.4], [0.0]], [[0.0], [0.9]]]])


def unit_rows(x):
    return x / np.linalg.norm(x, axis=1, keepdims=True)


# --- Dice and Tversky ---------------------------------------------------------------------
def test_dice_hand_values():
    # image 1: TP = 1·0 + 1·1 = 1, Σy = 2, Σp = 2 → 1 − 2/4 = 0.5
    # image 2: TP = 0.4, Σy = 2, Σp = 1.3 → 1 − 0.8/3.3 = 0.757576
    per_image = losses.Dice(axis=(1, 2, 3), reduction=None)(Y_TRUE, Y_PRED).numpy()
    np.testing.assert_allclose(per_image, [0.5, 1 - 0.8 / 3.3], rtol=1e-6)
    # axis=None: TP = 1.4, Σy = 4, Σp = 3.3 → 1 − 2.8/7.3 = 0.616438 (one number, as Keras)
    whole = losses.dice(Y_TRUE, Y_PRED)
    assert whole.shape == ()
    assert whole.item() == pytest.approx(1 - 2.8 / 7.3, rel=1e-6)
    assert losses.Dice()(Y_TRUE, Y_PRED).item() == pytest.approx(1 - 2.8 / 7.3, rel=1e-6)


def test_tversky_hand_values_and_its_dice_case():
    y, p = f64([[1, 1, 0, 0]]), f64([[1, 0, 1, 0]])
    # TP = 1, Σy(1 − p) = 1, Σ(1 − y)p = 1: α = β = ½ → 1 − 1/2 = 0.5
    assert losses.tversky(y, p, axis=1).numpy() == pytest.approx([0.5])
    # α = 0.2 on Σy(1 − p) = 1, β = 0.8 on Σ(1 − y)p = 2 (p = [1, 0, 1, 1]): 1 − 1/(1 + 0.2·1 + 0.8·2) = 1 − 1/2.8
    p2 = f64([[1, 0, 1, 1]])
    assert losses.tversky(y, p2, alpha=0.2, beta=0.8, axis=1).numpy() == pytest.approx([1 - 1 / 2.8])
    np.testing.assert_allclose(losses.Tversky(axis=(1, 2, 3), reduction=None)(Y_TRUE, Y_PRED).numpy(),
                               losses.Dice(axis=(1, 2, 3), reduction=None)(Y_TRUE, Y_PRED).numpy(), rtol=1e-6)


def test_dice_and_tversky_reductions_and_sample_weight():
    values = losses.Dice(axis=(1, 2, 3), reduction=None)(Y_TRUE, Y_PRED).numpy()
    weights = f64([1.0, 3.0])
    # sum_over_batch_size: Σ wᵢℓᵢ / n ; sum: Σ wᵢℓᵢ ; mean_with_sample_weight: Σ wᵢℓᵢ / Σ wᵢ
    expected = {"sum_over_batch_size": (values @ weights) / 2, "sum": values @ weights,
                "mean_with_sample_weight": (values @ weights) / 4}
    for reduction, value in expected.items():
        for cls in (losses.Dice, losses.Tversky):
            got = cls(axis=(1, 2, 3), reduction=reduction)(Y_TRUE, Y_PRED, sample_weight=weights).item()
            assert got == pytest.approx(value, rel=1e-6), (cls, reduction)


def test_one_loss_for_the_whole_batch_is_scaled_by_each_weight():
    # Dice with axis=None is one number for the batch; weights (N,) scale it: sum_over_batch_size
    # gives ℓ·mean(w), sum gives ℓ·Σw, none gives ℓ·w (Keras's broadcasting)
    batch_loss = losses.Dice()(Y_TRUE, Y_PRED).item()
    weights = f64([1.0, 3.0])
    assert losses.Dice()(Y_TRUE, Y_PRED, sample_weight=weights).item() == pytest.approx(batch_loss * 2.0, rel=1e-12)
    assert losses.Dice(reduction="sum")(Y_TRUE, Y_PRED, sample_weight=weights).item() == pytest.approx(batch_loss * 4)
    np.testing.assert_allclose(losses.Dice(reduction="none")(Y_TRUE, Y_PRED, sample_weight=weights).numpy(),
                               batch_loss * weights, rtol=1e-12)


def test_dice_and_tversky_gradcheck():
    y = (rng.uniform(size=(3, 4, 2)) > 0.5).astype(np.float64)
    p = rng.uniform(0.05, 0.95, size=(3, 4, 2))
    assert gradcheck(lambda q: losses.dice(y, q, axis=(1, 2)), [p])
    assert gradcheck(lambda q: losses.dice(y, q), [p])
    assert gradcheck(lambda q: losses.tversky(y, q, alpha=0.3, beta=0.7, axis=(1, 2)), [p])
    assert gradcheck(lambda q: losses.Tversky(alpha=0.7, beta=0.3, axis=-1)(y, q, sample_weight=f64([1, 2, 0.5])),
                     [p])


# --- Circle -------------------------------------------------------------------------------
def circle_reference(labels, x, gamma=80.0, margin=0.4, remove_diagonal=True):
    """The formula line by line in NumPy (log-sum-exp over the masked entries)."""
    d = np.maximum(1.0 - x @ x.T, 0.0)
    positive = labels[:, None] == labels[None, :]
    negative = ~positive
    if remove_diagonal:
        positive &= ~np.eye(len(labels), dtype=bool)
    s_pos = -gamma * np.maximum((margin + d) * positive, 0) * (margin - d)
    s_neg = gamma * np.maximum((1 + margin - d) * negative, 0) * ((1 - margin) - d)

    def lse(s, mask):
        with np.errstate(divide="ignore"):
            return np.log(np.sum(np.where(mask, np.exp(s), 0.0), axis=1))

    return np.logaddexp(0.0, lse(s_pos, positive) + lse(s_neg, negative))


def test_circle_matches_the_formula_and_masks_queries_without_pairs():
    labels = np.array([0, 0, 1, 1, 2, 3])            # classes 2 and 3 have no positive pair
    x = unit_rows(rng.normal(size=(6, 4)))
    values = losses.circle(labels, x)
    expected = circle_reference(labels, x)
    np.testing.assert_allclose(values.numpy(), expected, rtol=1e-10)
    assert values.numpy()[4] == 0.0 and values.numpy()[5] == 0.0
    np.testing.assert_array_equal(values._keras_mask, [True, True, True, True, False, False])
    # the class averages over the 4 valid queries only (Keras's loss > 0 mask)
    assert losses.Circle()(labels, x).item() == pytest.approx(expected[:4].mean(), rel=1e-10)
    assert losses.Circle(reduction="sum")(labels, x).item() == pytest.approx(expected.sum(), rel=1e-10)


def test_circle_hand_value_two_identical_pairs():
    # x₀ = x₁ = e₁ (label 0), x₂ = x₃ = e₂ (label 1): d = 0 within a class, 1 across.
    # positive pair: a = m + 0 = 0.4, s = −γ·0.4·(0.4 − 0) = −12.8
    # negative pairs (two): a = 1 + 0.4 − 1 = 0.4, s = γ·0.4·(0.6 − 1) = −12.8 each
    # loss = softplus(−12.8 + log(2·e^−12.8)) = softplus(−25.6 + ln 2)
    x = f64([[1, 0], [1, 0], [0, 1], [0, 1]])
    expected = np.log1p(np.exp(-25.6 + np.log(2.0)))
    np.testing.assert_allclose(losses.circle([0, 0, 1, 1], x).numpy(), [expected] * 4, rtol=1e-10)


def test_circle_options_and_reference_set():
    labels = np.array([0, 1, 0, 1, 2])
    x = unit_rows(rng.normal(size=(5, 3)))
    np.testing.assert_allclose(losses.circle(labels, x, gamma=10.0, margin=0.25, remove_diagonal=False).numpy(),
                               circle_reference(labels, x, 10.0, 0.25, remove_diagonal=False), rtol=1e-10)
    refs, ref_labels = unit_rows(rng.normal(size=(4, 3))), np.array([1, 0, 2, 2])
    value = losses.circle(labels, x, ref_labels=ref_labels, ref_embeddings=refs, remove_diagonal=False)
    assert value.shape == (5,) and np.all(np.isfinite(value.numpy()))


def test_circle_gradcheck_including_queries_without_pairs():
    labels = np.array([0, 0, 1, 1, 2])
    x = unit_rows(rng.normal(size=(5, 3)))
    assert gradcheck(lambda e: losses.circle(labels, e, gamma=8.0), [x])
    assert gradcheck(lambda e: losses.Circle(gamma=8.0, margin=0.3)(labels, e), [x])


# --- generalized cross-entropy ------------------------------------------------------------
def test_generalized_cross_entropy_hand_values():
    # Keras's example: p_true = 0.7, 0.8, 0.6, 0.6, q = ½ → mean of 2(1 − √p_true)
    y, p = np.array([0, 1, 0, 1]), f64([[0.7, 0.3], [0.2, 0.8], [0.6, 0.4], [0.4, 0.6]])
    per_sample = 2 * (1 - np.sqrt([0.7, 0.8, 0.6, 0.6]))
    np.testing.assert_allclose(losses.categorical_generalized_cross_entropy(y, p, q=0.5).numpy(), per_sample)
    assert losses.CategoricalGeneralizedCrossEntropy()(y, p).item() == pytest.approx(per_sample.mean())
    # (N, 1) labels are the same labels
    np.testing.assert_allclose(losses.categorical_generalized_cross_entropy(y[:, None], p, q=0.5).numpy(), per_sample)
    # q → 0 approaches the cross-entropy −ln p
    small_q = losses.categorical_generalized_cross_entropy(y, p, q=1e-6).numpy()
    np.testing.assert_allclose(small_q, -np.log([0.7, 0.8, 0.6, 0.6]), rtol=1e-5)


def test_generalized_cross_entropy_gradcheck():
    y = rng.integers(0, 4, size=(5,))
    p = rng.uniform(0.05, 1.0, size=(5, 4))
    assert gradcheck(lambda q: losses.categorical_generalized_cross_entropy(y, q, q=0.3), [p])
    weights = f64([1, 0, 2, 1, 1])
    assert gradcheck(lambda q: losses.CategoricalGeneralizedCrossEntropy(q=0.7)(y, q, sample_weight=weights), [p])


# --- CTC ----------------------------------------------------------------------------------
def test_ctc_hand_values():
    # one frame, classes (blank, a), label "a", logits [0, 0] → p(a) = ½ → −ln ½
    np.testing.assert_allclose(losses.ctc(np.array([[1]]), np.zeros((1, 1, 2))).numpy(), [np.log(2.0)])
    # two frames, uniform over 2 classes, label "a": paths "a-", "-a", "aa" → 3/4 → −ln(3/4)
    np.testing.assert_allclose(losses.ctc(np.array([[1, 0]]), np.zeros((1, 2, 2))).numpy(), [-np.log(0.75)])


def test_ctc_padding_and_class_form():
    logits = rng.normal(size=(2, 5, 4))
    labels = np.array([[1, 2, 0], [3, 0, 0]])                  # lengths 2 and 1
    per_sequence = losses.ctc(labels, logits).numpy()
    np.testing.assert_allclose(per_sequence[1], losses.ctc(labels[1:, :1], logits[1:]).numpy()[0])
    assert losses.CTC()(labels, logits).item() == pytest.approx(per_sequence.mean())


def test_ctc_gradcheck():
    logits = rng.normal(size=(2, 4, 3))
    labels = np.array([[1, 2], [2, 0]])
    assert gradcheck(lambda z: losses.ctc(labels, z), [logits])
    assert gradcheck(lambda z: losses.CTC(reduction="sum")(labels, z), [logits])


# --- configs, lookup, errors --------------------------------------------------------------
CONFIGS = [
    (losses.Dice, {"axis": (1, 2)}, {"name": "dice", "reduction": "sum_over_batch_size", "axis": (1, 2)}),
    (losses.Tversky, {}, {"name": "tversky", "reduction": "sum_over_batch_size", "alpha": 0.5, "beta": 0.5,
                          "axis": None}),
    (losses.Circle, {}, {"name": "circle", "reduction": "sum_over_batch_size", "gamma": 80.0, "margin": 0.4,
                         "remove_diagonal": True}),
    (losses.CategoricalGeneralizedCrossEntropy, {}, {"name": "categorical_generalized_cross_entropy",
                                                     "reduction": "sum_over_batch_size", "q": 0.5}),
    (losses.CTC, {}, {"name": "ctc", "reduction": "sum_over_batch_size"}),
]


@pytest.mark.parametrize("cls, kwargs, config", CONFIGS, ids=[c[0].__name__ for c in CONFIGS])
def test_config_keys_and_json_round_trip(cls, kwargs, config):
    loss = cls(**kwargs)
    assert loss.get_config() == config
    assert list(loss.get_config()) == list(config)               # Keras's key order
    rebuilt = cls.from_config(json.loads(json.dumps(loss.get_config())))
    assert rebuilt.get_config() == config
    assert losses.deserialize(losses.serialize(loss)).get_config() == config


@pytest.mark.parametrize("name, cls", [("dice", losses.Dice), ("tversky", losses.Tversky), ("circle", losses.Circle),
                                       ("ctc", losses.CTC), ("Dice", losses.Dice),
                                       ("categorical_generalized_cross_entropy",
                                        losses.CategoricalGeneralizedCrossEntropy)])
def test_string_lookup(name, cls):
    assert isinstance(losses.as_loss(name), cls)


@pytest.mark.parametrize("make, message", [
    (lambda: losses.Dice(axis="x"), "axis"),
    (lambda: losses.Tversky(alpha=-1.0), "alpha"),
    (lambda: losses.Circle(gamma="big"), "gamma"),
    (lambda: losses.CategoricalGeneralizedCrossEntropy(q=1.0), "q must be"),
    (lambda: losses.categorical_generalized_cross_entropy([0], f64([[0.5, 0.5]]), q=0.0), "q must be"),
    (lambda: losses.dice(f64([[1, 0]]), f64([[1, 0, 0]])), "shape"),
    (lambda: losses.circle([0, 1], f64([1.0, 0.0])), "embeddings"),
    (lambda: losses.circle([0, 1, 1], f64([[1.0, 0.0], [0.0, 1.0]])), "labels"),
    (lambda: losses.categorical_generalized_cross_entropy(f64([[0, 1]]), f64([[0.5, 0.5]]), q=0.5), "labels"),
    (lambda: losses.ctc(np.array([1, 2]), np.zeros((1, 3, 3))), "y_true"),
    (lambda: losses.ctc(np.array([[1, 2]]), np.zeros((3, 3))), "y_pred"),
])
def test_bad_input_is_refused(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_losses_are_tensors_with_gradients():
    p = Tensor(rng.uniform(0.1, 0.9, size=(2, 3)), requires_grad=True)
    losses.Dice()(f64([[1, 0, 1], [0, 1, 1]]), p).backward()
    assert p.grad.shape == (2, 3) and np.all(np.isfinite(p.grad))
