"""The 1-D and 2-D spatial layers with data_format="channels_first", against Keras 3 with identical weights (float64).

Outputs, input gradients and weight gradients must agree (``assert_twins`` copies glassnet's
weights into Keras, which also proves that their shapes do not depend on data_format, as in
Keras). A backend-inconsistency warning of Keras's torch backend fails the test, so the
transposed convolutions use arguments where Keras's torch backend matches Keras's own results.
Then configs, ``data_format=None`` under ``image_data_format() == "channels_first"``, and the
tie rule of ``ops.adaptive_max_pool``.
"""
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
CF = {"data_format": "channels_first"}


def distinct(*shape):
    """Shuffled values 0.1 apart: no ties inside a max pool's windows."""
    return rng.permutation(int(np.prod(shape))).reshape(shape) * 0.1 - 3.0


def twins(name, kwargs, x, training=False):
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)        # a backend-inconsistency warning fails the test
        try:
            assert_twins(getattr(G, name)(**kwargs), getattr(K, name)(**kwargs), [x], training=training)
        except AssertionError as error:
            raise AssertionError(f"{name}({kwargs}) on shape {x.shape}: {error}") from None


# Each list is looped in one test: Keras's clear_session after every test costs about a second.
CONVOLUTIONS = [
    ("Conv1D", {"filters": 3, "kernel_size": 3, "strides": 2, "padding": "same"}, (2, 2, 7)),
    ("Conv1D", {"filters": 4, "kernel_size": 2, "dilation_rate": 2, "padding": "causal", "groups": 2}, (2, 2, 6)),
    ("Conv2D", {"filters": 3, "kernel_size": (2, 3), "activation": "relu"}, (2, 2, 5, 6)),
    ("Conv2D", {"filters": 4, "kernel_size": 3, "strides": 2, "padding": "same", "groups": 2}, (1, 4, 5, 6)),
    ("Conv1DTranspose", {"filters": 2, "kernel_size": 3, "strides": 2}, (2, 3, 4)),
    ("Conv2DTranspose", {"filters": 2, "kernel_size": 2, "strides": 2, "padding": "same"}, (1, 3, 3, 4)),
    ("Conv2DTranspose", {"filters": 3, "kernel_size": (3, 2)}, (2, 2, 3, 3)),
    ("DepthwiseConv1D", {"kernel_size": 3, "depth_multiplier": 2}, (2, 3, 6)),
    ("DepthwiseConv2D", {"kernel_size": 2, "strides": 2, "padding": "same"}, (1, 3, 5, 4)),
    ("SeparableConv1D", {"filters": 4, "kernel_size": 2, "depth_multiplier": 2}, (2, 3, 5)),
    ("SeparableConv2D", {"filters": 2, "kernel_size": 3, "padding": "same"}, (1, 3, 4, 5)),
]
WEIGHTLESS = [
    ("MaxPooling1D", {"pool_size": 3, "strides": 2}, (2, 3, 9)),
    ("MaxPooling2D", {"pool_size": 2, "padding": "same"}, (1, 2, 5, 4)),
    ("AveragePooling1D", {"pool_size": 2}, (2, 3, 8)),
    ("AveragePooling2D", {"pool_size": (2, 3), "strides": 1}, (1, 2, 4, 5)),
    ("GlobalMaxPooling1D", {}, (2, 3, 5)),
    ("GlobalMaxPooling2D", {"keepdims": True}, (2, 3, 4, 2)),
    ("GlobalAveragePooling1D", {"keepdims": True}, (2, 3, 5)),
    ("GlobalAveragePooling2D", {}, (2, 3, 4, 2)),
    ("Cropping2D", {"cropping": ((1, 0), (0, 2))}, (1, 2, 4, 5)),
    ("ZeroPadding1D", {"padding": (1, 2)}, (2, 3, 4)),
    ("ZeroPadding2D", {"padding": ((0, 1), (2, 1))}, (1, 2, 3, 3)),
    ("UpSampling2D", {"size": (2, 3)}, (1, 2, 3, 2)),
    ("UpSampling2D", {"size": 2, "interpolation": "bilinear"}, (1, 2, 3, 4)),
    ("SpatialDropout2D", {"rate": 0.5}, (2, 3, 2, 2)),            # inference: the identity
    ("SpatialDropout3D", {"rate": 0.5}, (1, 2, 2, 2, 2)),
]


