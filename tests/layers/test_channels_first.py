"""data_format="channels_first" for the 1-D and 2-D spatial layers: gradient checks, equality with
channels-last on the transposed input, shapes, configs, a hand-worked example and bad input.

Every such layer computes channels-last in between (glassnet/layers/reshaping/channels.py), so
channels first must give exactly the channels-last result with the channel axis moved to axis 1,
with the same weights (Keras's weight shapes do not depend on data_format).
"""
import json

import numpy as np
import pytest

import glassnet as gn
from glassnet import Tensor, layers, ops
from glassnet.testing import layer_gradcheck

rng = np.random.default_rng(0)
F64 = {"dtype": "float64"}
CF = {"data_format": "channels_first"}

# (class name, arguments, channels-last input shape): every layer with a data_format argument
LAYERS = [
    ("Conv1D", {"filters": 3, "kernel_size": 2, "strides": 2, "padding": "same"}, (2, 5, 2)),
    ("Conv2D", {"filters": 4, "kernel_size": (2, 3), "groups": 2, "activation": "relu"}, (2, 4, 5, 2)),
    ("Conv1DTranspose", {"filters": 2, "kernel_size": 3, "strides": 2}, (2, 3, 3)),
    ("Conv2DTranspose", {"filters": 2, "kernel_size": 2, "strides": 2, "padding": "same"}, (1, 3, 2, 3)),
    ("DepthwiseConv1D", {"kernel_size": 2, "depth_multiplier": 2}, (2, 4, 3)),
    ("DepthwiseConv2D", {"kernel_size": 2, "padding": "same", "activation": "tanh"}, (1, 3, 4, 2)),
    ("SeparableConv1D", {"filters": 3, "kernel_size": 2}, (2, 4, 2)),
    ("SeparableConv2D", {"filters": 2, "kernel_size": 2, "depth_multiplier": 2}, (1, 3, 3, 2)),
    ("MaxPooling1D", {"pool_size": 2, "padding": "same"}, (2, 5, 2)),
    ("MaxPooling2D", {"pool_size": 2}, (1, 4, 4, 3)),
    ("AveragePooling1D", {"pool_size": 3, "strides": 1}, (2, 5, 2)),
    ("AveragePooling2D", {"pool_size": 2, "padding": "same"}, (1, 3, 5, 2)),
    ("GlobalMaxPooling1D", {"keepdims": True}, (2, 5, 3)),
    ("GlobalMaxPooling2D", {}, (2, 3, 4, 2)),
    ("GlobalAveragePooling1D", {}, (2, 5, 3)),
    ("GlobalAveragePooling2D", {"keepdims": True}, (2, 3, 4, 2)),
    ("Cropping2D", {"cropping": ((1, 0), (0, 2))}, (1, 4, 5, 2)),
    ("ZeroPadding1D", {"padding": (2, 1)}, (2, 3, 2)),
    ("ZeroPadding2D", {"padding": ((0, 1), (2, 1))}, (1, 3, 3, 2)),
    ("UpSampling2D", {"size": (2, 3)}, (1, 2, 3, 2)),
    ("UpSampling2D", {"size": 2, "interpolation": "bilinear"}, (1, 3, 2, 2)),
    ("SpatialDropout2D", {"rate": 0.4}, (2, 3, 3, 4)),
    ("SpatialDropout3D", {"rate": 0.4}, (1, 2, 2, 3, 3)),
]
# one per family for the gradient check (channels first, float64)
GRADCHECKED = ["Conv1D", "Conv2D", "Conv1DTranspose", "Conv2DTranspose", "DepthwiseConv1D", "DepthwiseConv2D",
               "SeparableConv1D", "SeparableConv2D", "MaxPooling1D", "MaxPooling2D", "AveragePooling1D",
               "AveragePooling2D", "GlobalMaxPooling1D", "GlobalMaxPooling2D", "GlobalAveragePooling1D",
               "GlobalAveragePooling2D", "Cropping2D", "ZeroPadding1D", "ZeroPadding2D", "UpSampling2D"]


def first(x):
    return np.moveaxis(x, -1, 1)


def distinct(*shape):
    """Shuffled values 0.1 apart: no ties inside a max pool's windows (the gradient is defined)."""
    return rng.permutation(int(np.prod(shape))).reshape(shape) * 0.1 - 1.0


