"""The interleaved run of a text classifier on both sides, whatever its architecture.

W4's procedure (``rnn.train``), with the two models passed in, so that each new sequence
workload (W5's transformer, …) adds only its networks: a warm-up on throwaway models, the
same-start check (max |glassnet − PyTorch| of the test probabilities before training), the
timed epochs interleaved, the epoch rows, then the inference rows. The data are W4's
(``rnn.load_data``: rt-polarity through TextVectorization, 64 ids per sentence).
"""
from __future__ import annotations

from . import harness, mlp, rnn


def train(ctx, workload: str, case: str, glassnet_model, torch_model, batch_size: int, epochs: int, limit,
          infer_case: str) -> list:
    """Train both sides epoch by epoch, interleaved; then time inference over the test sentences.

    Args:
        glassnet_model: ``seed → compiled glassnet model`` (softmax output).
        torch_model: ``(torch, glassnet model) → torch.nn.Module`` giving logits from ids, holding a
            copy of the glassnet model's current weights.
        case, infer_case: the names of the training and inference rows.
    """
    data = rnn.load_data(ctx.data_dir)
    x, y = data["x"][:limit], data["y"][:limit]
    ctx.note(workload, f"data: {data['source']}, {len(x):,} train sequences of {x.shape[1]} ids, {epochs} epochs "
                       f"per side, batch {batch_size}")
    n_warm = min(len(x), rnn.WARMUP_BATCHES * batch_size)
    warm = glassnet_model(1)
    torch = ctx.torch
    if torch is not None:
        torch.manual_seed(0)
        tx, ty = torch.from_numpy(x), torch.from_numpy(y)
        mlp.TorchTraining(torch, torch_model(torch, warm), tx[:n_warm], ty[:n_warm], batch_size).epoch()
    mlp.glassnet_epoch(warm, x[:n_warm], y[:n_warm], batch_size)
    model = glassnet_model(0)
    sides = {"glassnet": lambda i: mlp.glassnet_epoch(model, x, y, batch_size)}
    x_test = data["x_test"]
    predict = {"glassnet": lambda: model.predict(x_test, batch_size=rnn.INFER_BATCH, verbose=0)}
    if torch is not None:
        training = mlp.TorchTraining(torch, torch_model(torch, model), tx, ty, batch_size)
        sides[harness.PEER] = lambda i: training.epoch()
        predict[harness.PEER] = _in_eval_mode(training.net, mlp.torch_probabilities(
            torch, training.net, torch.from_numpy(x_test), rnn.INFER_BATCH))
        difference = float(abs(predict["glassnet"]() - predict[harness.PEER]()).max())
        ctx.note(workload, f"same start: max |glassnet − PyTorch| of the test probabilities before training "
                           f"{difference:.1e}")
    runs = harness.interleave(sides, epochs)
    rows = mlp.epoch_rows(ctx, workload, case, runs, predict, data["y_test"], len(x))
    return rows + harness.inference_rows(ctx, workload, infer_case, predict, len(x_test), 2 if ctx.quick else 5)


def _in_eval_mode(net, predict):
    """``predict`` run with ``net.eval()`` (PyTorch's inference fast paths), then back to training mode."""
    def run():
        net.eval()
        try:
            return predict()
        finally:
            net.train()
    return run


def profile_epoch(ctx, glassnet_model, batch_size: int, limit):
    """A callable running one glassnet fit epoch of ``glassnet_model(0)`` (after a warm-up), for ``--profile``."""
    data = rnn.load_data(ctx.data_dir)
    x, y = data["x"][:limit], data["y"][:limit]
    model = glassnet_model(0)
    n_warm = rnn.WARMUP_BATCHES * batch_size
    mlp.glassnet_epoch(model, x[:n_warm], y[:n_warm], batch_size)
    return lambda: mlp.glassnet_epoch(model, x, y, batch_size)
