"""The recurrent models of W4 on both sides, their data, and the interleaved runs.

The network: Embedding(20000, 128) → LSTM 128 (or GRU 128), last state → Dense 2; float32,
Adam (lr 1e-3, ε 1e-7), sparse categorical cross-entropy (glassnet: a softmax output read by
the loss; PyTorch: logits into ``CrossEntropyLoss``); sequences of 64 ids, batch 64.

The data: rt-polarity's 10,662 sentences as ids (``TextVectorization(max_tokens=20000,
output_sequence_length=64)`` adapted on the training part; 90/10 split, shuffled with seed 0),
each sequence reversed so that its padding comes first (neither side masks, and a last state
read after 50 padding steps has forgotten the sentence), or random ids of the same shape when
the files are absent (and the run says so).

Weights are copied from glassnet into torch. Keras's LSTM gates (i, f, c, o) are torch's
(i, f, g, o): its kernel (in, 4u) is torch's weight_ih transposed, the recurrent kernel
weight_hh transposed, the bias b_ih (b_hh = 0). Keras's GRU gates are (z, r, h), torch's
(r, z, n): the column blocks are reordered; with reset_after=True the bias rows are b_ih
and b_hh.
"""
from __future__ import annotations

import functools

import numpy as np

import glassnet as gn
from glassnet.datasets import rt_polarity

from . import harness, mlp

VOCABULARY, WIDTH, UNITS, STEPS = 20_000, 128, 128, 64
INFER_BATCH = 256
WARMUP_BATCHES = 10


@functools.lru_cache(maxsize=2)
def load_data(data_dir):
    """{"x", "y", "x_test", "y_test": int64 ids (n, 64) and labels, "source"}."""
    try:
        texts, labels = rt_polarity.load_data(None if data_dir is None else f"{data_dir}/../rt-polarity")
        source = "rt-polarity"
    except FileNotFoundError as error:
        print(f"NOTE: {str(error).splitlines()[0]}\nNOTE: using RANDOM ids instead")
        rng = np.random.default_rng(0)
        ids = rng.integers(1, VOCABULARY, (10_662, STEPS))
        labels = rng.integers(0, 2, 10_662)
        return {"x": ids[:9_600], "y": labels[:9_600], "x_test": ids[9_600:], "y_test": labels[9_600:],
                "source": "RANDOM ids"}
    order = np.random.default_rng(0).permutation(len(texts))
    texts, labels = np.array(texts, dtype=object)[order], labels[order]
    split = int(0.9 * len(texts))
    vectorizer = gn.layers.TextVectorization(max_tokens=VOCABULARY, output_sequence_length=STEPS)
    vectorizer.adapt(texts[:split])
    ids = vectorizer(texts).numpy().astype(np.int64)[:, ::-1].copy()   # padding first: the last state has read the words
    return {"x": ids[:split], "y": labels[:split], "x_test": ids[split:], "y_test": labels[split:],
            "source": source}


