"""Masked sequence losses against Keras 3 itself (skipped without keras).

Embedding(mask_zero=True) → LSTM(return_sequences=True) → Dense(softmax) with identical
weights in both frameworks, on left- and right-padded id sequences: the mask the
Embedding makes reaches the loss (Keras 3's ``Loss.__call__`` reads ``y_pred._keras_mask``)
and the metrics (``MeanMetricWrapper``), so padding counts neither in the numerator nor in
the denominator. evaluate, train_on_batch and fit (shuffle=False) must agree in float64.
"""
import numpy as np
import pytest

import glassnet as gn

keras = pytest.importorskip("keras")
torch = pytest.importorskip("torch")
torch.set_num_threads(1)

pytestmark = pytest.mark.usefixtures("keras_float64")   # conftest.py: both sides in float64

RTOL = 1e-9
VOCAB, EMBED, UNITS, CLASSES, T = 9, 4, 5, 6, 7


def _model(fw, dense_wrapper=False):
    L = fw.layers
    inputs = L.Input((T,), dtype="int32")
    h = L.Embedding(VOCAB, EMBED, mask_zero=True)(inputs)
    h = L.LSTM(UNITS, return_sequences=True)(h)
    dense = L.Dense(CLASSES, activation="softmax")
    outputs = L.TimeDistributed(dense)(h) if dense_wrapper else dense(h)
    return fw.Model(inputs, outputs)


def _twins(dense_wrapper=False):
    gn.utils.set_random_seed(3)
    ours, theirs = _model(gn, dense_wrapper), _model(keras, dense_wrapper)
    assert [w.shape for w in ours.get_weights()] == [tuple(w.shape) for w in theirs.get_weights()]
    theirs.set_weights(ours.get_weights())
    return ours, theirs


def _padded(n=12, seed=0):
    """Ids 1..VOCAB-1 of random lengths 1..T, padded with 0 (half "pre", half "post")."""
    rng = np.random.default_rng(seed)
    x = np.zeros((n, T), dtype="int32")
    y = np.zeros((n, T), dtype="int32")
    for i in range(n):
        length = int(rng.integers(1, T + 1))
        ids = rng.integers(1, VOCAB, length)
        labels = rng.integers(0, CLASSES, length)
        if i % 2:
            x[i, :length], y[i, :length] = ids, labels
        else:
            x[i, T - length:], y[i, T - length:] = ids, labels
    return x, y


def _compile(models, optimizer, metrics=(), weighted_metrics=None, loss="sparse_categorical_crossentropy"):
    for fw, model in zip((gn, keras), models):
        model.compile(optimizer=optimizer(fw), loss=loss, metrics=list(metrics), weighted_metrics=weighted_metrics)


def _assert_same_weights(ours, theirs):
    for a, b in zip(ours.get_weights(), theirs.get_weights(), strict=True):
        np.testing.assert_allclose(a, np.asarray(b), rtol=RTOL, atol=1e-12)


def test_keras_output_carries_the_mask_the_loss_reads():
    """The premise: both frameworks attach the same (batch, time) mask to the model output."""
    ours, theirs = _twins()
    x, _ = _padded()
    mask_ours = ours(x)._keras_mask
    mask_theirs = keras.ops.convert_to_numpy(theirs(torch.tensor(x))._keras_mask)
    np.testing.assert_array_equal(mask_ours, mask_theirs)
    np.testing.assert_array_equal(mask_ours, x != 0)


@pytest.mark.parametrize("dense_wrapper", [False, True])
def test_evaluate_gives_the_masked_loss_and_accuracy(dense_wrapper):
    ours, theirs = _twins(dense_wrapper)
    x, y = _padded()
    _compile((ours, theirs), lambda fw: fw.optimizers.SGD(0.1), metrics=["accuracy"])
    got = ours.evaluate(x, y, batch_size=5, verbose=0, return_dict=True)
    want = theirs.evaluate(x, y, batch_size=5, verbose=0, return_dict=True)
    assert sorted(got) == sorted(want)
    for key in want:
        np.testing.assert_allclose(got[key], want[key], rtol=RTOL, err_msg=key)
    # and the number is really the masked one: the mean over the 0-padding-free entries
    probabilities = ours.predict(x, verbose=0)
    picked = np.take_along_axis(probabilities, y[..., None], axis=-1)[..., 0]
    mask = x != 0
    one_batch = ours.evaluate(x, y, batch_size=len(x), verbose=0, return_dict=True)
    np.testing.assert_allclose(one_batch["loss"], -np.log(picked[mask]).mean(), rtol=1e-12)