@pytest.mark.parametrize("index", [i for i, (name, _, _) in enumerate(LAYERS) if name in GRADCHECKED])
def test_channels_first_gradcheck(index):
    name, kwargs, shape = LAYERS[index]
    layer = getattr(layers, name)(**kwargs, **CF, **F64)
    assert layer_gradcheck(layer, first(distinct(*shape)))


def test_spatial_dropout_channels_first_gradcheck_with_a_fixed_mask():
    layer = layers.SpatialDropout2D(0.5, seed=3, **CF, **F64)
    assert layer_gradcheck(layer, rng.standard_normal((2, 3, 2, 2)), training=True,
                           before_call=lambda: setattr(layer, "seed_generator", np.random.default_rng(3)))


@pytest.mark.parametrize("name, kwargs, shape", LAYERS, ids=[f"{n}-{i}" for i, (n, _, _) in enumerate(LAYERS)])
def test_channels_first_is_channels_last_with_the_channel_axis_moved(name, kwargs, shape):
    x = rng.standard_normal(shape)
    last = getattr(layers, name)(**kwargs, **F64)
    ours = getattr(layers, name)(**kwargs, **CF, **F64)
    y_last = last(x).numpy()
    ours.build(first(x).shape)
    ours.set_weights(last.get_weights())                  # the same weight shapes in both formats
    y = ours(first(x)).numpy()
    np.testing.assert_allclose(y, y_last if y_last.ndim == 2 else first(y_last), rtol=1e-12, atol=1e-12)
    assert tuple(ours.compute_output_shape(first(x).shape)) == y.shape
    config = json.loads(json.dumps(ours.get_config()))
    assert config["data_format"] == "channels_first"
    again = getattr(layers, name).from_config(config)
    again.build(first(x).shape)
    again.set_weights(ours.get_weights())
    np.testing.assert_allclose(again(first(x)).numpy(), y, rtol=1e-12)


def test_hand_worked_conv2d_channels_first():
    # two channels of a 2×2 image, channels first: x[0] = [[1, 2], [3, 4]], x[1] = [[0, 1], [1, 0]];
    # a 2×2 kernel of ones on channel 0 and twos on channel 1: y = (1 + 2 + 3 + 4)·1 + (0 + 1 + 1 + 0)·2 = 14
    x = np.array([[[[1.0, 2.0], [3.0, 4.0]], [[0.0, 1.0], [1.0, 0.0]]]])            # (1, C=2, 2, 2)
    conv = layers.Conv2D(1, 2, use_bias=False, **CF)
    conv.build(x.shape)
    conv.set_weights([np.stack([np.ones((2, 2)), 2 * np.ones((2, 2))], axis=-1)[..., None]])   # (2, 2, 2, 1)
    assert conv(x).shape == (1, 1, 1, 1) and conv(x).numpy().item() == 14.0
    # max pooling each channel's 2×2 keeps 4 and 1; the global average of each channel is 2.5 and 0.5
    np.testing.assert_array_equal(layers.MaxPooling2D(2, **CF)(x).numpy().ravel(), [4.0, 1.0])
    np.testing.assert_array_equal(layers.GlobalAveragePooling2D(**CF)(x).numpy(), [[2.5, 0.5]])


def test_spatial_dropout_channels_first_drops_whole_channels():
    y = layers.SpatialDropout2D(0.5, seed=1, **CF)(np.ones((4, 6, 3, 3), "float32"), training=True).numpy()
    per_map = y.reshape(4, 6, -1)
    assert np.all(per_map.min(axis=2) == per_map.max(axis=2))                  # one draw per (sample, channel)
    assert set(np.unique(per_map)) <= {0.0, 2.0}
    assert layers.SpatialDropout2D(0.5, **CF).noise_shape == (None, None, 1, 1)


def test_global_average_pooling1d_mask_channels_first():
    x = rng.standard_normal((2, 3, 4))                                           # (batch, features, steps)
    mask = np.array([[1, 0, 1, 1], [0, 0, 1, 0]], dtype=bool)
    y = layers.GlobalAveragePooling1D(**CF)(x, mask=mask).numpy()
    np.testing.assert_allclose(y[0], x[0][:, [0, 2, 3]].mean(axis=1))
    np.testing.assert_allclose(y[1], x[1][:, 2])
    assert layer_gradcheck(layers.GlobalAveragePooling1D(**CF, **F64), x, mask=mask)