def glassnet_model(cell: str, seed: int = 0):
    gn.utils.set_random_seed(seed)
    L = gn.layers
    recurrent = L.LSTM(UNITS) if cell == "lstm" else L.GRU(UNITS)
    model = gn.Sequential([L.Input((STEPS,), dtype="int64"), L.Embedding(VOCABULARY, WIDTH), recurrent,
                           L.Dense(2, activation="softmax")])
    model.compile(optimizer=gn.optimizers.Adam(learning_rate=1e-3, epsilon=1e-7),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


class TorchRecurrent:
    """torch's Embedding → LSTM/GRU → Linear on the last hidden state (logits)."""

    def __new__(cls, torch, cell: str, model):
        nn = torch.nn

        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.embedding = nn.Embedding(VOCABULARY, WIDTH)
                self.recurrent = (nn.LSTM if cell == "lstm" else nn.GRU)(WIDTH, UNITS, batch_first=True)
                self.dense = nn.Linear(UNITS, 2)

            def forward(self, ids):
                _, state = self.recurrent(self.embedding(ids))
                h = state[0] if cell == "lstm" else state
                return self.dense(h[-1])

        net = Net()
        weights = model.get_weights()
        table, kernel, recurrent_kernel, bias, dense_kernel, dense_bias = weights
        if cell == "gru":                                    # Keras (z, r, h) → torch (r, z, n)
            def reorder(a):
                z, r, h = np.split(a, 3, axis=-1)
                return np.concatenate([r, z, h], axis=-1)
            kernel, recurrent_kernel, bias = reorder(kernel), reorder(recurrent_kernel), reorder(bias)
            b_ih, b_hh = bias[0], bias[1]
        else:
            b_ih, b_hh = bias, np.zeros_like(bias)
        values = {"embedding.weight": table, "recurrent.weight_ih_l0": kernel.T, "recurrent.weight_hh_l0": recurrent_kernel.T,
                  "recurrent.bias_ih_l0": b_ih, "recurrent.bias_hh_l0": b_hh, "dense.weight": dense_kernel.T,
                  "dense.bias": dense_bias}
        with torch.no_grad():
            for name, parameter in net.named_parameters():
                parameter.copy_(torch.from_numpy(np.ascontiguousarray(values[name])))
        return net


def train(ctx, workload: str, cell: str, batch_size: int, epochs: int, limit) -> list:
    """Both sides trained epoch by epoch, interleaved (as ``mlp.train``); then inference rows."""
    data = load_data(ctx.data_dir)
    x, y = data["x"][:limit], data["y"][:limit]
    case = f"{cell.upper()} train, batch {batch_size}"
    ctx.note(workload, f"data: {data['source']}, {len(x):,} train sequences of {STEPS} ids, {epochs} epochs per side")
    n_warm = min(len(x), WARMUP_BATCHES * batch_size)
    warm = glassnet_model(cell, seed=1)
    torch = ctx.torch
    if torch is not None:
        torch.manual_seed(0)
        tx, ty = torch.from_numpy(x), torch.from_numpy(y)
        mlp.TorchTraining(torch, TorchRecurrent(torch, cell, warm), tx[:n_warm], ty[:n_warm], batch_size).epoch()
    mlp.glassnet_epoch(warm, x[:n_warm], y[:n_warm], batch_size)
    model = glassnet_model(cell)
    sides = {"glassnet": lambda i: mlp.glassnet_epoch(model, x, y, batch_size)}
    x_test = data["x_test"]
    predict = {"glassnet": lambda: model.predict(x_test, batch_size=INFER_BATCH, verbose=0)}
    if torch is not None:
        training = mlp.TorchTraining(torch, TorchRecurrent(torch, cell, model), tx, ty, batch_size)
        sides[harness.PEER] = lambda i: training.epoch()
        predict[harness.PEER] = mlp.torch_probabilities(torch, training.net, torch.from_numpy(x_test), INFER_BATCH)
        difference = float(np.max(np.abs(predict["glassnet"]() - predict[harness.PEER]())))
        ctx.note(workload, f"{cell.upper()} same start: max |glassnet − PyTorch| of the test probabilities "
                           f"before training {difference:.1e}")
    runs = harness.interleave(sides, epochs)
    rows = mlp.epoch_rows(ctx, workload, case, runs, predict, data["y_test"], len(x))
    return rows + harness.inference_rows(ctx, workload, f"{cell.upper()} inference, batch {INFER_BATCH}", predict,
                                         len(x_test), 2 if ctx.quick else 5)


def profile_epoch(ctx, cell: str, batch_size: int, limit):
    data = load_data(ctx.data_dir)
    x, y = data["x"][:limit], data["y"][:limit]
    model = glassnet_model(cell)
    mlp.glassnet_epoch(model, x[:WARMUP_BATCHES * batch_size], y[:WARMUP_BATCHES * batch_size], batch_size)
    return lambda: mlp.glassnet_epoch(model, x, y, batch_size)
