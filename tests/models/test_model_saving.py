"""Model.save / save_weights / load_weights and models.load_model (the formats are glassnet.saving's)."""
import numpy as np

import glassnet as gn
from glassnet.layers import BatchNormalization, Concatenate, Dense, Input


def test_save_and_load_model_gives_the_same_predictions_and_training(tmp_path):
    a, b = Input((4,)), Input((3,))
    out = Dense(2, activation="softmax")(Concatenate()([Dense(5)(a), BatchNormalization()(Dense(5)(b))]))
    model = gn.Model([a, b], out)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    rng = np.random.default_rng(0)
    x = [rng.random((20, 4)).astype("float32"), rng.random((20, 3)).astype("float32")]
    y = rng.integers(0, 2, 20)
    model.fit(x, y, epochs=2, verbose=0)
    path = str(tmp_path / "model.glassnet")
    model.save(path)
    loaded = gn.models.load_model(path)
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
    assert loaded.optimizer.iterations == model.optimizer.iterations
    again = model.fit(x, y, epochs=1, shuffle=False, verbose=0).history
    assert loaded.fit(x, y, epochs=1, shuffle=False, verbose=0).history == again


def test_save_and_load_weights(tmp_path):
    def make():
        return gn.Sequential([Input((3,)), Dense(4, activation="relu"), Dense(1)])

    model, other = make(), make()
    path = str(tmp_path / "w.weights.npz")
    model.save_weights(path)
    other.load_weights(path)
    x = np.ones((2, 3), "float32")
    np.testing.assert_array_equal(other.predict(x, verbose=0), model.predict(x, verbose=0))
