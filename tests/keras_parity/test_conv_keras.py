"""Convolution layers against Keras 3 with identical weights: outputs and every gradient (float64).

Transposed convolutions are compared where Keras's torch backend reproduces Keras's own
(TensorFlow/JAX) alignment; where it does not, Keras warns "inconsistencies across backends",
and glassnet follows TensorFlow/JAX (tests/layers/convolutional/test_conv_torch.py checks those
cases against the full transposed convolution).
"""
import warnings

import numpy as np
import pytest

from glassnet import layers as G

from .test_layers_keras import assert_twins

keras = pytest.importorskip("keras")
K = keras.layers

pytestmark = pytest.mark.usefixtures("keras_float64")

rng = np.random.default_rng(0)


@pytest.mark.parametrize("kwargs, shape", [
    ({"filters": 4, "kernel_size": 3}, (2, 7, 6, 3)),
    ({"filters": 4, "kernel_size": 3, "padding": "same"}, (2, 7, 6, 3)),
    ({"filters": 4, "kernel_size": (3, 2), "strides": 2, "padding": "same"}, (2, 7, 8, 3)),
    ({"filters": 4, "kernel_size": 2, "strides": (2, 1)}, (2, 7, 8, 3)),
    ({"filters": 4, "kernel_size": 3, "dilation_rate": 2, "padding": "same"}, (2, 9, 8, 3)),
    ({"filters": 6, "kernel_size": 3, "groups": 3, "activation": "relu"}, (2, 6, 6, 6)),
    ({"filters": 4, "kernel_size": 3, "use_bias": False, "activation": "sigmoid"}, (2, 5, 5, 2)),
])
def test_conv2d(kwargs, shape):
    assert_twins(G.Conv2D(**kwargs), K.Conv2D(**kwargs), [rng.standard_normal(shape)])


@pytest.mark.parametrize("kwargs", [
    {"filters": 3, "kernel_size": 3}, {"filters": 3, "kernel_size": 4, "strides": 2, "padding": "same"},
    {"filters": 3, "kernel_size": 3, "padding": "causal", "dilation_rate": 2}, {"filters": 4, "kernel_size": 3, "groups": 2},
])
def test_conv1d(kwargs):
    assert_twins(G.Conv1D(**kwargs), K.Conv1D(**kwargs), [rng.standard_normal((2, 11, 4))])


@pytest.mark.parametrize("kwargs", [
    {"kernel_size": 3}, {"kernel_size": 3, "strides": 2, "padding": "same", "depth_multiplier": 2},
    {"kernel_size": 2, "dilation_rate": 2, "activation": "relu"},
])
def test_depthwise_conv2d(kwargs):
    assert_twins(G.DepthwiseConv2D(**kwargs), K.DepthwiseConv2D(**kwargs), [rng.standard_normal((2, 8, 7, 3))])


def test_depthwise_conv1d():
    kwargs = {"kernel_size": 3, "depth_multiplier": 2, "padding": "same"}
    assert_twins(G.DepthwiseConv1D(**kwargs), K.DepthwiseConv1D(**kwargs), [rng.standard_normal((2, 9, 3))])


@pytest.mark.parametrize("kwargs", [
    {"filters": 5, "kernel_size": 3}, {"filters": 4, "kernel_size": 3, "strides": 2, "padding": "same", "depth_multiplier": 2},
])
def test_separable_conv(kwargs):
    assert_twins(G.SeparableConv2D(**kwargs), K.SeparableConv2D(**kwargs), [rng.standard_normal((2, 8, 7, 3))])
    assert_twins(G.SeparableConv1D(**kwargs), K.SeparableConv1D(**kwargs), [rng.standard_normal((2, 9, 3))])


TRANSPOSE = [
    {"filters": 3, "kernel_size": 3}, {"filters": 3, "kernel_size": 3, "padding": "same"},
    {"filters": 3, "kernel_size": 3, "strides": 2}, {"filters": 3, "kernel_size": 2, "strides": 2, "padding": "same"},
    {"filters": 3, "kernel_size": 3, "strides": 2, "padding": "same", "output_padding": 0},
    {"filters": 3, "kernel_size": 2, "strides": 3, "output_padding": 1},
    {"filters": 3, "kernel_size": 3, "dilation_rate": 2, "padding": "same"},
    {"filters": 3, "kernel_size": (4, 3), "strides": (1, 3), "padding": "same"},
]


@pytest.mark.parametrize("kwargs", TRANSPOSE)
def test_conv2d_transpose(kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)        # a backend-inconsistency warning fails the test
        assert_twins(G.Conv2DTranspose(**kwargs), K.Conv2DTranspose(**kwargs), [rng.standard_normal((2, 5, 4, 2))])


def test_conv1d_transpose():
    for kwargs in ({"filters": 3, "kernel_size": 3, "strides": 2}, {"filters": 2, "kernel_size": 4, "padding": "same"}):
        assert_twins(G.Conv1DTranspose(**kwargs), K.Conv1DTranspose(**kwargs), [rng.standard_normal((2, 6, 3))])


@pytest.mark.parametrize("name, kwargs", [
    ("Conv2D", {"filters": 4, "kernel_size": 3, "strides": 2, "padding": "same", "groups": 2}),
    ("Conv1D", {"filters": 4, "kernel_size": 3, "padding": "causal"}),
    ("Conv2DTranspose", {"filters": 4, "kernel_size": 3, "output_padding": 0}),
    ("DepthwiseConv2D", {"kernel_size": 3, "depth_multiplier": 2}),
    ("SeparableConv2D", {"filters": 4, "kernel_size": 3}),
])
def test_config_keys_are_keras_keys(name, kwargs):
    ours = getattr(G, name)(**kwargs).get_config()
    theirs = getattr(K, name)(**kwargs).get_config()
    # glassnet writes activity_regularizer only when one is set (as for every glassnet layer)
    assert set(ours) == set(theirs) - {"lora_rank", "lora_alpha", "activity_regularizer"}
    for key in ("kernel_size", "strides", "padding", "dilation_rate", "data_format"):
        assert tuple(np.atleast_1d(ours[key])) == tuple(np.atleast_1d(theirs[key]))
