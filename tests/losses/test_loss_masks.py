"""Losses honour the mask ``y_pred`` carries (``Tensor._keras_mask``), as Keras 3 does.

Keras's rule (``keras/src/losses/loss.py``: ``Loss.__call__`` → ``reduce_weighted_values``
→ ``apply_mask``): the mask m becomes the weight m·n/n_valid multiplied into the sample
weights w, then "sum_over_batch_size" divides Σ w·m·(n/n_valid)·ℓ by n, i.e.

    L = Σᵢ wᵢ·mᵢ·ℓᵢ / n_valid         (n_valid = Σᵢ mᵢ, the number of valid entries)

and 0 when n_valid = 0. Every number below is worked by hand in the comments.
"""
import math

import numpy as np
import pytest

import glassnet as gn
from glassnet import layers, losses

LN2 = math.log(2.0)

# Sparse categorical cross-entropy, batch 2 × time 3 × 2 classes. The probability of the
# true label, entry by entry, and its loss −ln p in units of ln 2:
#   sample 0: p = [0.5, 0.25, 0.5]    ℓ = [1, 2, 1]·ln2    mask [F, T, T]
#   sample 1: p = [0.25, 0.5, 0.125]  ℓ = [2, 1, 3]·ln2    mask [T, T, F]
LABELS = np.array([[0, 1, 0], [1, 0, 1]])
P_TRUE = np.array([[0.5, 0.25, 0.5], [0.25, 0.5, 0.125]])
MASK = np.array([[False, True, True], [True, True, False]])


def _probabilities() -> np.ndarray:
    p = np.empty((2, 3, 2))
    p[..., 0] = np.where(LABELS == 0, P_TRUE, 1.0 - P_TRUE)
    p[..., 1] = 1.0 - p[..., 0]
    return p


def _masked(array, mask=MASK, requires_grad=False) -> gn.Tensor:
    t = gn.Tensor(array, requires_grad=requires_grad)
    t._keras_mask = mask
    return t


@pytest.fixture(autouse=True)
def _float64():
    gn.backend.set_floatx("float64")
    yield
    gn.backend.set_floatx("float32")


# --- sparse categorical cross-entropy ---------------------------------------------------------
def test_sparse_categorical_crossentropy_leaves_the_masked_entries_out_of_the_mean():
    loss = losses.SparseCategoricalCrossentropy()
    # valid ℓ: sample 0 → 2 + 1, sample 1 → 2 + 1; Σ = 6·ln2 over n_valid = 4 entries → 1.5·ln2
    assert loss(LABELS, _masked(_probabilities())).item() == pytest.approx(1.5 * LN2, rel=1e-12)
    # without the mask all 6 entries count: (1+2+1+2+1+3)·ln2 / 6 = 10/6·ln2
    assert loss(LABELS, gn.Tensor(_probabilities())).item() == pytest.approx(10 / 6 * LN2, rel=1e-12)


def test_sparse_categorical_crossentropy_mask_with_sample_weight():
    loss = losses.SparseCategoricalCrossentropy()
    # one weight per sample w = [2, 1]: Σ w·m·ℓ = 2·(2+1) + 1·(2+1) = 9 (·ln2); n_valid = 4 → 2.25·ln2
    # (the denominator counts valid entries, not their weights: Keras's n/n_valid rule)
    assert loss(LABELS, _masked(_probabilities()), sample_weight=np.array([2.0, 1.0])).item() == pytest.approx(
        2.25 * LN2, rel=1e-12)
    # a weight per entry: w = [[5, 1, 3], [0, 2, 7]]: valid terms 1·2 + 3·1 + 0·2 + 2·1 = 7 → 7/4·ln2;
    # the weight 0 on a valid entry still counts in n_valid, the weights 5 and 7 on padding vanish
    w = np.array([[5.0, 1.0, 3.0], [0.0, 2.0, 7.0]])
    assert loss(LABELS, _masked(_probabilities()), sample_weight=w).item() == pytest.approx(1.75 * LN2, rel=1e-12)


def test_the_other_reductions_with_a_mask():
    y_pred = _masked(_probabilities())
    # "sum": Σ m·ℓ = 6·ln2 (the mask is a 0/1 weight)
    assert losses.SparseCategoricalCrossentropy(reduction="sum")(LABELS, y_pred).item() == pytest.approx(6 * LN2)
    # "mean_with_sample_weight": Σ w·m·ℓ / Σ w·m; w = [2, 1] → 9 / (2·2 + 1·2) = 1.5 (·ln2)
    loss = losses.SparseCategoricalCrossentropy(reduction="mean_with_sample_weight")
    assert loss(LABELS, y_pred, sample_weight=np.array([2.0, 1.0])).item() == pytest.approx(1.5 * LN2)
    assert loss(LABELS, y_pred).item() == pytest.approx(6 / 4 * LN2)     # no w: Σ m·ℓ / Σ m
    # "none": the per-entry m·ℓ
    values = losses.SparseCategoricalCrossentropy(reduction="none")(LABELS, y_pred).numpy()
    np.testing.assert_allclose(values, np.array([[0, 2, 1], [2, 1, 0]]) * LN2, rtol=1e-12)


