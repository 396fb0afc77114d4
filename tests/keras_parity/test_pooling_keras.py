"""Pooling, spatial reshaping and spatial dropout layers against Keras 3 (skipped without keras).

Each glassnet layer and its Keras twin get the same float64 input; the outputs and the
gradients with respect to the input must agree. Keras runs on its PyTorch backend.

One Keras behaviour is NOT copied, on purpose: Keras's *torch* backend implements "same"
average pooling with uneven padding (more after than before, e.g. pool 3, stride 2 over an
even length) by padding with copies of the edge pixels and then counting them in the mean.
Keras's TensorFlow, JAX and NumPy backends average over the real pixels only (the NumPy
backend divides a zero-padded sum-pool by a sum-pool of ones), and so does glassnet (see
CONVENTIONS.md). With even padding, or pool 2 with stride 2, the backends agree, and those
cases are compared here; the uneven case has its own test below.
"""
import math

import numpy as np
import pytest

import glassnet as gn
from glassnet import layers as G

keras = pytest.importorskip("keras")
torch = pytest.importorskip("torch")
torch.set_num_threads(1)

K = keras.layers
RTOL, ATOL = 1e-12, 1e-13

pytestmark = pytest.mark.usefixtures("keras_float64")   # conftest.py: both sides in float64


def distinct(*shape, seed=0):
    """Shuffled values 0.1 apart: no ties inside a max pool's windows."""
    return np.random.default_rng(seed).permutation(math.prod(shape)).reshape(shape) * 0.1 - 3.0