def test_train_on_batch_matches_keras():
    ours, theirs = _twins()
    x, y = _padded(n=8, seed=1)
    _compile((ours, theirs), lambda fw: fw.optimizers.SGD(0.5), metrics=["accuracy"])
    got = ours.train_on_batch(x, y, return_dict=True)
    want = theirs.train_on_batch(x, y, return_dict=True)
    for key in want:
        np.testing.assert_allclose(got[key], float(want[key]), rtol=RTOL, err_msg=key)
    _assert_same_weights(ours, theirs)


def test_train_on_batch_with_mask_and_sample_weight_matches_keras():
    """Sample weights of the targets' shape (batch, time), multiplied by the mask's n/n_valid."""
    ours, theirs = _twins()
    x, y = _padded(n=8, seed=2)
    w = np.random.default_rng(5).uniform(0.0, 2.0, y.shape)
    _compile((ours, theirs), lambda fw: fw.optimizers.SGD(0.5), weighted_metrics=["accuracy"])
    got = ours.train_on_batch(x, y, sample_weight=w, return_dict=True)
    want = theirs.train_on_batch(x, y, sample_weight=w, return_dict=True)
    assert sorted(got) == sorted(want)
    for key in want:
        np.testing.assert_allclose(got[key], float(want[key]), rtol=RTOL, err_msg=key)
    _assert_same_weights(ours, theirs)


@pytest.mark.parametrize("optimizer", [lambda fw: fw.optimizers.SGD(0.5), lambda fw: fw.optimizers.Adam(0.02)],
                         ids=["sgd", "adam"])
def test_fit_one_epoch_matches_keras(optimizer):
    ours, theirs = _twins()
    x, y = _padded(n=13, seed=3)
    _compile((ours, theirs), optimizer, metrics=["accuracy", "sparse_categorical_crossentropy"])
    got = ours.fit(x, y, batch_size=5, epochs=2, shuffle=False, verbose=0).history
    want = theirs.fit(x, y, batch_size=5, epochs=2, shuffle=False, verbose=0).history
    assert sorted(got) == sorted(want)
    for key in want:
        np.testing.assert_allclose(got[key], want[key], rtol=RTOL, err_msg=key)
    _assert_same_weights(ours, theirs)


def test_loss_objects_read_the_mask_like_keras():
    """The loss classes alone, on a Tensor carrying a mask (and with a fully masked batch)."""
    rng = np.random.default_rng(7)
    probabilities = rng.dirichlet(np.ones(CLASSES), size=(3, 4))
    labels = rng.integers(0, CLASSES, (3, 4))
    targets = rng.standard_normal((3, 4, CLASSES))
    weights = rng.uniform(0.0, 2.0, (3, 4))
    for mask in (np.array([[0, 1, 1, 1], [1, 1, 0, 0], [0, 0, 0, 1]], bool), np.zeros((3, 4), bool)):
        ours = gn.Tensor(probabilities)
        ours._keras_mask = mask
        theirs = torch.tensor(probabilities)
        theirs._keras_mask = torch.tensor(mask)
        for name, y_true in (("SparseCategoricalCrossentropy", labels), ("MeanSquaredError", targets),
                             ("CategoricalCrossentropy", np.eye(CLASSES)[labels])):
            for reduction in ("sum_over_batch_size", "sum", "mean_with_sample_weight", "none"):
                for sample_weight in (None, weights):
                    got = getattr(gn.losses, name)(reduction=reduction)(y_true, ours, sample_weight=sample_weight)
                    want = getattr(keras.losses, name)(reduction=reduction)(y_true, theirs,
                                                                             sample_weight=sample_weight)
                    np.testing.assert_allclose(got.numpy(), keras.ops.convert_to_numpy(want), rtol=1e-12,
                                               atol=1e-15, err_msg=f"{name} {reduction} {sample_weight is None}")
