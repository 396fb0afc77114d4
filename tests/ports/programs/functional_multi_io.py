"""A functional model with several inputs and outputs (keras.io, "The Functional API",
ticket ranking): title and body text through Embedding + LSTM, tags as a vector, one
concatenated representation, a "priority" and a "department" output trained with a dict of
losses and loss weights, data passed as dicts by input and output name."""
import numpy as np

import glassnet as keras
from glassnet import layers

NUM_TAGS = 12
NUM_WORDS = 50
NUM_DEPARTMENTS = 4


def make_data(n=320, seed=0):
    rng = np.random.default_rng(seed)
    title_data = rng.integers(0, NUM_WORDS, size=(n, 6))
    body_data = rng.integers(0, NUM_WORDS, size=(n, 10))
    tags_data = rng.integers(0, 2, size=(n, NUM_TAGS)).astype("float32")
    priority_targets = (tags_data[:, :3].sum(axis=1, keepdims=True) >= 2).astype("float32")
    departments = tags_data[:, 3:5] @ np.array([1, 2])            # 0 … 3, from two tags
    dept_targets = np.eye(NUM_DEPARTMENTS, dtype="float32")[departments.astype(int)]
    return title_data, body_data, tags_data, priority_targets, dept_targets


def build_model():
    title_input = keras.Input(shape=(None,), name="title")
    body_input = keras.Input(shape=(None,), name="body")
    tags_input = keras.Input(shape=(NUM_TAGS,), name="tags")
    title_features = layers.Embedding(NUM_WORDS, 16)(title_input)
    body_features = layers.Embedding(NUM_WORDS, 16)(body_input)
    title_features = layers.LSTM(16)(title_features)
    body_features = layers.LSTM(8)(body_features)
    x = layers.concatenate([title_features, body_features, tags_input])
    priority_pred = layers.Dense(1, name="priority")(x)
    department_pred = layers.Dense(NUM_DEPARTMENTS, name="department")(x)
    return keras.Model(inputs=[title_input, body_input, tags_input],
                       outputs={"priority": priority_pred, "department": department_pred})


def main():
    keras.utils.set_random_seed(0)
    title_data, body_data, tags_data, priority_targets, dept_targets = make_data()
    model = build_model()
    model.compile(
        optimizer=keras.optimizers.RMSprop(1e-2),
        loss={"priority": keras.losses.BinaryCrossentropy(from_logits=True),
              "department": keras.losses.CategoricalCrossentropy(from_logits=True)},
        loss_weights={"priority": 1.0, "department": 0.2},
    )
    history = model.fit({"title": title_data, "body": body_data, "tags": tags_data},
                        {"priority": priority_targets, "department": dept_targets}, epochs=10, batch_size=32,
                        verbose=0)
    predictions = model.predict({"title": title_data, "body": body_data, "tags": tags_data}, verbose=0)
    priority_accuracy = float(np.mean((predictions["priority"] > 0) == (priority_targets > 0.5)))
    department_accuracy = float(np.mean(predictions["department"].argmax(-1) == dept_targets.argmax(-1)))
    return {"loss": history.history["loss"], "priority_accuracy": priority_accuracy,
            "department_accuracy": department_accuracy, "chance": {"priority": 0.5, "department": 0.25},
            "shapes": {k: v.shape for k, v in predictions.items()}}
