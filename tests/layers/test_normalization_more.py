"""GroupNormalization, RMSNormalization, UnitNormalization, SpectralNormalization: hand-worked
values, float64 gradient checks, config round trips and bad input."""
import json

import numpy as np
import pytest

from glassnet import layers
from glassnet.testing import layer_gradcheck


def data(*shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape)


def round_trip(layer):
    """serialize → JSON → deserialize; the copy's config equals the original's."""
    copy = layers.deserialize(json.loads(json.dumps(layers.serialize(layer))))
    assert type(copy) is type(layer) and copy.get_config() == layer.get_config()
    return copy


def randomize(layer, seed=0):
    rng = np.random.default_rng(seed)
    layer.set_weights([1 + 0.3 * rng.standard_normal(w.shape) for w in layer.weights])


# --- GroupNormalization -----------------------------------------------------------------
def test_group_normalization_by_hand():
    # one sample, 4 channels in 2 groups: [1, 3 | 10, 30] → means 2, 20; biased variances 1, 100
    x = np.array([[1.0, 3.0, 10.0, 30.0]])
    y = layers.GroupNormalization(groups=2, epsilon=0.0, dtype="float64")(x).numpy()
    np.testing.assert_allclose(y, [[-1.0, 1.0, -1.0, 1.0]], rtol=1e-12)


def test_group_normalization_statistics_span_the_other_axes():
    x = data(2, 3, 5, 6)
    y = layers.GroupNormalization(groups=3, dtype="float64")(x).numpy()
    g = x.reshape(2, 3, 5, 3, 2)
    expected = (g - g.mean(axis=(1, 2, 4), keepdims=True)) / np.sqrt(g.var(axis=(1, 2, 4), keepdims=True) + 1e-3)
    np.testing.assert_allclose(y, expected.reshape(x.shape), rtol=1e-10)


def test_group_normalization_one_group_is_layer_normalization_and_minus_one_is_instance_norm():
    x = data(4, 6)
    ln = layers.LayerNormalization(dtype="float64")(x).numpy()
    np.testing.assert_allclose(layers.GroupNormalization(groups=1, dtype="float64")(x).numpy(), ln, rtol=1e-10)
    inst = layers.GroupNormalization(groups=-1, dtype="float64")
    x3 = data(2, 5, 3)
    y = inst(x3).numpy()
    assert inst.groups == 3
    np.testing.assert_allclose(y, (x3 - x3.mean(1, keepdims=True)) / np.sqrt(x3.var(1, keepdims=True) + 1e-3),
                               rtol=1e-10)


@pytest.mark.parametrize("axis,shape", [(-1, (2, 3, 4)), (1, (2, 4, 3))])
def test_group_normalization_gradcheck(axis, shape):
    layer = layers.GroupNormalization(groups=2, axis=axis, dtype="float64")
    layer.build(shape)
    randomize(layer)
    layer_gradcheck(layer, data(*shape, seed=1))


def test_group_normalization_config_and_bad_input():
    layer = layers.GroupNormalization(groups=2, axis=1, epsilon=1e-2, center=False, gamma_regularizer="l2")
    round_trip(layer)
    with pytest.raises(ValueError, match="groups must be a positive int"):
        layers.GroupNormalization(groups=0)
    with pytest.raises(ValueError, match="axis must be an int"):
        layers.GroupNormalization(axis=[1, 2])
    with pytest.raises(ValueError, match="must divide the 5 channels"):
        layers.GroupNormalization(groups=2)(np.ones((2, 5)))
    with pytest.raises(ValueError, match="non-batch axis"):
        layers.GroupNormalization(groups=1, axis=0)(np.ones((2, 5)))


# --- RMSNormalization -------------------------------------------------------------------
def test_rms_normalization_by_hand():
    # x = [3, 4]: mean(x²) = 12.5, √12.5 = 3.5355…; y = x/3.5355 · scale
    layer = layers.RMSNormalization(epsilon=0.0, dtype="float64")
    y = layer(np.array([[3.0, 4.0]])).numpy()
    np.testing.assert_allclose(y, [[3 / np.sqrt(12.5), 4 / np.sqrt(12.5)]], rtol=1e-12)
    layer.set_weights([np.array([2.0, -1.0])])
    np.testing.assert_allclose(layer(np.array([[3.0, 4.0]])).numpy(), [[6 / np.sqrt(12.5), -4 / np.sqrt(12.5)]],
                               rtol=1e-12)


@pytest.mark.parametrize("axis", [-1, [1, 2], 1])
def test_rms_normalization_gradcheck(axis):
    layer = layers.RMSNormalization(axis=axis, dtype="float64")
    layer.build((2, 3, 4))
    randomize(layer)
    layer_gradcheck(layer, data(2, 3, 4, seed=2))


def test_rms_normalization_over_a_middle_axis():
    x = data(2, 3, 4)
    layer = layers.RMSNormalization(axis=1, dtype="float64")
    layer.build(x.shape)
    layer.set_weights([np.array([1.0, 2.0, 3.0])])
    expected = x / np.sqrt((x ** 2).mean(axis=1, keepdims=True) + 1e-6) * np.array([1.0, 2.0, 3.0])[:, None]
    np.testing.assert_allclose(layer(x).numpy(), expected, rtol=1e-12)


def test_rms_normalization_config_and_bad_input():
    assert round_trip(layers.RMSNormalization(axis=[1, 2], epsilon=1e-5)).axis == [1, 2]
    with pytest.raises(ValueError, match="axis"):
        layers.RMSNormalization(axis="last")
    with pytest.raises(ValueError, match="epsilon"):
        layers.RMSNormalization(epsilon=-1.0)
    with pytest.raises(ValueError, match="out of range|axis"):
        layers.RMSNormalization(axis=3)(np.ones((2, 3)))


