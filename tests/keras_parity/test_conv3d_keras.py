"""3-D convolution, pooling and reshaping, and adaptive pooling, against Keras 3 with identical weights (float64).

Outputs, input gradients and weight gradients must agree (``assert_twins``: glassnet's weights
are copied into Keras, which also proves their shapes, names and order). Transposed convolutions
and "same" average pooling are compared where Keras's torch backend reproduces Keras's own
(TensorFlow/JAX) results: a backend-inconsistency warning fails the test, and the pools use
even padding (see test_pooling_keras.py for why). Then a model of these layers goes through a
.keras file both ways.
"""
import os
import warnings

import numpy as np
import pytest

import glassnet as gn
from glassnet import layers as G

from .test_layers_keras import assert_twins

keras = pytest.importorskip("keras")
K = keras.layers

pytestmark = pytest.mark.usefixtures("keras_float64")

rng = np.random.default_rng(0)


def distinct(*shape):
    """Shuffled values 0.1 apart: no ties inside a max pool's windows."""
    return rng.permutation(int(np.prod(shape))).reshape(shape) * 0.1 - 3.0


def twins(name, kwargs, x):
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)        # a backend-inconsistency warning fails the test
        try:
            assert_twins(getattr(G, name)(**kwargs), getattr(K, name)(**kwargs), [x])
        except AssertionError as error:
            raise AssertionError(f"{name}({kwargs}) on shape {x.shape}: {error}") from None


# Each list is looped in one test: Keras's clear_session after every test costs 0.7–1.5 s here.
CONV3D = [
    ({"filters": 3, "kernel_size": 2}, (2, 4, 5, 3, 2)),
    ({"filters": 3, "kernel_size": (3, 2, 3), "strides": 2, "padding": "same"}, (2, 5, 4, 6, 2)),
    ({"filters": 2, "kernel_size": 2, "dilation_rate": (2, 1, 2), "padding": "same", "activation": "relu"},
     (1, 5, 4, 5, 3)),
    ({"filters": 4, "kernel_size": 2, "groups": 2, "use_bias": False}, (1, 3, 4, 3, 4)),
    ({"filters": 3, "kernel_size": 2, "strides": (1, 2, 1), "data_format": "channels_first"}, (2, 2, 4, 5, 3)),
]
CONV3D_TRANSPOSE = [
    ({"filters": 2, "kernel_size": 2}, (2, 2, 3, 2, 3)),
    ({"filters": 2, "kernel_size": 3, "padding": "same"}, (1, 3, 2, 3, 2)),
    ({"filters": 2, "kernel_size": 2, "strides": 2, "padding": "same"}, (1, 3, 2, 2, 2)),
    ({"filters": 2, "kernel_size": 3, "strides": (2, 1, 2)}, (1, 2, 3, 2, 2)),
    ({"filters": 2, "kernel_size": 2, "strides": 3, "output_padding": 1}, (1, 2, 2, 2, 2)),
    ({"filters": 2, "kernel_size": 2, "data_format": "channels_first"}, (1, 3, 2, 3, 2)),
]
WEIGHTLESS = [
    ("MaxPooling3D", {}, (2, 4, 5, 4, 3)),
    ("MaxPooling3D", {"pool_size": (2, 3, 2), "strides": (1, 2, 2), "padding": "same"}, (1, 4, 5, 5, 2)),
    ("MaxPooling3D", {"pool_size": 2, "data_format": "channels_first"}, (1, 2, 4, 4, 5)),
    ("AveragePooling3D", {"pool_size": 2}, (2, 4, 5, 4, 3)),
    ("AveragePooling3D", {"pool_size": 3, "strides": 1, "padding": "same"}, (1, 4, 3, 5, 2)),
    ("AveragePooling3D", {"pool_size": (2, 1, 2), "data_format": "channels_first"}, (1, 2, 4, 3, 4)),
    ("GlobalMaxPooling3D", {}, (2, 3, 4, 2, 3)),
    ("GlobalMaxPooling3D", {"keepdims": True, "data_format": "channels_first"}, (2, 3, 4, 2, 3)),
    ("GlobalAveragePooling3D", {}, (2, 3, 4, 2, 3)),
    ("GlobalAveragePooling3D", {"keepdims": True, "data_format": "channels_first"}, (2, 3, 4, 2, 3)),
    ("Cropping3D", {}, (2, 4, 3, 5, 2)),
    ("Cropping3D", {"cropping": ((0, 1), 1, (2, 0)), "data_format": "channels_first"}, (1, 2, 4, 3, 5)),
    ("ZeroPadding3D", {"padding": ((1, 0), 2, (0, 3))}, (1, 2, 3, 2, 2)),
    ("ZeroPadding3D", {"data_format": "channels_first"}, (1, 2, 3, 2, 2)),
    ("UpSampling3D", {}, (1, 2, 3, 2, 2)),
    ("UpSampling3D", {"size": (1, 3, 2), "data_format": "channels_first"}, (1, 2, 2, 2, 3)),
]
ADAPTIVE = [
    ("AdaptiveAveragePooling1D", 3, None, (2, 7, 3)),
    ("AdaptiveMaxPooling1D", 4, "channels_first", (2, 3, 9)),
    ("AdaptiveAveragePooling2D", (2, 3), "channels_first", (1, 2, 5, 7)),
    ("AdaptiveMaxPooling2D", 3, None, (1, 5, 7, 2)),
    ("AdaptiveAveragePooling3D", (2, 3, 2), None, (1, 5, 4, 3, 2)),
    ("AdaptiveMaxPooling3D", 2, "channels_first", (1, 2, 3, 5, 4)),
]
CONFIGS = [
    ("Conv3D", {"filters": 4, "kernel_size": 3, "strides": 2, "padding": "same", "groups": 2}),
    ("Conv3DTranspose", {"filters": 4, "kernel_size": 3, "output_padding": 0}),
    ("MaxPooling3D", {"pool_size": 3, "padding": "same"}),
    ("AveragePooling3D", {"pool_size": 2}),
    ("GlobalMaxPooling3D", {"keepdims": True}),
    ("Cropping3D", {"cropping": 2}),
    ("ZeroPadding3D", {"padding": (1, 2, 3)}),
    ("UpSampling3D", {"size": 3}),
    ("AdaptiveMaxPooling3D", {"output_size": 2}),
    ("AdaptiveAveragePooling2D", {"output_size": (2, 3)}),
]


