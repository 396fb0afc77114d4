"""The CNN of W3 on both sides, and its interleaved training and inference runs.

The network (28×28×1 Fashion-MNIST images, float32, channels-last in glassnet, channels-first
in PyTorch): Conv 32 3×3 "same" + ReLU → MaxPool 2 → Conv 64 3×3 "same" + ReLU → MaxPool 2
→ Flatten → Dense 128 ReLU → Dense 10; Adam (lr 1e-3, ε 1e-7); sparse categorical
cross-entropy (glassnet: a softmax output read by the loss, fused while training; PyTorch:
logits into ``CrossEntropyLoss``). Both start from the same weights: kernels (kh, kw, in, out)
become torch's (out, in, kh, kw), and the first dense kernel's rows are reordered from
glassnet's (h, w, c) flattening to torch's (c, h, w).
"""
from __future__ import annotations

import numpy as np

import glassnet as gn

from . import harness, mlp

WARMUP_BATCHES = 20
INFER_BATCH = 256


def images(flat):
    """(n, 784) → (n, 28, 28, 1), a view."""
    return flat.reshape(len(flat), 28, 28, 1)


def glassnet_model(seed: int = 0):
    gn.utils.set_random_seed(seed)
    L = gn.layers
    model = gn.Sequential([
        L.Input((28, 28, 1)),
        L.Conv2D(32, 3, padding="same", activation="relu"), L.MaxPooling2D(2),
        L.Conv2D(64, 3, padding="same", activation="relu"), L.MaxPooling2D(2),
        L.Flatten(), L.Dense(128, activation="relu"), L.Dense(10, activation="softmax")])
    model.compile(optimizer=gn.optimizers.Adam(learning_rate=1e-3, epsilon=1e-7),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def torch_model(torch, model, softmax: bool = False):
    """The torch CNN with a copy of glassnet ``model``'s current weights (NCHW input)."""
    nn = torch.nn
    conv1, conv2 = nn.Conv2d(1, 32, 3, padding=1), nn.Conv2d(32, 64, 3, padding=1)
    dense1, dense2 = nn.Linear(7 * 7 * 64, 128), nn.Linear(128, 10)
    net = nn.Sequential(conv1, nn.ReLU(), nn.MaxPool2d(2), conv2, nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                        dense1, nn.ReLU(), dense2, *([nn.Softmax(dim=1)] if softmax else []))
    k1, b1, k2, b2, d1, c1, d2, c2 = model.get_weights()
    values = [k1.transpose(3, 2, 0, 1), b1, k2.transpose(3, 2, 0, 1), b2,
              d1.reshape(7, 7, 64, 128).transpose(3, 2, 0, 1).reshape(128, -1), c1, d2.T, c2]
    with torch.no_grad():
        for parameter, value in zip(net.parameters(), values):
            parameter.copy_(torch.from_numpy(np.ascontiguousarray(value)))
    return net


def nchw(torch, flat):
    return torch.from_numpy(np.ascontiguousarray(flat.reshape(len(flat), 1, 28, 28)))


def train(ctx, workload: str, batch_size: int, epochs: int, limit: int | None) -> list:
    """Both sides trained epoch by epoch, interleaved (as ``mlp.train``); one row per side."""
    data = mlp.load_data(ctx.data_dir)
    x, y = images(data["x"][:limit]), data["y"][:limit]
    case = f"train, batch {batch_size}"
    ctx.note(workload, f"data: {data['source']}, {len(x):,} train samples, {epochs} epochs per side, {case}")
    n_warm = min(len(x), WARMUP_BATCHES * batch_size)
    warm = glassnet_model(seed=1)
    torch = ctx.torch
    if torch is not None:
        torch.manual_seed(0)
        tx, ty = nchw(torch, data["x"][:limit]), torch.from_numpy(y)
        mlp.TorchTraining(torch, torch_model(torch, warm), tx[:n_warm], ty[:n_warm], batch_size).epoch()
    mlp.glassnet_epoch(warm, x[:n_warm], y[:n_warm], batch_size)
    model = glassnet_model()
    sides = {"glassnet": lambda i: mlp.glassnet_epoch(model, x, y, batch_size)}
    x_test = images(data["x_test"])
    predict = {"glassnet": lambda: model.predict(x_test, batch_size=INFER_BATCH, verbose=0)}
    if torch is not None:
        torch_training = mlp.TorchTraining(torch, torch_model(torch, model), tx, ty, batch_size)
        sides[harness.PEER] = lambda i: torch_training.epoch()
        predict[harness.PEER] = mlp.torch_probabilities(torch, torch_training.net, nchw(torch, data["x_test"]),
                                                        INFER_BATCH)
        difference = float(np.max(np.abs(predict["glassnet"]() - predict[harness.PEER]())))
        ctx.note(workload, f"same start: max |glassnet − PyTorch| of the test-set probabilities before training "
                           f"{difference:.1e} (the weights were copied; the two sides then train on their own)")
    runs = harness.interleave(sides, epochs)
    rows = mlp.epoch_rows(ctx, workload, case, runs, predict, data["y_test"], len(x))
    rows += _inference_rows(ctx, workload, predict, len(x_test), 2 if ctx.quick else 5)
    return rows


def _inference_rows(ctx, workload, predict, samples, runs) -> list:
    """``predict`` over the test set at batch ``INFER_BATCH``, interleaved; how far the sides agree."""
    rows = harness.inference_rows(ctx, workload, f"inference, batch {INFER_BATCH}", predict, samples, runs)
    if harness.PEER in predict:
        a, b = (row.outputs for row in rows[:2])
        ctx.note(workload, f"after training, the two sides' predictions agree on "
                           f"{100 * float(np.mean(a.argmax(1) == b.argmax(1))):.1f}% of the test images "
                           f"(each side shuffled its own batches)")
    return rows


def profile_epoch(ctx, batch_size: int, limit: int | None):
    data = mlp.load_data(ctx.data_dir)
    x, y = images(data["x"][:limit]), data["y"][:limit]
    model = glassnet_model()
    mlp.glassnet_epoch(model, x[:WARMUP_BATCHES * batch_size], y[:WARMUP_BATCHES * batch_size], batch_size)
    return lambda: mlp.glassnet_epoch(model, x, y, batch_size)