# --- UnitNormalization ------------------------------------------------------------------
def test_unit_normalization_by_hand_and_zero_vector():
    y = layers.UnitNormalization(dtype="float64")(np.array([[3.0, 4.0], [0.0, 0.0]])).numpy()
    np.testing.assert_allclose(y, [[0.6, 0.8], [0.0, 0.0]], rtol=1e-12)   # ‖(3, 4)‖ = 5; 0 stays 0


@pytest.mark.parametrize("axis", [-1, [1, 2]])
def test_unit_normalization_gradcheck(axis):
    layer_gradcheck(layers.UnitNormalization(axis=axis, dtype="float64"), data(2, 3, 4, seed=3))


def test_unit_normalization_config_and_bad_input():
    round_trip(layers.UnitNormalization(axis=[1, 2]))
    with pytest.raises(ValueError, match="axis"):
        layers.UnitNormalization(axis=1.5)
    with pytest.raises(ValueError, match="axis"):
        layers.UnitNormalization(axis=4)(np.ones((2, 3)))


# --- SpectralNormalization --------------------------------------------------------------
def test_spectral_normalization_power_iteration_by_hand():
    # W = diag(3, 1): σ = 3. With u = (1, 0): v = unit(u·Wᵀ) = (1, 0), u = unit(v·W) = (1, 0),
    # σ = v·W·uᵀ = 3, so W ← W/3 = diag(1, 1/3) and the output is x·W/3.
    sn = layers.SpectralNormalization(layers.Dense(2, use_bias=False, dtype="float64"), dtype="float64")
    sn.build((1, 2))
    sn.set_weights([np.diag([3.0, 1.0]), np.array([[1.0, 0.0]])])   # kernel, vector_u (Keras's order)
    x = np.array([[1.0, 1.0]])
    np.testing.assert_allclose(sn(x, training=False).numpy(), [[3.0, 1.0]])   # inference: W as stored
    np.testing.assert_allclose(sn(x, training=True).numpy(), [[1.0, 1 / 3]], rtol=1e-12)
    np.testing.assert_allclose(sn.layer.kernel.numpy(), np.diag([1.0, 1 / 3]), rtol=1e-12)   # W was rescaled
    np.testing.assert_allclose(sn.vector_u.numpy(), [[1.0, 0.0]], atol=1e-12)


def test_spectral_normalization_converges_to_unit_spectral_norm():
    sn = layers.SpectralNormalization(layers.Dense(4, dtype="float64"), power_iterations=3, dtype="float64")
    sn(data(2, 5), training=False)
    for _ in range(20):
        sn(data(2, 5), training=True)
    assert abs(np.linalg.norm(sn.layer.kernel.numpy(), 2) - 1.0) < 1e-6


def test_spectral_normalization_leaves_a_zero_kernel_and_wraps_embeddings():
    sn = layers.SpectralNormalization(layers.Dense(2, kernel_initializer="zeros", dtype="float64"), dtype="float64")
    sn(np.ones((1, 3)), training=True)
    assert not sn.layer.kernel.numpy().any()
    emb = layers.SpectralNormalization(layers.Embedding(5, 3))
    emb(np.array([[1, 2]]), training=True)
    assert emb.vector_u.shape == (1, 3)


def test_spectral_normalization_gradcheck_at_inference():
    sn = layers.SpectralNormalization(layers.Dense(3, activation="tanh", dtype="float64"), dtype="float64")
    layer_gradcheck(sn, data(4, 5, seed=4), training=False)


def test_spectral_normalization_weights_config_and_bad_input():
    sn = layers.SpectralNormalization(layers.Conv2D(2, 3), power_iterations=2)
    sn.build((1, 5, 5, 1))
    assert [w.name for w in sn.weights] == ["kernel", "vector_u", "bias"]
    assert [w.name for w in sn.trainable_weights] == ["kernel", "bias"]
    assert sn.vector_u.shape == (1, 2)
    copy = round_trip(sn)
    assert copy.power_iterations == 2 and isinstance(copy.layer, layers.Conv2D)
    with pytest.raises(ValueError, match="power_iterations"):
        layers.SpectralNormalization(layers.Dense(2), power_iterations=0)
    with pytest.raises(ValueError, match="layer must be a Layer"):
        layers.SpectralNormalization("dense")
    with pytest.raises(ValueError, match="no 'kernel' nor 'embeddings'"):
        layers.SpectralNormalization(layers.LayerNormalization()).build((2, 3))


def test_normalization_layers_save_and_load_in_a_glassnet_file(tmp_path):
    import glassnet as gn
    model = gn.Sequential([layers.Input((6, 4)), layers.GroupNormalization(2), layers.RMSNormalization(),
                           layers.UnitNormalization(axis=[1, 2]), layers.SpectralNormalization(layers.Dense(3))])
    model.compile(optimizer="sgd", loss="mse")
    model.fit(data(8, 6, 4).astype("float32"), data(8, 6, 3).astype("float32"), epochs=1, batch_size=4, verbose=0)
    x = data(2, 6, 4, seed=9).astype("float32")
    model.save(tmp_path / "m.glassnet")
    loaded = gn.saving.load_model(tmp_path / "m.glassnet")
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
    np.testing.assert_array_equal(loaded.layers[-1].vector_u.numpy(), model.layers[-1].vector_u.numpy())
