"""Cross-entropies, focal, KL, Poisson: course and Keras values, stable logits, gradients, parity."""
import math

import numpy as np
import pytest

from glassnet import Tensor, losses
from tests.gradcheck import gradcheck

rng = np.random.default_rng(1)


def f64(x):
    return np.asarray(x, dtype=np.float64)


def softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


# --- course and Keras values -------------------------------------------------------------
def test_course_categorical_cross_entropy():
    # y = [0, 1, 0], p = [0.1, 0.3, 0.6]: only the true class counts → −ln 0.3
    value = losses.categorical_crossentropy(f64([[0, 1, 0]]), f64([[0.1, 0.3, 0.6]]))
    assert value.item() == pytest.approx(-math.log(0.3), rel=1e-12)
    assert losses.sparse_categorical_crossentropy([1], f64([[0.1, 0.3, 0.6]])).item() == pytest.approx(-math.log(0.3))


def test_keras_categorical_examples_and_reductions():
    y, p = f64([[0, 1, 0], [0, 0, 1]]), f64([[0.05, 0.95, 0], [0.1, 0.8, 0.1]])
    np.testing.assert_allclose(losses.categorical_crossentropy(y, p).numpy(), [-math.log(0.95), -math.log(0.1)])
    assert losses.CategoricalCrossentropy()(y, p).item() == pytest.approx(1.17694, abs=1e-5)
    assert losses.CategoricalCrossentropy()(y, p, sample_weight=[0.3, 0.7]).item() == pytest.approx(0.81360, abs=1e-5)
    assert losses.CategoricalCrossentropy(reduction="sum")(y, p).item() == pytest.approx(2.35388, abs=1e-5)
    assert losses.CategoricalCrossentropy(reduction=None)(y, p).shape == (2,)
    assert losses.SparseCategoricalCrossentropy()([1, 2], p).item() == pytest.approx(1.17694, abs=1e-5)
    assert losses.SparseCategoricalCrossentropy()([[1], [2]], p, sample_weight=[0.3, 0.7]).item() == pytest.approx(
        0.81360, abs=1e-5)


def test_categorical_renormalises_then_clips():
    # p = [1, 3] / 4 after renormalising; a zero probability is clipped to ε
    assert losses.categorical_crossentropy(f64([[0, 1]]), f64([[1.0, 3.0]])).item() == pytest.approx(-math.log(0.75))
    assert losses.categorical_crossentropy(f64([[1, 0]]), f64([[0.0, 1.0]])).item() == pytest.approx(-math.log(1e-7))


def test_binary_crossentropy_keras_examples():
    value = losses.binary_crossentropy(f64([[0, 1], [0, 0]]), f64([[0.6, 0.4], [0.4, 0.6]])).numpy()
    np.testing.assert_allclose(value, [-math.log(0.4), (-math.log(0.6) - math.log(0.4)) / 2])   # [0.916, 0.714]
    bce = losses.BinaryCrossentropy(from_logits=True)
    logits = f64([-18.6, 0.51, 2.94, -12.8])
    assert bce([0, 1, 0, 0], logits).item() == pytest.approx(0.8654, abs=1e-4)
    assert bce([[0, 1], [0, 0]], logits.reshape(2, 2), sample_weight=[0.8, 0.2]).item() == pytest.approx(0.2436, abs=1e-4)
    assert losses.BinaryCrossentropy(from_logits=True, reduction="sum")([[0, 1], [0, 0]], logits.reshape(2, 2)).item() \
        == pytest.approx(1.7309, abs=1e-4)


def test_binary_crossentropy_logits_agree_with_probabilities():
    z = rng.normal(size=(5, 3)) * 3
    y = rng.integers(0, 2, (5, 3)).astype(float)
    from_logits = losses.binary_crossentropy(y, z, from_logits=True).numpy()
    from_probs = losses.binary_crossentropy(y, 1 / (1 + np.exp(-z))).numpy()
    np.testing.assert_allclose(from_logits, from_probs, rtol=1e-6)


def test_binary_crossentropy_logit_gradient_at_zero_is_sigmoid_minus_y():
    z = Tensor(f64([[0.0, 0.0]]), requires_grad=True)
    losses.binary_crossentropy(f64([[1.0, 0.0]]), z, from_logits=True).sum().backward()
    np.testing.assert_allclose(z.grad, [[(0.5 - 1) / 2, 0.5 / 2]])


def test_label_smoothing():
    # binary: y → y(1 − s) + s/2 ; categorical: y → y(1 − s) + s/K
    s = 0.2
    smoothed = losses.binary_crossentropy(f64([[1.0]]), f64([[0.7]]), label_smoothing=s).item()
    assert smoothed == pytest.approx(-(0.9 * math.log(0.7) + 0.1 * math.log(0.3)))
    p = f64([[0.2, 0.5, 0.3]])
    target = np.array([0.0, 1.0, 0.0]) * 0.8 + 0.2 / 3
    assert losses.categorical_crossentropy(f64([[0, 1, 0]]), p, label_smoothing=s).item() == pytest.approx(
        -np.sum(target * np.log(p)))


