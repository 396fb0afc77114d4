"""SpatialDropout1D/2D: whole channels dropped in training, the identity at inference."""
import numpy as np
import pytest

import glassnet as gn
from glassnet import layers
from glassnet.testing import layer_gradcheck


@pytest.mark.parametrize("cls, shape", [(layers.SpatialDropout1D, (4, 5, 6)), (layers.SpatialDropout2D, (4, 3, 5, 6))])
def test_identity_at_inference(cls, shape):
    x = np.random.default_rng(0).standard_normal(shape).astype("float32")
    layer = cls(0.5)
    for training in (False, None):
        np.testing.assert_array_equal(layer(x, training=training).numpy(), x)


@pytest.mark.parametrize("cls, shape", [(layers.SpatialDropout1D, (40, 7, 50)),
                                        (layers.SpatialDropout2D, (40, 3, 4, 50))])
@pytest.mark.parametrize("rate", [0.25, 0.6])
def test_training_drops_whole_channels_and_scales_the_rest(cls, shape, rate):
    x = np.random.default_rng(1).uniform(1.0, 2.0, shape)                    # no zeros of its own
    y = cls(rate, seed=2, dtype="float64")(x, training=True).numpy()
    kept = (y != 0.0).reshape(shape[0], -1, shape[-1])                       # (batch, positions, channels)
    # each (sample, channel) is one draw: dropped at every position, or kept (and scaled) at every position
    np.testing.assert_array_equal(kept, np.broadcast_to(kept[:, :1], kept.shape))
    np.testing.assert_allclose(y, x * kept.reshape(shape) / (1.0 - rate), rtol=1e-15)
    dropped = 1.0 - np.mean(kept[:, 0])                                       # 2,000 draws
    assert abs(dropped - rate) < 0.04


def test_seeded_repeatability():
    x = np.ones((8, 3, 3, 10), "float32")
    a = layers.SpatialDropout2D(0.5, seed=7)(x, training=True).numpy()
    b = layers.SpatialDropout2D(0.5, seed=7)(x, training=True).numpy()
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, layers.SpatialDropout2D(0.5, seed=8)(x, training=True).numpy())
    gn.utils.set_random_seed(3)
    c = layers.SpatialDropout1D(0.5)(x[:, 0], training=True).numpy()
    gn.utils.set_random_seed(3)
    d = layers.SpatialDropout1D(0.5)(x[:, 0], training=True).numpy()
    np.testing.assert_array_equal(c, d)


@pytest.mark.parametrize("cls, shape", [(layers.SpatialDropout1D, (3, 4, 5)), (layers.SpatialDropout2D, (2, 3, 2, 4))])
def test_gradcheck_in_training(cls, shape):
    layer = cls(0.4, seed=5, dtype="float64")

    def reseed():                                                             # the same mask at every evaluation
        layer.seed_generator = np.random.default_rng(11)

    layer_gradcheck(layer, np.random.default_rng(1).standard_normal(shape), training=True, before_call=reseed)
    layer_gradcheck(layer, np.random.default_rng(2).standard_normal(shape), training=False)


def test_config_round_trip_and_keras_keys():
    layer = layers.SpatialDropout2D(0.3, seed=4, name="drop")
    config = layer.get_config()
    assert config == {"name": "drop", "dtype": "float32", "rate": 0.3, "seed": 4, "data_format": "channels_last"}
    copy = layers.deserialize(layers.serialize(layer))
    assert type(copy) is layers.SpatialDropout2D and copy.get_config() == config
    assert set(layers.SpatialDropout1D(0.1).get_config()) == {"name", "dtype", "rate", "seed"}
    x = np.ones((4, 2, 2, 6), "float32")
    np.testing.assert_array_equal(copy(x, training=True).numpy(), layers.SpatialDropout2D(0.3, seed=4)(x, training=True).numpy())


@pytest.mark.parametrize("make, shape, message", [
    (lambda: layers.SpatialDropout2D(0.5), (2, 3, 4), r"expected a 4-D input \(batch, height, width, channels\), got "
                                                      r"shape \(2, 3, 4\)"),
    (lambda: layers.SpatialDropout1D(0.5), (2, 3, 4, 5), r"expected a 3-D input \(batch, steps, channels\), got shape "
                                                         r"\(2, 3, 4, 5\)"),
])
def test_wrong_rank_is_refused_in_training_and_at_inference(make, shape, message):
    layer = make()
    for training in (False, True):
        with pytest.raises(ValueError, match=layer.name + ": " + message):
            layer(np.zeros(shape, "float32"), training=training)
    assert not layer.built
    with pytest.raises(ValueError, match=message):
        layer.compute_output_shape(shape)


@pytest.mark.parametrize("make, message", [
    (lambda: layers.SpatialDropout1D(1.0), r"rate must be a number in \[0, 1\)"),
    (lambda: layers.SpatialDropout2D(-0.1), r"rate must be a number in \[0, 1\)"),
    (lambda: layers.SpatialDropout2D(0.1, seed=-1), r"seed must be None or a non-negative int"),
    (lambda: layers.SpatialDropout2D(0.1, data_format="NCHW"), r"SpatialDropout2D: data_format must be one of"),
])
def test_bad_arguments(make, message):
    with pytest.raises(ValueError, match=message):
        make()