def test_conv3d():
    for kwargs, shape in CONV3D:
        twins("Conv3D", kwargs, rng.standard_normal(shape))


def test_conv3d_transpose():
    for kwargs, shape in CONV3D_TRANSPOSE:
        twins("Conv3DTranspose", kwargs, rng.standard_normal(shape))


def test_weightless_3d_layers():
    for name, kwargs, shape in WEIGHTLESS:
        twins(name, kwargs, distinct(*shape))


def test_adaptive_pooling():
    for name, output_size, data_format, shape in ADAPTIVE:
        twins(name, {"output_size": output_size, "data_format": data_format}, distinct(*shape))


def test_configs_equal_keras():
    for name, kwargs in CONFIGS:
        ours = getattr(G, name)(**kwargs).get_config()
        theirs = getattr(K, name)(**kwargs).get_config()
        # glassnet writes activity_regularizer only when one is set (as for every glassnet layer)
        assert set(ours) == set(theirs) - {"lora_rank", "lora_alpha", "activity_regularizer"}, name
        for key in set(ours) - {"name", "dtype", "kernel_initializer", "bias_initializer"}:
            assert ours[key] == theirs[key] or np.array_equal(ours[key], theirs[key]), (name, key)


def test_signatures_equal_keras():
    import inspect
    for name in ("Conv3D", "Conv3DTranspose", "MaxPooling3D", "AveragePooling3D", "GlobalMaxPooling3D",
                 "GlobalAveragePooling3D", "Cropping3D", "ZeroPadding3D", "UpSampling3D", "AdaptiveMaxPooling1D",
                 "AdaptiveAveragePooling3D"):
        ours = inspect.signature(getattr(G, name)).parameters
        theirs = inspect.signature(getattr(K, name)).parameters
        shared = [p for p in ours if p != "kwargs"]
        assert shared == [p for p in theirs if p in ours and p != "kwargs"], name
        assert [ours[p].default for p in shared] == [theirs[p].default for p in shared], name


def test_keras_file_both_ways(tmp_path):
    """A glassnet model of the new layers → .keras → Keras predicts the same → Keras's .keras → glassnet."""
    os.environ.setdefault("KERAS_BACKEND", "torch")
    pytest.importorskip("h5py")
    gn.utils.set_random_seed(0)
    model = gn.Sequential([G.Input((4, 6, 6, 2)), G.Conv3D(3, 3, padding="same", activation="relu"),
                           G.MaxPooling3D(2), G.ZeroPadding3D(1), G.Conv3DTranspose(2, 2, strides=2),
                           G.AveragePooling3D(2), G.Cropping3D(((0, 1), 0, 1)), G.UpSampling3D((1, 2, 1)),
                           G.AdaptiveAveragePooling3D(2), G.GlobalMaxPooling3D(), G.Dense(1)])
    x = rng.standard_normal((3, 4, 6, 6, 2))
    ours = model.predict(x, verbose=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)      # until interop lists the 3-D layers as Keras's own
        model.save(tmp_path / "m.keras")
    theirs = keras.saving.load_model(tmp_path / "m.keras")
    np.testing.assert_allclose(np.asarray(theirs.predict(x, verbose=0)), ours, rtol=1e-9, atol=1e-12)
    theirs.save(tmp_path / "k.keras")
    again = gn.models.load_model(tmp_path / "k.keras")
    np.testing.assert_allclose(again.predict(x, verbose=0), ours, rtol=1e-9, atol=1e-12)