def test_focal_keras_examples():
    value = losses.binary_focal_crossentropy(f64([[0, 1], [0, 0]]), f64([[0.6, 0.4], [0.4, 0.6]]), gamma=2).numpy()
    np.testing.assert_allclose(value, [0.330, 0.206], atol=1e-3)
    logits = f64([-18.6, 0.51, 2.94, -12.8])
    assert losses.BinaryFocalCrossentropy(gamma=2, from_logits=True)([0, 1, 0, 0], logits).item() == pytest.approx(
        0.691, abs=1e-3)
    assert losses.BinaryFocalCrossentropy(apply_class_balancing=True, gamma=2, from_logits=True)(
        [0, 1, 0, 0], logits).item() == pytest.approx(0.51, abs=1e-2)
    none = losses.BinaryFocalCrossentropy(gamma=5, from_logits=True, reduction=None)([[0, 1], [0, 0]], logits.reshape(2, 2))
    np.testing.assert_allclose(none.numpy(), [0.0017, 1.1561], atol=1e-4)
    cfc = losses.CategoricalFocalCrossentropy()(f64([[0, 1, 0], [0, 0, 1]]), f64([[0.05, 0.95, 0], [0.1, 0.8, 0.1]]))
    assert cfc.item() == pytest.approx(0.23315276, rel=1e-5)
    # γ = 0 without balancing is plain binary cross-entropy
    y, p = f64([[0, 1, 1]]), f64([[0.2, 0.7, 0.4]])
    assert losses.binary_focal_crossentropy(y, p, gamma=0).item() == pytest.approx(losses.binary_crossentropy(y, p).item())


def test_kl_divergence_and_poisson_values():
    y, p = f64([[0.5, 0.5]]), f64([[0.25, 0.75]])
    expected = 0.5 * math.log(0.5 / 0.25) + 0.5 * math.log(0.5 / 0.75)
    assert losses.kl_divergence(y, p).item() == pytest.approx(expected)
    assert losses.kl_divergence(f64([[0.0, 1.0]]), f64([[0.3, 0.7]])).item() == pytest.approx(
        1e-7 * math.log(1e-7 / 0.3) - math.log(0.7), rel=1e-9)  # y clipped to ε, not 0
    assert losses.poisson(f64([[2.0]]), f64([[3.0]])).item() == pytest.approx(3 - 2 * math.log(3 + 1e-7))


# --- stability ---------------------------------------------------------------------------
def test_cross_entropy_from_huge_logits_is_finite_and_exact():
    z = f64([[1e4, 0.0, -1e4], [0.0, 1e4, 0.0]])
    value = losses.categorical_crossentropy(f64([[0, 0, 1], [0, 1, 0]]), z, from_logits=True).numpy()
    np.testing.assert_allclose(value, [2e4, 0.0], atol=1e-9)
    sparse = losses.sparse_categorical_crossentropy([2, 1], z, from_logits=True).numpy()
    np.testing.assert_allclose(sparse, [2e4, 0.0], atol=1e-9)
    zt = Tensor(z.astype(np.float32), requires_grad=True)
    losses.CategoricalCrossentropy(from_logits=True)(f64([[0, 0, 1], [0, 1, 0]]), zt).backward()
    assert np.all(np.isfinite(zt.grad))
    bce = losses.binary_crossentropy(f64([[1.0, 0.0]]), f64([[-1e4, 1e4]]), from_logits=True).item()
    assert bce == pytest.approx(1e4)


def test_class_axis_other_than_last():
    z = rng.normal(size=(2, 4, 3))
    y = np.eye(4)[rng.integers(0, 4, (2, 3))].transpose(0, 2, 1)  # classes on axis 1
    moved = losses.categorical_crossentropy(y.transpose(0, 2, 1), z.transpose(0, 2, 1), from_logits=True).numpy()
    np.testing.assert_allclose(losses.categorical_crossentropy(y, z, from_logits=True, axis=1).numpy(), moved)
    p = softmax(z.transpose(0, 2, 1))
    t = np.argmax(y, axis=1)
    np.testing.assert_allclose(losses.sparse_categorical_crossentropy(t, p.transpose(0, 2, 1), axis=1).numpy(),
                               -np.log(np.take_along_axis(p, t[..., None], -1)[..., 0]), rtol=1e-6)
    # the class takes `axis` too (as Keras 3), and labels with a 1 on that axis
    loss = losses.SparseCategoricalCrossentropy(from_logits=True, axis=1, ignore_class=0)
    kept = t != 0
    expected = losses.sparse_categorical_crossentropy(t, z, from_logits=True, axis=1).numpy()[kept].mean()
    assert loss(t[:, None, :], z).item() == pytest.approx(expected)
    assert loss.get_config()["axis"] == 1


