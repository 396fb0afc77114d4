"""``glassnet demo``: a multilayer perceptron on scikit-learn's handwritten digits.

The digits are 1,797 images of 8×8 pixels (values 0–16), bundled with scikit-learn, so
nothing is downloaded. The demo scales them to [0, 1], keeps 20 % aside as a stratified
test set, and then, in one of two ways:

* ``run_keras_style`` — the Keras API: ``Sequential([Input((64,)), Dense(64, "relu"),
  Dropout(0.2), Dense(10, "softmax")])``, Adam, sparse categorical cross-entropy, a
  progress bar, ``EarlyStopping(restore_best_weights=True)`` on a validation split; prints
  the test accuracy and saves the loss/accuracy curves as a PNG;
* ``run_low_level`` — the same data fitted by a 2-layer MLP written by hand with the raw
  Tensor API: ``Tensor(requires_grad=True)``, ``@``, ``relu``, ``softmax_cross_entropy``,
  ``backward()`` and the update ``w ← w − η·∂L/∂w`` — the foundation under ``fit``.
"""
from __future__ import annotations

import math
import os
import time

import numpy as np


def load_digits_split(seed: int = 0, test_size: float = 0.2):
    """(x_train, x_test, y_train, y_test): digits scaled to [0, 1], a stratified split."""
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    x, y = load_digits(return_X_y=True)
    x = (x / 16.0).astype("float32")
    return train_test_split(x, y, test_size=test_size, stratify=y, random_state=seed)


def save_history_plot(history: dict, path: str) -> str:
    """Save the loss and accuracy curves (training and validation) to ``path`` as a PNG."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(10, 4), dpi=100)
    for position, metric in enumerate(("loss", "accuracy")):
        axes = figure.add_subplot(1, 2, position + 1)
        epochs = np.arange(1, len(history[metric]) + 1)
        axes.plot(epochs, history[metric], label=f"training {metric}")
        if f"val_{metric}" in history:
            axes.plot(epochs, history[f"val_{metric}"], label=f"validation {metric}")
        axes.set_xlabel("epoch")
        axes.set_ylabel(metric)
        axes.set_title(metric)
        axes.grid(alpha=0.3)
        axes.legend()
    figure.tight_layout()
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    figure.savefig(path)
    return os.path.abspath(path)


def run_keras_style(output_dir: str = "glassnet_output", epochs: int = 100, seed: int = 0, verbose="auto") -> dict:
    """Train the Keras-style MLP; print the test accuracy and the PNG's path.

    Returns:
        ``{"test_accuracy", "test_loss", "epochs_run", "plot_path", "seconds"}``.
    """
    import glassnet as gn
    from glassnet.callbacks import EarlyStopping
    from glassnet.layers import Dense, Dropout, Input

    x_train, x_test, y_train, y_test = load_digits_split(seed)
    gn.utils.set_random_seed(seed)
    model = gn.Sequential([Input((64,)), Dense(64, activation="relu"), Dropout(0.2),
                           Dense(10, activation="softmax")], name="digits_mlp")
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.summary()
    start = time.perf_counter()
    history = model.fit(x_train, y_train, epochs=epochs, batch_size=32, validation_split=0.2, verbose=verbose,
                        callbacks=[EarlyStopping(monitor="val_loss", patience=5, restore_best_weights=True)])
    seconds = time.perf_counter() - start
    test_loss, test_accuracy = model.evaluate(x_test, y_test, verbose=0)
    path = save_history_plot(history.history, os.path.join(output_dir, "digits_mlp_history.png"))
    print(f"Trained {len(history.epoch)} epochs in {seconds:.1f} s (early stopping restored the best weights).")
    print(f"Test accuracy: {test_accuracy:.4f}  (test loss {test_loss:.4f}, {len(y_test)} images)")
    print(f"Loss and accuracy curves saved to {path}")
    return {"test_accuracy": test_accuracy, "test_loss": test_loss, "epochs_run": len(history.epoch),
            "plot_path": path, "seconds": seconds}


def run_low_level(epochs: int = 30, learning_rate: float = 0.1, batch_size: int = 32, seed: int = 0) -> dict:
    """Fit a 64-64-10 MLP with the raw Tensor API and a hand-written SGD step.

    Forward:  h = relu(x·W₁ + b₁),  z = h·W₂ + b₂,  L = mean over the batch of
              −log softmax(z)_y   (``softmax_cross_entropy``, fused and stable)
    Backward: ``L.backward()`` fills ∂L/∂W₁, ∂L/∂b₁, ∂L/∂W₂, ∂L/∂b₂ by the chain rule
    Update:   W ← W − η·∂L/∂W  for each parameter (plain SGD, η = ``learning_rate``)

    Returns:
        ``{"losses": per-epoch mean loss, "test_accuracy"}``.
    """
    from glassnet import Tensor, no_grad, ops

    x_train, x_test, y_train, y_test = load_digits_split(seed)
    rng = np.random.default_rng(seed)

    def he_normal(fan_in, fan_out):  # weights ~ N(0, 2/fan_in), the He initialisation for ReLU
        return Tensor(rng.normal(0.0, math.sqrt(2.0 / fan_in), (fan_in, fan_out)).astype("float32"),
                      requires_grad=True)

    W1, b1 = he_normal(64, 64), Tensor(np.zeros(64, "float32"), requires_grad=True)
    W2, b2 = he_normal(64, 10), Tensor(np.zeros(10, "float32"), requires_grad=True)
    parameters = [W1, b1, W2, b2]
    n, losses = len(x_train), []
    print(f"Low-level MLP 64-64-10 on {n} digits: SGD, learning rate {learning_rate}, batch {batch_size}")
    for epoch in range(epochs):
        order, total = rng.permutation(n), 0.0
        for start in range(0, n, batch_size):
            rows = order[start:start + batch_size]
            x, y = Tensor(x_train[rows]), y_train[rows]
            h = ops.relu(x @ W1 + b1)                                  # hidden layer
            z = h @ W2 + b2                                            # logits
            loss = ops.softmax_cross_entropy(z, y, sparse=True).mean()  # L
            for p in parameters:
                p.grad = None
            loss.backward()                                            # ∂L/∂p for every p
            with no_grad():
                for p in parameters:
                    p.data -= learning_rate * p.grad                   # p ← p − η·∂L/∂p
            total += loss.item() * len(rows)
        losses.append(total / n)
        if epoch % 5 == 0 or epoch == epochs - 1:
            print(f"epoch {epoch + 1:3d}/{epochs}  loss {losses[-1]:.4f}")
    with no_grad():
        z = ops.relu(Tensor(x_test) @ W1 + b1) @ W2 + b2
    test_accuracy = float(np.mean(z.numpy().argmax(axis=1) == y_test))
    print(f"Test accuracy: {test_accuracy:.4f}  ({len(y_test)} images)")
    return {"losses": losses, "test_accuracy": test_accuracy}
