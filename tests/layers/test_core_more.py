"""Wrapper, Identity, EinsumDense, ReversibleEmbedding, Pipeline: hand-worked values, float64
gradient checks, config round trips and bad input."""
import json

import numpy as np
import pytest

import glassnet as gn
from glassnet import layers
from glassnet.layers.core.einsum_dense import analyze_einsum
from glassnet.testing import layer_gradcheck


def data(*shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape)


def round_trip(layer):
    copy = layers.deserialize(json.loads(json.dumps(layers.serialize(layer))))
    assert type(copy) is type(layer) and copy.get_config() == layer.get_config()
    return copy


# --- Wrapper ------------------------------------------------------------------------------
class Doubled(layers.Wrapper):
    """A Wrapper subclass for the tests: y = 2·layer(x)."""

    def call(self, inputs, training=None):
        return self.layer(inputs) * 2.0


def test_wrapper_holds_builds_and_serializes_its_layer():
    wrapper = layers.Wrapper(layers.Dense(3, name="inner"))
    y = wrapper(np.ones((2, 4)))
    assert y.shape == (2, 3) and wrapper.layer.built and [w.name for w in wrapper.weights] == ["kernel", "bias"]
    config = json.loads(json.dumps(wrapper.get_config()))
    assert config["layer"]["class_name"] == "Dense" and config["layer"]["config"]["name"] == "inner"
    copy = layers.Wrapper.from_config(config)
    assert isinstance(copy.layer, layers.Dense) and copy.layer.units == 3
    assert wrapper.compute_output_shape((None, 4)) == (None, 3)


def test_wrapper_subclass_gradcheck_and_bad_layer():
    layer_gradcheck(Doubled(layers.Dense(2, dtype="float64"), dtype="float64"), data(3, 4))
    layer_gradcheck(layers.Wrapper(layers.Dense(2, dtype="float64"), dtype="float64"), data(3, 4))
    with pytest.raises(ValueError, match="Wrapper: layer must be a Layer instance"):
        layers.Wrapper(lambda x: x)


# --- Identity -----------------------------------------------------------------------------
def test_identity_returns_the_input_and_its_mask():
    x = np.array([[1, 0, 2]])
    embedded = layers.Embedding(4, 2, mask_zero=True)(x)
    y = layers.Identity()(embedded)
    np.testing.assert_array_equal(y.numpy(), embedded.numpy())
    np.testing.assert_array_equal(y._keras_mask, [[True, False, True]])
    layer_gradcheck(layers.Identity(dtype="float64"), data(2, 3))
    round_trip(layers.Identity(name="skip"))
    inputs = gn.layers.Input((3,))
    assert layers.Identity()(inputs).shape == (None, 3)


def test_the_name_identity_resolves_to_the_layer():
    # glassnet.convert's passthrough operator, also a Layer, was once called Identity too
    import glassnet.convert  # noqa: F401  (load_model imports it too)
    assert type(layers.deserialize(layers.serialize(layers.Identity()))) is layers.Identity


# --- EinsumDense --------------------------------------------------------------------------
@pytest.mark.parametrize("equation,output_shape,bias_axes,input_shape,kernel,bias,full", [
    ("ab,bc->ac", 4, "c", (None, 3), [3, 4], [4], [None, 4]),
    ("abc,cd->abd", (5, 4), "d", (None, 5, 3), [3, 4], [4], [None, 5, 4]),
    ("abc,cde->abde", (5, 2, 4), "de", (None, 5, 3), [3, 2, 4], [2, 4], [None, 5, 2, 4]),
    ("abc,cde->abde", (5, 2, 4), "d", (None, 5, 3), [3, 2, 4], [2, 1], [None, 5, 2, 4]),
    ("...b,bc->...c", 4, "c", (None, 7, 3), [3, 4], [4], [None, 7, 4]),
    ("ab...,bc->ac...", 4, "c", (None, 3, 7), [3, 4], [4, 1], [None, 4, 7]),
    ("abcd,cde->abe", (5, 6), None, (None, 5, 2, 3), [2, 3, 6], None, [None, 5, 6]),
])
def test_einsum_shapes_follow_keras_rules(equation, output_shape, bias_axes, input_shape, kernel, bias, full):
    k, b, f, _, _ = analyze_einsum(equation, bias_axes, input_shape, (output_shape,) if isinstance(output_shape, int)
                                   else output_shape)
    assert (k, b, f) == (kernel, bias, full)