def test_convolutions_channels_first():
    for name, kwargs, shape in CONVOLUTIONS:
        twins(name, {**kwargs, **CF}, rng.standard_normal(shape))


def test_weightless_layers_channels_first():
    for name, kwargs, shape in WEIGHTLESS:
        twins(name, {**kwargs, **CF}, distinct(*shape))
    # the layers whose data_format Keras does not have still work on channels-first models' tensors
    for name, kwargs, shape in [("Cropping1D", {"cropping": (1, 2)}, (2, 6, 3)),
                                ("UpSampling1D", {"size": 3}, (2, 3, 2)),
                                ("SpatialDropout1D", {"rate": 0.3}, (2, 4, 3)), ("Flatten", CF, (2, 3, 2, 4))]:
        twins(name, kwargs, distinct(*shape))


def test_global_average_pooling1d_mask_channels_first():
    x = rng.standard_normal((2, 3, 5))
    mask = np.array([[1, 1, 0, 1, 0], [0, 1, 1, 1, 1]], dtype=bool)
    ours = G.GlobalAveragePooling1D(**CF)(x, mask=mask).numpy()
    theirs = K.GlobalAveragePooling1D(**CF)(x, mask=mask)
    np.testing.assert_allclose(ours, keras.ops.convert_to_numpy(theirs), rtol=1e-12)


def test_configs_equal_keras():
    for name, kwargs, _ in CONVOLUTIONS + WEIGHTLESS:
        ours = getattr(G, name)(**kwargs, **CF).get_config()
        theirs = getattr(K, name)(**kwargs, **CF).get_config()
        # glassnet writes activity_regularizer only when one is set (as for every glassnet layer)
        assert set(ours) == set(theirs) - {"lora_rank", "lora_alpha", "activity_regularizer"}, name
        for key in set(ours) - {"name", "dtype", "kernel_initializer", "bias_initializer", "depthwise_initializer",
                                "pointwise_initializer"}:
            assert ours[key] == theirs[key] or np.array_equal(ours[key], theirs[key]), (name, key)


def test_none_follows_image_data_format_as_keras():
    gn.backend.set_image_data_format("channels_first")
    keras.config.set_image_data_format("channels_first")
    try:
        for name, kwargs, _ in CONVOLUTIONS + WEIGHTLESS:
            ours, theirs = getattr(G, name)(**kwargs), getattr(K, name)(**kwargs)
            assert ours.data_format == theirs.data_format == "channels_first", name
        assert G.Flatten().data_format == K.Flatten().data_format == "channels_first"
    finally:
        gn.backend.set_image_data_format("channels_last")
        keras.config.set_image_data_format("channels_last")


def test_adaptive_max_pool_ties_go_where_keras_sends_them():
    # a 2×2 cell holding two equal maxima on a diagonal: the gradient goes to the first in row-major order
    import torch
    x = np.array([[0.0, 5.0, 1.0], [5.0, 2.0, 5.0], [3.0, 5.0, 4.0]]).reshape(1, 3, 3, 1)
    ours = gn.Tensor(x, requires_grad=True)
    gn.ops.adaptive_max_pool(ours, 2).backward(np.ones((1, 2, 2, 1)))
    theirs = torch.tensor(x, requires_grad=True)
    keras.ops.sum(keras.ops.adaptive_max_pool(theirs, 2, data_format="channels_last")).backward()
    np.testing.assert_array_equal(ours.grad, theirs.grad.numpy())