# --- sparse labels -----------------------------------------------------------------------
def test_sparse_ignore_class_leaves_entries_out_of_the_mean():
    p = softmax(rng.normal(size=(4, 3)))
    labels = np.array([0, -1, 2, 1])
    per_sample = losses.sparse_categorical_crossentropy(labels, p, ignore_class=-1).numpy()
    assert per_sample[1] == 0.0
    kept = -np.log(p[[0, 2, 3], [0, 2, 1]])
    np.testing.assert_allclose(per_sample[[0, 2, 3]], kept, rtol=1e-6)
    loss = losses.SparseCategoricalCrossentropy(ignore_class=-1)(labels, p)
    assert loss.item() == pytest.approx(kept.mean())          # divided by 3 valid entries, not 4
    z = Tensor(rng.normal(size=(4, 3)), requires_grad=True)
    losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=-1)(labels, z).backward()
    np.testing.assert_allclose(z.grad[1], 0.0)


def test_sparse_bad_labels_raise():
    p = softmax(rng.normal(size=(3, 4)))
    with pytest.raises(ValueError, match=r"\[0, 3\]"):
        losses.sparse_categorical_crossentropy([0, 4, 1], p)
    with pytest.raises(ValueError, match="integer"):
        losses.sparse_categorical_crossentropy([0.5, 1, 2], p)
    with pytest.raises(ValueError, match=r"\(2,\).*\(3, 4\)"):
        losses.sparse_categorical_crossentropy([0, 1], p)
    with pytest.raises(ValueError, match="label_smoothing"):
        losses.binary_crossentropy([[1.0]], [[0.5]], label_smoothing=1.5)
    with pytest.raises(ValueError, match=r"\(3, 4\).*\(3,\)"):
        losses.categorical_crossentropy(np.eye(4)[:3], np.ones(3))


def test_categorical_with_one_class_warns():
    with pytest.warns(SyntaxWarning, match="single class"):
        losses.categorical_crossentropy(f64([[1.0]]), f64([[0.7]]))


# --- gradients ---------------------------------------------------------------------------
def probabilities(shape):
    return softmax(rng.normal(size=shape))


def one_hot(shape):
    return np.eye(shape[-1])[rng.integers(0, shape[-1], shape[:-1])]


GRAD_CASES = [
    ("bce_probs", lambda y, p: losses.binary_crossentropy(y, p, label_smoothing=0.1),
     lambda: rng.integers(0, 2, (3, 4)).astype(float), lambda: rng.uniform(0.1, 0.9, (3, 4))),
    ("bce_logits", lambda y, p: losses.binary_crossentropy(y, p, from_logits=True),
     lambda: rng.integers(0, 2, (3, 4)).astype(float), lambda: rng.normal(size=(3, 4)) * 3),
    ("focal_probs", lambda y, p: losses.binary_focal_crossentropy(y, p, apply_class_balancing=True),
     lambda: rng.integers(0, 2, (3, 4)).astype(float), lambda: rng.uniform(0.1, 0.9, (3, 4))),
    ("focal_logits", lambda y, p: losses.binary_focal_crossentropy(y, p, gamma=3.0, from_logits=True),
     lambda: rng.integers(0, 2, (3, 4)).astype(float), lambda: rng.normal(size=(3, 4))),
    ("cce_probs", lambda y, p: losses.categorical_crossentropy(y, p), lambda: one_hot((3, 4)),
     lambda: rng.uniform(0.1, 1.0, (3, 4))),
    ("cce_logits_smoothed", lambda y, p: losses.categorical_crossentropy(y, p, from_logits=True, label_smoothing=0.1),
     lambda: one_hot((3, 4)), lambda: rng.normal(size=(3, 4))),
    ("cce_logits_axis1", lambda y, p: losses.categorical_crossentropy(y, p, from_logits=True, axis=1),
     lambda: one_hot((2, 3, 4)).transpose(0, 2, 1), lambda: rng.normal(size=(2, 4, 3))),
    ("categorical_focal", lambda y, p: losses.categorical_focal_crossentropy(y, p, from_logits=True),
     lambda: one_hot((3, 4)), lambda: rng.normal(size=(3, 4))),
    ("kld", losses.kl_divergence, lambda: probabilities((3, 4)), lambda: probabilities((3, 4))),
    ("poisson", losses.poisson, lambda: rng.poisson(2.0, (3, 4)).astype(float), lambda: rng.uniform(0.5, 3, (3, 4))),
]