def test_einsum_dense_is_dense_by_hand():
    # "ab,bc->ac" with W = [[1, 2], [3, 4]], b = [0.5, -0.5]: x = [1, 1] → [4.5, 5.5]
    layer = layers.EinsumDense("ab,bc->ac", 2, bias_axes="c", dtype="float64")
    layer.build((None, 2))
    layer.set_weights([np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([0.5, -0.5])])
    np.testing.assert_allclose(layer(np.array([[1.0, 1.0]])).numpy(), [[4.5, 5.5]])


@pytest.mark.parametrize("equation,output_shape,bias_axes,shape", [
    ("abc,cde->abde", (4, 2, 3), "de", (2, 4, 5)),
    ("...b,bc->...c", 3, "c", (2, 4, 5)),
    ("ab...,bc->ac...", 3, "c", (2, 5, 4)),
])
def test_einsum_dense_gradcheck(equation, output_shape, bias_axes, shape):
    layer = layers.EinsumDense(equation, output_shape, bias_axes=bias_axes, activation="tanh",
                               bias_initializer="random_normal", dtype="float64")
    layer_gradcheck(layer, data(*shape, seed=5))


def test_einsum_dense_initializer_uses_the_einsum_fans():
    # kernel (c=64, d=4, e=16): fan_in = 64, fan_out = 4·16 = 64 → glorot limit √(6/128)
    gn.utils.set_random_seed(0)
    layer = layers.EinsumDense("abc,cde->abde", (3, 4, 16))
    layer.build((None, 3, 64))
    limit = np.sqrt(6 / (64 + 64))
    assert np.abs(layer.kernel.numpy()).max() <= limit and np.abs(layer.kernel.numpy()).max() > 0.9 * limit


def test_einsum_dense_config_and_bad_input():
    layer = layers.EinsumDense("abc,cd->abd", (None, 4), bias_axes="d", activation="relu", kernel_regularizer="l2")
    config = round_trip(layer).get_config()
    assert config["output_shape"] == [None, 4] and config["equation"] == "abc,cd->abd"
    assert layer.compute_output_shape((2, 7, 3)) == (2, None, 4)
    with pytest.raises(ValueError, match="invalid equation"):
        layers.EinsumDense("ab->b", 2)
    with pytest.raises(ValueError, match="bias_axes"):
        layers.EinsumDense("ab,bc->ac", 2, bias_axes="z").build((None, 3))
    with pytest.raises(ValueError, match="in neither the input"):
        layers.EinsumDense("ab,bz->ac", 2).build((None, 3))
    with pytest.raises(ValueError, match="has size 3 in the input and 4"):
        layers.EinsumDense("abc,cd->abd", (4, 2)).build((None, 3, 5))
    with pytest.raises(ValueError, match="lora_rank"):
        layers.EinsumDense("ab,bc->ac", 2, lora_rank=4)
    with pytest.raises(ValueError, match="output_shape"):
        layers.EinsumDense("ab,bc->ac", "2")


# --- ReversibleEmbedding ------------------------------------------------------------------
def test_reversible_embedding_tied_by_hand():
    # E = [[1, 0], [0, 1], [1, 1]]: forward id 2 → [1, 1]; reverse h = [2, 3] → h·Eᵀ = [2, 3, 5]
    layer = layers.ReversibleEmbedding(3, 2, dtype="float64")
    layer.build((None,))
    layer.set_weights([np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])])
    np.testing.assert_allclose(layer(np.array([2])).numpy(), [[1.0, 1.0]])
    np.testing.assert_allclose(layer(np.array([[2.0, 3.0]]), reverse=True).numpy(), [[2.0, 3.0, 5.0]])
    capped = layers.ReversibleEmbedding(3, 2, logit_soft_cap=2.0, dtype="float64")
    capped.build((None,))
    capped.set_weights(layer.get_weights())
    np.testing.assert_allclose(capped(np.array([[2.0, 3.0]]), reverse=True).numpy(),
                               [2 * np.tanh(np.array([1.0, 1.5, 2.5]))], rtol=1e-12)


def test_reversible_embedding_untied_weights_mask_and_shapes():
    layer = layers.ReversibleEmbedding(6, 4, tie_weights=False, mask_zero=True)
    ids = np.array([[3, 0, 1]])
    h = layer(ids)
    np.testing.assert_array_equal(h._keras_mask, [[True, False, True]])
    logits = layer(h, reverse=True)
    assert logits.shape == (1, 3, 6) and logits._keras_mask is None
    assert [w.name for w in layer.weights] == ["embeddings", "reverse_embeddings"]
    assert layer.reverse_embeddings.shape == (4, 6)
    inputs = gn.layers.Input((5,), dtype="int32")
    hidden = layer(inputs)
    assert hidden.shape == (None, 5, 4) and layer(hidden, reverse=True).shape == (None, 5, 6)


