"""The MLP of W1, W2 and W7 on both sides, its data, and the interleaved training run.

The network: 784-512-256-10, ReLU, float32, Adam (lr 1e-3, ε 1e-7 on both sides),
sparse categorical cross-entropy. glassnet ends in a softmax layer and its loss reads
probabilities; PyTorch produces logits for ``CrossEntropyLoss`` (the same loss, fused) and
gets a ``Softmax`` layer only where it must output probabilities (inference, W7). Both
start from the same weights: glassnet's initial weights are copied into torch
(a glassnet Dense kernel is (in, out), a torch Linear weight is (out, in)).

The data: Fashion-MNIST (60,000 train and 10,000 test images, scaled to [0, 1]), or a
random stand-in of the same shape when the files are absent (and the run says so). Both
sides read the same arrays: torch's tensors are ``torch.from_numpy`` views of them.
"""
from __future__ import annotations

import functools
import statistics

import numpy as np

import glassnet as gn
from glassnet.datasets import fashion_mnist

from . import harness

SIZES = (784, 512, 256, 10)
WARMUP_BATCHES = 20


@functools.lru_cache(maxsize=2)
def load_data(data_dir):
    """{"x", "y", "x_test", "y_test": float32 (n, 784) in [0, 1] and int64 labels, "source"}."""
    try:
        (x, y), (x_test, y_test) = fashion_mnist.load_data(path=data_dir)
        source = "Fashion-MNIST"
    except FileNotFoundError as error:
        print(f"NOTE: {str(error).splitlines()[0]}\nNOTE: using RANDOM data of Fashion-MNIST's shape instead")
        rng = np.random.default_rng(0)
        x, x_test = rng.integers(0, 256, (60000, 28, 28), np.uint8), rng.integers(0, 256, (10000, 28, 28), np.uint8)
        y, y_test = rng.integers(0, 10, 60000), rng.integers(0, 10, 10000)
        source = "RANDOM stand-in for Fashion-MNIST"

    def scale(images):
        return images.reshape(len(images), -1).astype(np.float32) / np.float32(255.0)
    return {"x": scale(x), "y": y.astype(np.int64), "x_test": scale(x_test), "y_test": y_test.astype(np.int64),
            "source": source}