@pytest.mark.parametrize("name, fn, make_y, make_p", GRAD_CASES, ids=[c[0] for c in GRAD_CASES])
def test_gradcheck_function_form(name, fn, make_y, make_p):
    assert gradcheck(fn, [make_y(), make_p()], wrt=[1])


@pytest.mark.parametrize("from_logits", [False, True])
def test_gradcheck_sparse(from_logits):
    labels = rng.integers(0, 4, 5)
    y_pred = rng.normal(size=(5, 4)) if from_logits else rng.uniform(0.1, 1.0, (5, 4))
    fn = losses.SparseCategoricalCrossentropy(from_logits=from_logits, ignore_class=3)
    assert gradcheck(lambda p, t: fn(t, p, sample_weight=np.arange(1.0, 6.0)), [y_pred, labels])


CLASS_CASES = [
    (losses.BinaryCrossentropy(from_logits=True), lambda: rng.integers(0, 2, (4, 3)).astype(float),
     lambda: rng.normal(size=(4, 3))),
    (losses.BinaryFocalCrossentropy(), lambda: rng.integers(0, 2, (4, 3)).astype(float),
     lambda: rng.uniform(0.1, 0.9, (4, 3))),
    (losses.CategoricalCrossentropy(), lambda: one_hot((4, 3)), lambda: rng.uniform(0.1, 1.0, (4, 3))),
    (losses.CategoricalFocalCrossentropy(label_smoothing=0.1), lambda: one_hot((4, 3)),
     lambda: rng.uniform(0.1, 1.0, (4, 3))),
    (losses.KLDivergence(), lambda: probabilities((4, 3)), lambda: probabilities((4, 3))),
    (losses.Poisson(), lambda: rng.poisson(1.0, (4, 3)).astype(float), lambda: rng.uniform(0.5, 2, (4, 3))),
]


@pytest.mark.parametrize("loss, make_y, make_p", CLASS_CASES, ids=[type(c[0]).__name__ for c in CLASS_CASES])
def test_gradcheck_class_form_with_sample_weights(loss, make_y, make_p):
    weights = rng.uniform(0.5, 2.0, 4)
    assert gradcheck(lambda t, p: loss(t, p, sample_weight=weights), [make_y(), make_p()], wrt=[1])


def test_fused_logits_path_matches_the_composed_softmax():
    z, y = rng.normal(size=(4, 5)), one_hot((4, 5))
    fused = Tensor(z, requires_grad=True)
    losses.CategoricalCrossentropy(from_logits=True)(y, fused).backward()
    composed = Tensor(z, requires_grad=True)
    from glassnet import ops
    (-(ops.log_softmax(composed) * y).sum(axis=-1)).mean().backward()
    np.testing.assert_allclose(fused.grad, composed.grad, rtol=1e-10, atol=1e-14)


# --- PyTorch parity ----------------------------------------------------------------------
def test_torch_parity_probabilistic():
    torch = pytest.importorskip("torch")
    F = torch.nn.functional
    z = rng.normal(size=(6, 5)) * 2
    labels = rng.integers(0, 5, 6)
    bits = rng.integers(0, 2, (6, 5)).astype(float)
    target = probabilities((6, 5))
    positive = rng.uniform(0.2, 3.0, (6, 5))
    counts = rng.poisson(2.0, (6, 5)).astype(float)
    cases = [
        (losses.SparseCategoricalCrossentropy(from_logits=True), labels, z,
         lambda p: F.cross_entropy(p, torch.tensor(labels))),
        (losses.CategoricalCrossentropy(from_logits=True, label_smoothing=0.1), np.eye(5)[labels], z,
         lambda p: F.cross_entropy(p, torch.tensor(labels), label_smoothing=0.1)),
        (losses.BinaryCrossentropy(from_logits=True), bits, z,
         lambda p: F.binary_cross_entropy_with_logits(p, torch.tensor(bits))),
        (losses.BinaryCrossentropy(), bits, 1 / (1 + np.exp(-z)),
         lambda p: F.binary_cross_entropy(p, torch.tensor(bits))),
        (losses.KLDivergence(), target, probabilities((6, 5)),
         lambda p: F.kl_div(torch.log(p), torch.tensor(target), reduction="batchmean")),
        (losses.Poisson(), counts, positive,
         lambda p: F.poisson_nll_loss(p, torch.tensor(counts), log_input=False, eps=1e-7)),
    ]
    for ours, y, p, theirs in cases:
        y_hat = Tensor(p, requires_grad=True)
        value = ours(y, y_hat)
        value.backward()
        tp = torch.tensor(p, requires_grad=True)
        reference = theirs(tp)
        reference.backward()
        assert value.item() == pytest.approx(reference.item(), rel=1e-9), ours.name
        np.testing.assert_allclose(y_hat.grad, tp.grad.numpy(), rtol=1e-7, atol=1e-12, err_msg=ours.name)
