"""glassnet → .keras → glassnet, for what Keras cannot check here: TextVectorization (Keras's
needs TensorFlow), glassnet-only layers (written with a warning), registered custom layers."""
import warnings

import numpy as np
import pytest

pytest.importorskip("h5py")

import glassnet as gn  # noqa: E402
from glassnet import layers as L  # noqa: E402
from glassnet.saving import load_model, register_serializable  # noqa: E402

from .helpers import members  # noqa: E402


def test_text_vectorization_vocabulary_travels_in_the_config(tmp_path):
    vectorize = L.TextVectorization(max_tokens=12, output_sequence_length=5)
    vectorize.adapt(np.array(["the cat sat", "the dog ran far", "a cat ran"]))
    model = gn.models.Sequential([L.Input((1,), dtype="string"), vectorize, L.Embedding(12, 3),
                                  L.GlobalAveragePooling1D(), L.Dense(2)])
    text = np.array([["the cat ran"], ["a dog sat far away"]])
    model.save(tmp_path / "t.keras")
    again = load_model(tmp_path / "t.keras")
    assert again.layers[0].get_vocabulary() == vectorize.get_vocabulary()
    np.testing.assert_array_equal(again.predict(text, verbose=0), model.predict(text, verbose=0))


def test_glassnet_only_layers_warn_and_read_back(tmp_path):
    from glassnet.layers.transformer import TokenAndPositionEmbedding, TransformerEncoderLayer

    model = gn.models.Sequential([L.Input((4,), dtype="int32"), TokenAndPositionEmbedding(10, 4, 6),
                                  TransformerEncoderLayer(intermediate_dim=8, num_heads=2),
                                  L.GlobalAveragePooling1D()])
    x = np.array([[1, 2, 3, 4], [5, 6, 7, 0]], dtype="int32")
    with pytest.warns(UserWarning, match="Keras 3 cannot rebuild .*TokenAndPositionEmbedding, TransformerEncoderLayer"):
        model.save(tmp_path / "t.keras")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        again = load_model(tmp_path / "t.keras")
    np.testing.assert_array_equal(again.predict(x, verbose=0), model.predict(x, verbose=0))


def test_registered_custom_layer(tmp_path):
    @register_serializable(package="InteropTest")
    class Scale(L.Layer):
        def __init__(self, factor=2.0, **kwargs):
            super().__init__(**kwargs)
            self.factor = factor

        def build(self, input_shape):
            self.w = self.add_weight(shape=(input_shape[-1],), initializer="ones", name="w")

        def call(self, x):
            return x * self.w * self.factor

        def get_config(self):
            return {**super().get_config(), "factor": self.factor}

    model = gn.models.Sequential([L.Input((3,)), L.Dense(3), Scale(3.0)])
    model.layers[1].w.assign(np.array([1.0, 2.0, 3.0], dtype="float32"))
    model.save(tmp_path / "c.keras")
    import json
    entry = json.loads(members(tmp_path / "c.keras")["config.json"])["config"]["layers"][2]
    assert (entry["class_name"], entry["registered_name"]) == ("Scale", "InteropTest>Scale")   # Keras's layout
    x = np.ones((2, 3), dtype="float32")
    np.testing.assert_array_equal(load_model(tmp_path / "c.keras").predict(x, verbose=0), model.predict(x, verbose=0))


def test_unbuilt_model_overwrite_and_suffixes(tmp_path):
    from glassnet.interop import load_keras_model, save_keras_model

    unbuilt = gn.models.Sequential([L.Dense(2)])
    with pytest.raises(ValueError, match="has no weights yet; build it first"):
        unbuilt.save(tmp_path / "u.keras")
    with pytest.raises(ValueError, match="has no weights yet"):
        unbuilt.save_weights(tmp_path / "u.weights.h5")
    model = gn.models.Sequential([L.Input((2,)), L.Dense(2)])
    model.save(tmp_path / "m.keras")
    with pytest.raises(FileExistsError, match="overwrite=False"):
        gn.saving.save_model(model, tmp_path / "m.keras", overwrite=False)
    with pytest.raises(ValueError, match=r"must end in '\.keras'"):
        save_keras_model(model, tmp_path / "m.h5")
    with pytest.raises(ValueError, match=r"must end in '\.keras'"):
        load_keras_model(tmp_path / "m.glassnet")
    with pytest.raises(FileNotFoundError, match="no model file at"):
        load_model(tmp_path / "absent.keras")
    model.save(tmp_path / "m.glassnet")                      # glassnet's own format is unchanged
    assert type(load_model(tmp_path / "m.glassnet")).__name__ == "Sequential"


def test_registered_subclassed_model(tmp_path):
    @register_serializable(package="InteropTest")
    class TwoDense(gn.models.Model):
        def __init__(self, units=4, **kwargs):
            super().__init__(**kwargs)
            self.units = units
            self.hidden = L.Dense(units, activation="relu")
            self.head = L.Dense(2)

        def call(self, x):
            return self.head(self.hidden(x))

        def get_config(self):
            return {**super().get_config(), "units": self.units}

    model = TwoDense(5)
    x = np.random.default_rng(0).normal(size=(3, 4)).astype("float32")
    expected = model.predict(x, verbose=0)
    model.save(tmp_path / "s.keras")
    again = load_model(tmp_path / "s.keras")
    assert type(again).__name__ == "TwoDense" and again.units == 5
    np.testing.assert_array_equal(again.predict(x, verbose=0), expected)