def test_gradient_reaches_only_the_valid_entries():
    # p = softmax(z) recorded in the graph: the fused path, ∂ℓ/∂z = p − onehot(t) per valid entry,
    # scaled by 1/n_valid = 1/4; masked entries get exactly 0
    z0 = np.log(_probabilities())
    z = gn.Tensor(z0, requires_grad=True)
    p = gn.ops.softmax(z)
    p._keras_mask = MASK
    losses.SparseCategoricalCrossentropy()(LABELS, p).backward()
    expected = (_probabilities() - np.eye(2)[LABELS]) / 4.0 * MASK[..., None]
    np.testing.assert_allclose(z.grad, expected, rtol=1e-12, atol=1e-15)


def test_ignore_class_and_the_mask_combine():
    labels = LABELS.copy()
    labels[0, 2] = -1      # also ignore sample 0's last entry (ℓ = 1·ln2)
    loss = losses.SparseCategoricalCrossentropy(ignore_class=-1)
    # valid: mask ∧ (label ≠ −1) leaves ℓ = 2 (s0 t1), 2 and 1 (s1 t0, t1): 5·ln2 / 3
    assert loss(labels, _masked(_probabilities())).item() == pytest.approx(5 / 3 * LN2, rel=1e-12)


def test_a_fully_masked_batch_gives_zero_loss_and_zero_gradient():
    z = gn.Tensor(np.log(_probabilities()), requires_grad=True)
    p = gn.ops.softmax(z)
    p._keras_mask = np.zeros((2, 3), bool)
    value = losses.SparseCategoricalCrossentropy()(LABELS, p, sample_weight=np.array([2.0, 1.0]))
    assert value.item() == 0.0      # n_valid = 0: Keras's divide_no_nan gives 0, not NaN
    value.backward()
    np.testing.assert_array_equal(z.grad, np.zeros((2, 3, 2)))
    for reduction in ("sum", "mean_with_sample_weight", "mean"):
        assert losses.SparseCategoricalCrossentropy(reduction=reduction)(LABELS, p).item() == 0.0


# --- mean squared error ------------------------------------------------------------------------
# y_true = 0, y_pred of shape (2, 2, 2); MSE per (sample, step) = mean of the two squares:
#   s0: [1, 1] → 1,  [2, 0] → 2       mask [T, T]
#   s1: [0, 2] → 2,  [3, 3] → 9       mask [T, F]
MSE_PRED = np.array([[[1.0, 1.0], [2.0, 0.0]], [[0.0, 2.0], [3.0, 3.0]]])
MSE_MASK = np.array([[True, True], [True, False]])


def test_mean_squared_error_with_a_mask():
    y = _masked(MSE_PRED, MSE_MASK, requires_grad=True)
    value = losses.MeanSquaredError()(np.zeros((2, 2, 2)), y)
    assert value.item() == pytest.approx(5 / 3, rel=1e-12)      # (1 + 2 + 2) / 3 valid entries, not 14/4
    value.backward()
    # ∂L/∂ŷ = m·2ŷ/(F·n_valid) = m·2ŷ/6 = m·ŷ/3
    np.testing.assert_allclose(y.grad, MSE_PRED * MSE_MASK[..., None] / 3, rtol=1e-12)


def test_mean_squared_error_mask_with_sample_weight_and_full_mask():
    y = _masked(MSE_PRED, MSE_MASK)
    # w = [3, 1]: 3·(1 + 2) + 1·2 = 11, over n_valid = 3 → 11/3
    assert losses.MeanSquaredError()(np.zeros((2, 2, 2)), y, sample_weight=[3.0, 1.0]).item() == pytest.approx(
        11 / 3, rel=1e-12)
    # RootMeanSquaredError is the root of the same masked mean: √(5/3)
    assert losses.RootMeanSquaredError()(np.zeros((2, 2, 2)), y).item() == pytest.approx(math.sqrt(5 / 3))
    y._keras_mask = np.zeros((2, 2), bool)
    assert losses.MeanSquaredError()(np.zeros((2, 2, 2)), y, sample_weight=[3.0, 1.0]).item() == 0.0