def test_none_follows_image_data_format():
    gn.backend.set_image_data_format("channels_first")
    try:
        for name, kwargs, _ in LAYERS:
            assert getattr(layers, name)(**kwargs).data_format == "channels_first", name
        assert layers.Flatten().data_format == "channels_first"
    finally:
        gn.backend.set_image_data_format("channels_last")
    assert layers.Conv1D(2, 3).data_format == "channels_last"


def test_the_layers_without_data_format_in_keras_refuse_it():
    for make in (lambda: layers.Cropping1D(data_format="channels_first"),
                 lambda: layers.UpSampling1D(data_format="channels_first"),
                 lambda: layers.SpatialDropout1D(0.1, data_format="channels_first")):
        with pytest.raises(TypeError, match=r"unknown argument\(s\) \['data_format'\]"):
            make()


def test_wrong_channel_count_names_axis_1():
    conv = layers.Conv2D(2, 2, **CF)
    conv(np.zeros((1, 3, 4, 4), "float32"))
    with pytest.raises(ValueError, match=r"expected 3 input channels \(axis 1\), got shape \(1, 4, 4, 3\)"):
        conv(np.zeros((1, 4, 4, 3), "float32"))
    with pytest.raises(ValueError, match=r"pool\w*: pool_size \(3, 3\) does not fit .*\(channels first, the "
                                         r"input's shape is \(1, 2, 6, 2\)"):
        layers.MaxPooling2D(3, name="pool", **CF)(np.zeros((1, 2, 6, 2), "float32"))     # C = 2, H = 6, W = 2


def test_models_channels_first_match_channels_last():
    gn.utils.set_random_seed(0)
    x = rng.standard_normal((2, 6, 6, 2))

    def build(data_format):
        gn.utils.set_random_seed(0)
        options = {"data_format": data_format}
        return gn.Sequential([layers.Input((6, 6, 2) if data_format == "channels_last" else (2, 6, 6)),
                              layers.Conv2D(3, 3, padding="same", activation="relu", **options),
                              layers.BatchNormalization(axis=-1 if data_format == "channels_last" else 1),
                              layers.MaxPooling2D(2, **options), layers.UpSampling2D(**options),
                              layers.Flatten(**options), layers.Dense(2)])
    last, cf = build("channels_last"), build("channels_first")
    cf.set_weights(last.get_weights())
    np.testing.assert_allclose(cf.predict(first(x), verbose=0), last.predict(x, verbose=0), rtol=1e-5, atol=1e-6)


# --- ops.adaptive_*: the one implementation (glassnet/ops/adaptive_pooling.py) --------------------
def test_adaptive_ops_gradcheck_channels_first_and_tie_rule():
    from glassnet.testing import gradcheck
    x = rng.standard_normal((1, 2, 5, 7))
    assert gradcheck(lambda t: ops.adaptive_average_pool(t, (2, 3), data_format="channels_first"), [x])
    assert gradcheck(lambda t: ops.adaptive_max_pool(t, (3, 2), data_format="channels_first"), [x])
    # two equal maxima in a 2×2 cell: the gradient goes to the first in row-major order (PyTorch's rule)
    t = Tensor(np.array([[0.0, 5.0], [5.0, 2.0]]).reshape(1, 2, 2, 1), requires_grad=True)
    ops.adaptive_max_pool(t, 1).backward(np.ones((1, 1, 1, 1)))
    np.testing.assert_array_equal(t.grad.ravel(), [0, 1, 0, 0])


def test_adaptive_ops_refuse_bad_arguments():
    with pytest.raises(ValueError, match=r"adaptive_max_pool: output_size must be a positive int or 2"):
        ops.adaptive_max_pool(np.zeros((1, 4, 4, 1)), (2, 2, 2))
    with pytest.raises(ValueError, match=r"adaptive_average_pool: data_format must be"):
        ops.adaptive_average_pool(np.zeros((1, 4, 4, 1)), 2, data_format="NCHW")
