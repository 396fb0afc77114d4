"""Layers constructed with hostile arguments (one argument at a time, the others valid).

Each construction either is refused — ValueError/TypeError naming the argument or the
layer — or gives a layer that, called on a small finite input, returns a finite output
of the shape ``compute_output_shape`` promised (or refuses that input with a message
naming the layer). Calls run in inference mode.
"""
import re

import numpy as np
import pytest
from hypothesis import given

import glassnet
from glassnet import layers as L

from .harness import REFUSED, check_call
from .strategies import HOSTILE

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")

F32 = np.float32
# (layer, the argument made hostile, the other arguments, an input it should accept)
CASES = [
    (L.Dense, "units", {}, (2, 4)),
    (L.Dense, "activation", {"units": 3}, (2, 4)),
    (L.Dense, "kernel_initializer", {"units": 3}, (2, 4)),
    (L.Dense, "kernel_regularizer", {"units": 3}, (2, 4)),
    (L.Dense, "use_bias", {"units": 3}, (2, 4)),
    (L.Conv2D, "filters", {"kernel_size": 3}, (1, 6, 6, 2)),
    (L.Conv2D, "kernel_size", {"filters": 2}, (1, 6, 6, 2)),
    (L.Conv2D, "strides", {"filters": 2, "kernel_size": 3}, (1, 6, 6, 2)),
    (L.Conv2D, "padding", {"filters": 2, "kernel_size": 3}, (1, 6, 6, 2)),
    (L.Conv2D, "dilation_rate", {"filters": 2, "kernel_size": 3}, (1, 6, 6, 2)),
    (L.Conv1D, "kernel_size", {"filters": 2}, (1, 8, 2)),
    (L.Conv2DTranspose, "strides", {"filters": 2, "kernel_size": 3}, (1, 4, 4, 2)),
    (L.DepthwiseConv2D, "depth_multiplier", {"kernel_size": 3}, (1, 5, 5, 2)),
    (L.MaxPooling2D, "pool_size", {}, (1, 6, 6, 2)),
    (L.MaxPooling2D, "strides", {}, (1, 6, 6, 2)),
    (L.AveragePooling1D, "pool_size", {}, (1, 8, 2)),
    (L.Dropout, "rate", {}, (2, 4)),
    (L.SpatialDropout1D, "rate", {}, (1, 8, 2)),
    (L.GaussianNoise, "stddev", {}, (2, 4)),
    (L.BatchNormalization, "axis", {}, (2, 3, 4)),
    (L.BatchNormalization, "momentum", {}, (2, 4)),
    (L.BatchNormalization, "epsilon", {}, (2, 4)),
    (L.LayerNormalization, "axis", {}, (2, 3, 4)),
    (L.LayerNormalization, "epsilon", {}, (2, 4)),
    (L.Normalization, "axis", {"mean": 0.0, "variance": 1.0}, (2, 4)),
    (L.Reshape, "target_shape", {}, (2, 12)),
    (L.Permute, "dims", {}, (2, 3, 4)),
    (L.RepeatVector, "n", {}, (2, 4)),
    (L.Softmax, "axis", {}, (2, 3, 4)),
    (L.Activation, "activation", {}, (2, 4)),
    (L.LeakyReLU, "negative_slope", {}, (2, 4)),
    (L.ZeroPadding2D, "padding", {}, (1, 4, 4, 2)),
    (L.Cropping1D, "cropping", {}, (1, 8, 2)),
    (L.UpSampling2D, "size", {}, (1, 3, 3, 2)),
    (L.Rescaling, "scale", {}, (2, 4)),
    (L.Embedding, "input_dim", {"output_dim": 3}, "ints"),
    (L.Embedding, "output_dim", {"input_dim": 10}, "ints"),
    (L.SimpleRNN, "units", {}, (2, 3, 4)),
    (L.LSTM, "units", {}, (2, 3, 4)),
    (L.LSTM, "dropout", {"units": 3}, (2, 3, 4)),
    (L.GRU, "recurrent_activation", {"units": 3}, (2, 3, 4)),
    (L.MultiHeadAttention, "num_heads", {"key_dim": 2}, "attention"),
    (L.MultiHeadAttention, "key_dim", {"num_heads": 2}, "attention"),
    (L.Concatenate, "axis", {}, "pair"),
    (L.GlobalAveragePooling1D, "keepdims", {}, (1, 8, 2)),
    (L.ActivityRegularization, "l1", {}, (2, 4)),
]


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _inputs(kind):
    rng = np.random.default_rng(0)
    if kind == "ints":
        return (rng.integers(0, 10, (2, 3)),)
    if kind == "attention":
        q = rng.normal(size=(1, 3, 4)).astype(F32)
        return (q, q)
    if kind == "pair":
        x = rng.normal(size=(2, 3, 4)).astype(F32)
        return ([x, x],)
    return (rng.normal(size=kind).astype(F32),)


@pytest.mark.parametrize("layer_class, argument, others, kind", CASES,
                         ids=[f"{c.__name__}-{a}" for c, a, _, _ in CASES])
@given(value=HOSTILE)
def test_hostile_argument_is_refused_or_works(layer_class, argument, others, kind, value):
    names = (argument, layer_class.__name__, _snake(layer_class.__name__))
    layer = check_call("construction", lambda: layer_class(**others, **{argument: value}), names=names)
    if layer is REFUSED:
        return
    inputs = _inputs(kind)

    def verify(out):
        out = np.asarray(out.numpy())
        overflows = isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) > 1e30
        assert overflows or np.all(np.isfinite(out)), \
            f"{layer_class.__name__}({argument}={value!r}) gave non-finite output"
        if kind not in ("attention", "pair"):
            expected = layer.compute_output_shape(inputs[0].shape)
            assert tuple(out.shape) == tuple(expected), f"output {out.shape}, compute_output_shape {expected}"

    check_call("construction", lambda: layer(*inputs), names=(*names, layer.name), verify=verify)


@given(value=HOSTILE)
def test_from_config_of_a_hostile_config(value):
    """A config dict edited by hand: every key's value hostile in turn."""
    config = L.Dense(3).get_config()
    for key in ("units", "activation", "use_bias", "kernel_initializer", "name", "trainable", "dtype"):
        bad = {**config, key: value}
        check_call("construction", lambda: L.Dense.from_config(bad), names=(key, "dense", "Dense"))


def test_issue_cases():
    """Fault 7 of issue 16: Python's "object is not iterable" instead of a message."""
    with pytest.raises(ValueError, match="LayerNormalization: axis must be an int"):
        L.LayerNormalization(axis=2.0)
    with pytest.raises(ValueError, match="Reshape: target_shape must be"):
        L.Reshape(None)
    with pytest.raises(ValueError, match="Permute: dims must be"):
        L.Permute(3.0)


def test_sequential_of_a_single_layer_names_the_argument():
    with pytest.raises(TypeError, match="layers"):
        try:
            glassnet.Sequential(L.Dense(3))
        except TypeError as exc:
            assert "not iterable" not in str(exc)
            raise


@pytest.mark.parametrize("dtype", [True, "floatx", 3])
def test_layer_dtype_is_checked(dtype):
    """Layer.__init__ passed dtype to np.dtype unchecked: "Cannot interpret 'True' as a data type"."""
    with pytest.raises((ValueError, TypeError), match="dtype"):
        L.Dense(3, dtype=dtype)