def test_function_form_and_plain_arrays_are_unchanged():
    # the function returns per-entry values and does no reduction, so the mask is the classes' business
    values = losses.mean_squared_error(np.zeros((2, 2, 2)), _masked(MSE_PRED, MSE_MASK)).numpy()
    np.testing.assert_allclose(values, [[1.0, 2.0], [2.0, 9.0]])
    # an array has no mask: every entry counts, (1 + 2 + 2 + 9) / 4
    assert losses.MeanSquaredError()(np.zeros((2, 2, 2)), MSE_PRED).item() == pytest.approx(3.5)


def test_a_mask_of_the_wrong_shape_is_named():
    y = _masked(MSE_PRED, np.ones((2, 3), bool))
    with pytest.raises(ValueError, match=r"mask of y_pred has shape \(2, 3\).*losses have shape \(2, 2\)"):
        losses.MeanSquaredError()(np.zeros((2, 2, 2)), y)


# --- inside fit / evaluate -----------------------------------------------------------------------
def _sequence_model(seed=0):
    gn.utils.set_random_seed(seed)
    model = gn.Sequential([layers.Input((None,), dtype="int32"), layers.Embedding(7, 3, mask_zero=True),
                           layers.LSTM(4, return_sequences=True), layers.Dense(3, activation="softmax")])
    model.compile(optimizer=gn.optimizers.SGD(0.5), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


X = np.array([[0, 0, 3, 4, 5], [0, 1, 2, 3, 4], [0, 0, 0, 6, 2]])
Y = np.array([[0, 0, 1, 2, 0], [0, 1, 1, 2, 0], [0, 0, 0, 2, 1]])


def test_evaluate_gives_the_mean_over_the_unpadded_steps():
    model = _sequence_model()
    p = model.predict(X, verbose=0)
    mask = X != 0
    picked = np.take_along_axis(p, Y[..., None], axis=-1)[..., 0]
    logs = model.evaluate(X, Y, batch_size=3, verbose=0, return_dict=True)
    # the loss is −Σ_valid ln p_t / n_valid (n_valid = 3 + 4 + 2 = 9), the accuracy hits / 9
    assert mask.sum() == 9
    assert logs["loss"] == pytest.approx(-np.log(picked[mask]).sum() / 9, rel=1e-12)
    assert logs["accuracy"] == pytest.approx((p.argmax(-1) == Y)[mask].sum() / 9, rel=1e-12)


def test_more_padding_changes_neither_the_loss_nor_the_training_step():
    more_x = np.concatenate([np.zeros((3, 4), int), X], axis=1)   # 4 more padding steps in front
    more_y = np.concatenate([np.full((3, 4), 2), Y], axis=1)       # with arbitrary labels under them
    short, long = _sequence_model(), _sequence_model()
    a = short.train_on_batch(X, Y, return_dict=True)
    b = long.train_on_batch(more_x, more_y, return_dict=True)
    assert a["loss"] == pytest.approx(b["loss"], rel=1e-12)
    assert a["accuracy"] == pytest.approx(b["accuracy"], rel=1e-12)
    for u, v in zip(short.get_weights(), long.get_weights(), strict=True):
        np.testing.assert_allclose(u, v, rtol=1e-11, atol=1e-14)


def test_unweighted_metrics_honour_the_mask_and_ignore_sample_weights():
    model = _sequence_model()
    w = np.array([1.0, 0.0, 3.0])
    p = model.predict(X, verbose=0)
    hits = (p.argmax(-1) == Y) & (X != 0)
    logs = model.evaluate(X, Y, sample_weight=w, verbose=0, return_dict=True)
    assert logs["accuracy"] == pytest.approx(hits.sum() / 9, rel=1e-12)              # m only
    picked = -np.log(np.take_along_axis(p, Y[..., None], axis=-1)[..., 0])
    assert logs["loss"] == pytest.approx((w[:, None] * picked * (X != 0)).sum() / 9, rel=1e-12)   # w·m / n_valid


def test_weighted_metrics_use_mask_times_weight():
    model = _sequence_model()
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy", weighted_metrics=["accuracy"])
    w = np.array([1.0, 0.0, 3.0])
    p = model.predict(X, verbose=0)
    hits = (p.argmax(-1) == Y) & (X != 0)
    logs = model.evaluate(X, Y, sample_weight=w, verbose=0, return_dict=True)
    # Σ w·m·hit / Σ w·m = (1·hits₀ + 3·hits₂) / (1·3 + 0·4 + 3·2)
    assert logs["accuracy"] == pytest.approx((hits[0].sum() + 3 * hits[2].sum()) / 9, rel=1e-12)


def test_fit_on_a_fully_padded_batch_leaves_the_weights_alone():
    model = _sequence_model()
    before = model.get_weights()
    logs = model.train_on_batch(np.zeros((2, 4), int), np.zeros((2, 4), int), return_dict=True)
    assert logs["loss"] == 0.0 and logs["accuracy"] == 0.0
    for u, v in zip(before, model.get_weights(), strict=True):
        np.testing.assert_array_equal(u, v)