@pytest.mark.parametrize("tie_weights,cap", [(True, None), (False, 3.0)])
def test_reversible_embedding_gradcheck(tie_weights, cap):
    layer = layers.ReversibleEmbedding(5, 3, tie_weights=tie_weights, logit_soft_cap=cap,
                                       embeddings_initializer="random_normal", dtype="float64")
    layer_gradcheck(layer, data(2, 4, 3, seed=6), reverse=True)
    layer_gradcheck(layer, np.array([[1, 4, 0]]))


def test_reversible_embedding_config_and_bad_input():
    copy = round_trip(layers.ReversibleEmbedding(7, 3, tie_weights=False, reverse_dtype="float32",
                                                 logit_soft_cap=30.0, mask_zero=True))
    assert copy.tie_weights is False and copy.reverse_dtype == "float32" and copy.logit_soft_cap == 30.0
    with pytest.raises(ValueError, match="logit_soft_cap"):
        layers.ReversibleEmbedding(7, 3, logit_soft_cap=0)
    with pytest.raises(ValueError, match="reverse_dtype"):
        layers.ReversibleEmbedding(7, 3, reverse_dtype="int8")
    with pytest.raises(ValueError, match=r"\(\.\.\., 3\)"):
        layers.ReversibleEmbedding(7, 3)(np.ones((2, 4)), reverse=True)
    with pytest.raises(ValueError, match="input_dim"):
        layers.ReversibleEmbedding(0, 3)


# --- Pipeline -----------------------------------------------------------------------------
def test_pipeline_applies_its_layers_in_order():
    pipeline = layers.Pipeline([layers.Rescaling(2.0), layers.Lambda(lambda x: x + 1.0)])
    np.testing.assert_allclose(pipeline(np.array([[1.0, 2.0]])).numpy(), [[3.0, 5.0]])   # 2x, then + 1
    reverse = layers.Pipeline([layers.Lambda(lambda x: x + 1.0), layers.Rescaling(2.0)])
    np.testing.assert_allclose(reverse(np.array([[1.0, 2.0]])).numpy(), [[4.0, 6.0]])   # + 1, then 2x


def test_pipeline_trains_by_default_and_carries_masks():
    drop = layers.Pipeline([layers.Dropout(0.5, seed=1)])
    assert (drop(np.ones((4, 50))).numpy() == 0).any()                  # no training argument: training
    np.testing.assert_array_equal(drop(np.ones((4, 50)), training=False).numpy(), 1.0)
    masked = layers.Pipeline([layers.Embedding(4, 2, mask_zero=True), layers.Identity()])
    np.testing.assert_array_equal(masked(np.array([[1, 0, 2]]))._keras_mask, [[True, False, True]])


def test_pipeline_gradcheck_weights_and_config(monkeypatch):
    monkeypatch.setattr(gn.backend, "_FLOATX", "float64")          # Pipeline(layers, name) has no dtype
    pipeline = layers.Pipeline([layers.Dense(3, activation="tanh"), layers.Dense(2)])
    layer_gradcheck(pipeline, data(4, 5, seed=7))
    assert [w.name for w in pipeline.weights] == ["kernel", "bias", "kernel", "bias"]
    assert len(pipeline.layers) == 2
    config = json.loads(json.dumps(pipeline.get_config()))
    assert set(config) == {"layers", "name"}                              # Keras's keys
    copy = layers.Pipeline.from_config(config)
    assert [type(layer).__name__ for layer in copy.layers] == ["Dense", "Dense"]
    with pytest.raises(ValueError, match="list of Layer instances"):
        layers.Pipeline(layers.Dense(2))
    with pytest.raises(ValueError, match="'layers'"):
        layers.Pipeline.from_config({"name": "p"})


def test_core_layers_save_and_load_in_a_glassnet_file(tmp_path):
    ids = layers.Input((5,), dtype="int32")
    embedding = layers.ReversibleEmbedding(9, 4, tie_weights=False, logit_soft_cap=5.0)
    h = layers.EinsumDense("abc,cde->abde", (5, 2, 2), bias_axes="de")(embedding(ids))
    h = layers.Pipeline([layers.Reshape((5, 4)), layers.Identity()])(h)
    h = layers.Wrapper(layers.EinsumDense("...b,bc->...c", 4, bias_axes="c", activation="tanh"))(h)
    model = gn.Model(ids, embedding(h, reverse=True))
    x = np.random.default_rng(0).integers(0, 9, (3, 5)).astype("int32")
    model.save(tmp_path / "m.glassnet")
    loaded = gn.saving.load_model(tmp_path / "m.glassnet")
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
    assert loaded.predict(x, verbose=0).shape == (3, 5, 9)