def glassnet_model(seed: int = 0):
    """The compiled glassnet MLP (softmax output, accuracy metric, as fit reports it)."""
    gn.utils.set_random_seed(seed)
    model = gn.Sequential([gn.layers.Input((SIZES[0],)), gn.layers.Dense(SIZES[1], activation="relu"),
                           gn.layers.Dense(SIZES[2], activation="relu"),
                           gn.layers.Dense(SIZES[3], activation="softmax")])
    model.compile(optimizer=gn.optimizers.Adam(learning_rate=1e-3, epsilon=1e-7),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def torch_model(torch, model, softmax: bool = False):
    """The torch MLP holding a copy of glassnet ``model``'s current weights (logits, or
    probabilities with ``softmax=True``)."""
    layers = [torch.nn.Linear(SIZES[0], SIZES[1]), torch.nn.ReLU(), torch.nn.Linear(SIZES[1], SIZES[2]),
              torch.nn.ReLU(), torch.nn.Linear(SIZES[2], SIZES[3])]
    net = torch.nn.Sequential(*layers, *([torch.nn.Softmax(dim=1)] if softmax else []))
    weights = model.get_weights()
    with torch.no_grad():
        for linear, kernel, bias in zip(layers[::2], weights[0::2], weights[1::2]):
            linear.weight.copy_(torch.from_numpy(np.ascontiguousarray(kernel.T)))
            linear.bias.copy_(torch.from_numpy(bias))
    return net


class TorchTraining:
    """PyTorch's idiomatic eager loop, one epoch per ``epoch()`` call on the same model.

    Per epoch: ``torch.randperm`` order, then per batch of ``batch_size``: index, zero_grad,
    forward, CrossEntropyLoss, backward, Adam step, and the running loss
    (``loss.item()`` × n) and running accuracy that glassnet's fit keeps.
    """

    def __init__(self, torch, net, x, y, batch_size: int):
        self.torch, self.net, self.x, self.y, self.batch_size = torch, net, x, y, batch_size
        self.optimizer = torch.optim.Adam(net.parameters(), lr=1e-3, eps=1e-7)
        self.loss_fn = torch.nn.CrossEntropyLoss()

    def epoch(self) -> dict:
        order = self.torch.randperm(len(self.x))
        loss_sum, correct, seen = 0.0, 0, 0
        for start in range(0, len(self.x), self.batch_size):
            index = order[start:start + self.batch_size]
            x_batch, y_batch = self.x[index], self.y[index]
            self.optimizer.zero_grad()
            logits = self.net(x_batch)
            loss = self.loss_fn(logits, y_batch)
            loss.backward()
            self.optimizer.step()
            loss_sum += loss.item() * len(index)                          # fit's running "loss"
            correct += int((logits.argmax(dim=1) == y_batch).sum())       # fit's running "accuracy"
            seen += len(index)
        return {"loss": loss_sum / seen, "accuracy": correct / seen}


def glassnet_epoch(model, x, y, batch_size: int) -> dict:
    """One ``fit`` epoch, continuing the training of ``model``; its logs."""
    history = model.fit(x, y, batch_size=batch_size, epochs=1, verbose=0, shuffle=True)
    return {name: float(values[-1]) for name, values in history.history.items()}


def accuracy(probabilities_or_logits, labels) -> float:
    return float(np.mean(np.asarray(probabilities_or_logits).argmax(axis=1) == labels))


def train(ctx, workload: str, batch_size: int, epochs: int, limit: int | None) -> list:
    """Train both sides epoch by epoch, interleaved; one row per side.

    Timed: each epoch of each side separately (glassnet epoch 1, PyTorch epoch 1,
    glassnet epoch 2, ...), each the whole epoch with its shuffling and running metrics.
    Not timed: the warm-up (``WARMUP_BATCHES`` batches on throwaway models), building the
    models, and the test accuracy at the end.
    """
    data = load_data(ctx.data_dir)
    x, y = data["x"][:limit], data["y"][:limit]
    case = f"batch {batch_size}"
    ctx.note(workload, f"data: {data['source']}, {len(x):,} train samples, {epochs} epochs per side, {case}")
    n_warm = min(len(x), WARMUP_BATCHES * batch_size)
    warm = glassnet_model(seed=1)
    torch = ctx.torch
    if torch is not None:
        torch.manual_seed(0)
        tx, ty = torch.from_numpy(x), torch.from_numpy(y)
        TorchTraining(torch, torch_model(torch, warm), tx[:n_warm], ty[:n_warm], batch_size).epoch()
    glassnet_epoch(warm, x[:n_warm], y[:n_warm], batch_size)
    model = glassnet_model()
    sides = {"glassnet": lambda i: glassnet_epoch(model, x, y, batch_size)}
    predict = {"glassnet": lambda x_test: model.predict(x_test, batch_size=1024, verbose=0)}
    if torch is not None:
        torch_training = TorchTraining(torch, torch_model(torch, model), tx, ty, batch_size)
        sides[harness.PEER] = lambda i: torch_training.epoch()

        def torch_predict(x_test):
            with torch.no_grad():
                return torch_training.net(torch.from_numpy(x_test)).numpy()
        predict[harness.PEER] = torch_predict
    runs = harness.interleave(sides, epochs)
    rows = []
    for side, side_runs in runs.items():
        test_accuracy = accuracy(predict[side](data["x_test"]), data["y_test"])
        rows.append(training_row(ctx, workload, case, side, side_runs, len(x), test_accuracy, len(data["x_test"])))
    if torch is None:
        rows.append(ctx.missing(workload, case))
    return rows


def torch_probabilities(torch, net, x, batch_size: int):
    """A callable giving torch's softmax probabilities of the tensor ``x``, in batches, under no_grad."""
    def predict():
        with torch.no_grad():
            return torch.cat([torch.softmax(net(x[s:s + batch_size]), dim=1)
                              for s in range(0, len(x), batch_size)]).numpy()
    return predict


def epoch_rows(ctx, workload: str, case: str, runs: dict, predict: dict, y_test, samples: int) -> list:
    """The training rows of interleaved epoch ``runs``, each side's test accuracy from ``predict[side]()``."""
    rows = [training_row(ctx, workload, case, side, side_runs, samples, accuracy(predict[side](), y_test), len(y_test))
            for side, side_runs in runs.items()]
    if harness.PEER not in runs:
        rows.append(ctx.missing(workload, case))
    return rows


def training_row(ctx, workload, case, side, runs, samples, test_accuracy, test_samples):
    """The table row of one side's training epochs, with its notes (final logs, spread)."""
    rates = [samples / run.seconds for run in runs]
    last = runs[-1].result
    ctx.note(workload, f"{side}: last epoch loss {last['loss']:.4f}, train accuracy {last['accuracy']:.4f}, "
                       f"test accuracy {test_accuracy:.4f} ({test_samples:,} test samples); samples/s per epoch: "
                       f"median {statistics.median(rates):,.0f}, range {min(rates):,.0f} to {max(rates):,.0f}")
    warning = harness.spread_warning(side, runs)
    if warning:
        ctx.note(workload, warning)
    raw = {"samples_per_epoch": samples, "epoch_seconds": [r.seconds for r in runs], "epoch_samples_per_s": rates,
           "epoch_peak_mb": [r.peak_mb for r in runs], "epoch_logs": [r.result for r in runs],
           "load_average_after_epoch": [r.load for r in runs], "median_samples_per_s": statistics.median(rates),
           "test_accuracy": test_accuracy}
    return harness.Row(workload, case, side, train_first=rates[0], train_last=rates[-1],
                       train_all=samples * len(runs) / sum(r.seconds for r in runs),
                       peak_mb=harness.max_peak(runs), raw=raw)


def profile_epoch(ctx, batch_size: int, limit: int | None):
    """A callable that runs one glassnet fit epoch (after a warm-up), for ``--profile``."""
    data = load_data(ctx.data_dir)
    x, y = data["x"][:limit], data["y"][:limit]
    model = glassnet_model()
    glassnet_epoch(model, x[:WARMUP_BATCHES * batch_size], y[:WARMUP_BATCHES * batch_size], batch_size)
    return lambda: glassnet_epoch(model, x, y, batch_size)