def assert_twins(g_layer, k_layer, x, **call_kwargs):
    """Output and ∂L/∂x of both, for L = Σ y ⊙ r with the same random r."""
    g_in = gn.Tensor(x.copy(), requires_grad=True)
    y_g = g_layer(g_in, **call_kwargs)
    k_in = torch.tensor(x.copy(), requires_grad=True)
    y_k = k_layer(k_in, **{k: torch.tensor(v) if isinstance(v, np.ndarray) else v for k, v in call_kwargs.items()})
    assert tuple(y_g.shape) == tuple(y_k.shape) == tuple(k_layer.compute_output_shape(x.shape))
    upstream = np.random.default_rng(99).standard_normal(tuple(y_g.shape))
    (y_g * gn.Tensor(upstream)).sum().backward()
    (y_k * torch.tensor(upstream)).sum().backward()
    np.testing.assert_allclose(y_g.numpy(), y_k.detach().numpy(), rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(g_in.grad, k_in.grad.numpy(), rtol=RTOL, atol=ATOL)


# name, args, kwargs, input shape
CASES = [
    ("MaxPooling2D", (), {}, (2, 6, 8, 3)),
    ("MaxPooling2D", (), {"padding": "same"}, (2, 5, 7, 3)),                        # odd sizes
    ("MaxPooling2D", ((3, 3),), {"strides": 2, "padding": "valid"}, (2, 7, 8, 2)),  # overlapping
    ("MaxPooling2D", ((3, 3),), {"strides": 2, "padding": "same"}, (2, 8, 7, 2)),   # uneven padding on one axis
    ("MaxPooling2D", ((2, 3),), {"strides": 1, "padding": "same"}, (1, 5, 6, 2)),
    ("MaxPooling2D", ((4, 4),), {"strides": (1, 3), "padding": "same"}, (1, 6, 7, 2)),
    ("MaxPooling1D", (), {}, (2, 9, 3)),
    ("MaxPooling1D", (3,), {"strides": 2, "padding": "same"}, (2, 10, 3)),
    ("MaxPooling1D", (2,), {"strides": 1, "padding": "same"}, (2, 7, 2)),
    ("AveragePooling2D", (2,), {}, (2, 6, 8, 3)),
    ("AveragePooling2D", (2,), {"padding": "same"}, (2, 5, 7, 3)),                 # odd sizes, pool 2 stride 2
    ("AveragePooling2D", ((3, 3),), {"strides": 2, "padding": "valid"}, (2, 7, 8, 2)),
    ("AveragePooling2D", ((3, 3),), {"strides": 2, "padding": "same"}, (2, 7, 9, 2)),   # even padding (1, 1)
    ("AveragePooling2D", ((3, 5),), {"strides": 1, "padding": "same"}, (1, 5, 6, 2)),   # (1, 1) and (2, 2)
    ("AveragePooling1D", (3,), {}, (2, 10, 3)),
    ("AveragePooling1D", (2,), {"padding": "same"}, (2, 9, 3)),
    ("AveragePooling1D", (3,), {"strides": 2, "padding": "same"}, (2, 9, 3)),
    ("GlobalMaxPooling2D", (), {}, (2, 4, 5, 3)),
    ("GlobalMaxPooling2D", (), {"keepdims": True}, (2, 4, 5, 3)),
    ("GlobalMaxPooling1D", (), {}, (2, 6, 3)),
    ("GlobalMaxPooling1D", (), {"keepdims": True}, (2, 6, 3)),
    ("GlobalAveragePooling2D", (), {}, (2, 4, 5, 3)),
    ("GlobalAveragePooling2D", (), {"keepdims": True}, (2, 4, 5, 3)),
    ("GlobalAveragePooling1D", (), {}, (2, 6, 3)),
    ("GlobalAveragePooling1D", (), {"keepdims": True}, (2, 6, 3)),
    ("UpSampling1D", (), {}, (2, 4, 3)),
    ("UpSampling1D", (3,), {}, (2, 4, 3)),
    ("UpSampling2D", (), {}, (2, 3, 4, 2)),
    ("UpSampling2D", ((3, 2),), {}, (2, 3, 4, 2)),
    ("UpSampling2D", (), {"interpolation": "bilinear"}, (2, 3, 4, 2)),
    ("UpSampling2D", ((3, 2),), {"interpolation": "bilinear"}, (2, 5, 4, 2)),
    ("ZeroPadding1D", (), {}, (2, 4, 3)),
    ("ZeroPadding1D", ((2, 0),), {}, (2, 4, 3)),
    ("ZeroPadding2D", (), {}, (2, 3, 4, 2)),
    ("ZeroPadding2D", ((1, 3),), {}, (2, 3, 4, 2)),
    ("ZeroPadding2D", (((2, 0), (1, 3)),), {}, (2, 3, 4, 2)),
    ("Cropping1D", (), {}, (2, 5, 3)),
    ("Cropping1D", ((0, 2),), {}, (2, 5, 3)),
    ("Cropping2D", (), {}, (2, 5, 6, 2)),
    ("Cropping2D", ((1, 2),), {}, (2, 5, 6, 2)),
    ("Cropping2D", (((2, 0), (1, 3)),), {}, (2, 5, 6, 2)),
    ("Cropping2D", (((0, 1), (0, 0)),), {}, (2, 5, 6, 2)),
    ("SpatialDropout1D", (0.5,), {}, (2, 5, 3)),            # at inference: the identity
    ("SpatialDropout2D", (0.5,), {}, (2, 3, 4, 3)),
]
IDS = [f"{name}{i}" for i, (name, _, _, _) in enumerate(CASES)]


@pytest.mark.parametrize("name, args, kwargs, shape", CASES, ids=IDS)
def test_outputs_and_input_gradients(name, args, kwargs, shape):
    assert_twins(getattr(G, name)(*args, **kwargs), getattr(K, name)(*args, **kwargs), distinct(*shape))


@pytest.mark.parametrize("name, args, kwargs, shape", CASES, ids=IDS)
def test_compute_output_shape(name, args, kwargs, shape):
    for known in (shape, (None, *shape[1:])):
        assert tuple(getattr(G, name)(*args, **kwargs).compute_output_shape(known)) == \
            tuple(getattr(K, name)(*args, **kwargs).compute_output_shape(known))


def _same_value(a, b) -> bool:
    if isinstance(b, (tuple, list)):
        return isinstance(a, (tuple, list)) and len(a) == len(b) and all(_same_value(x, y) for x, y in zip(a, b))
    return a == b


@pytest.mark.parametrize("name, args, kwargs, shape", CASES, ids=IDS)
def test_get_config_keys_and_values(name, args, kwargs, shape):
    ours, theirs = getattr(G, name)(*args, **kwargs).get_config(), getattr(K, name)(*args, **kwargs).get_config()
    assert set(ours) == set(theirs), f"{name}: {sorted(set(ours) ^ set(theirs))}"
    for key, value in ours.items():
        other = theirs[key]
        if key == "name":
            continue
        if key == "dtype" and isinstance(other, dict):          # Keras writes a DTypePolicy
            other = other["config"]["name"]
        assert _same_value(value, other), f"{name}.{key}: {value!r} vs {other!r}"


def test_global_average_pooling_1d_with_a_mask():
    mask = np.array([[True, True, False, True, False, True], [False, True, True, True, True, True]])
    assert_twins(G.GlobalAveragePooling1D(), K.GlobalAveragePooling1D(), distinct(2, 6, 3), mask=mask)


def test_spatial_dropout_in_training_drops_whole_channels_like_keras():
    x = np.ones((200, 3, 4, 50))
    for y in (G.SpatialDropout2D(0.3, seed=1)(x, training=True).numpy(),
              K.SpatialDropout2D(0.3, seed=1)(torch.tensor(x), training=True).numpy()):
        per_channel = y[:, 0, 0, :]
        np.testing.assert_array_equal(y, np.broadcast_to(per_channel[:, None, None, :], y.shape))
        np.testing.assert_allclose(np.unique(y), [0.0, 1.0 / 0.7], rtol=1e-12)
        assert abs(np.mean(per_channel == 0.0) - 0.3) < 0.02


def test_uneven_same_average_pooling_counts_real_pixels_where_keras_torch_counts_edge_copies():
    # pool 3, stride 2 over 8 steps: out 4, total padding 1, all of it after the last step.
    x = np.arange(1.0, 9.0).reshape(1, 8, 1)
    ours = G.AveragePooling1D(3, strides=2, padding="same")(x).numpy().ravel()
    theirs = K.AveragePooling1D(3, strides=2, padding="same")(torch.tensor(x)).numpy().ravel()
    # the last window holds steps 7 and 8 and one padded position:
    np.testing.assert_allclose(ours, [2.0, 4.0, 6.0, (7 + 8) / 2])          # TF, JAX, NumPy backends: (7 + 8) / 2
    np.testing.assert_allclose(theirs, [2.0, 4.0, 6.0, (7 + 8 + 8) / 3])    # torch backend: an edge copy counted
