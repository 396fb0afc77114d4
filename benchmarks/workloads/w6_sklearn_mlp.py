"""W6 — ``glassnet.sklearn.MLPClassifier`` against scikit-learn's own ``MLPClassifier``.

The same estimator settings on both sides: hidden_layer_sizes=(512, 256), ReLU, adam
(learning_rate_init 1e-3, scikit-learn's ε 1e-8), alpha 1e-4, batch_size 128, shuffle,
float32 Fashion-MNIST (60,000 × 784, scaled to [0, 1]; scikit-learn keeps float32 input in
float32), random_state 0 (so both start from scikit-learn's initial weights).

What is timed: one epoch per call of ``partial_fit`` (one shuffled pass, the Adam moments
carried over — ``fit(max_iter=E)`` would be the same run in one call), the sides
interleaved epoch by epoch after an untimed warm-up on throwaway estimators. After the last
epoch, each side's test accuracy on the 10,000 test images. The issue's target: glassnet
≥ 1.5× faster per epoch at equal accuracy (within 1 point).

Full: 5 epochs per side on the 60,000 training samples; quick: 2 epochs on 10,000.
"""
from __future__ import annotations

import statistics
import warnings

import numpy as np

from .. import harness, mlp

NAME = "W6"
DESCRIPTION = "MLPClassifier (512, 256), adam, batch 128: glassnet.sklearn vs scikit-learn, Fashion-MNIST"
PEER = "scikit-learn"
SETTINGS = dict(hidden_layer_sizes=(512, 256), activation="relu", solver="adam", alpha=1e-4, batch_size=128,
                learning_rate_init=1e-3, shuffle=True, random_state=0)
WARMUP_SAMPLES = 20 * 128


def _estimators():
    from sklearn.neural_network import MLPClassifier as SKLearnMLP

    from glassnet.sklearn import MLPClassifier

    return {"glassnet": MLPClassifier(**SETTINGS), PEER: SKLearnMLP(**SETTINGS)}


def run(ctx) -> list:
    epochs, limit = (2, 10_000) if ctx.quick else (5, None)
    data = mlp.load_data(ctx.data_dir)
    x, y = data["x"][:limit], data["y"][:limit]
    classes = np.arange(10)
    case = "batch 128"
    ctx.note(NAME, f"data: {data['source']}, {len(x):,} train samples, {epochs} epochs per side, {case}, float32")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")                  # ConvergenceWarning has no meaning for one pass
        for warm in _estimators().values():
            warm.partial_fit(x[:WARMUP_SAMPLES], y[:WARMUP_SAMPLES], classes=classes)
        estimators = _estimators()
        sides = {side: (lambda i, est=est: _epoch(est, x, y, classes)) for side, est in estimators.items()}
        runs = harness.interleave(sides, epochs)
    rows = []
    accuracies = {}
    for side, side_runs in runs.items():
        est = estimators[side]
        accuracies[side] = float(np.mean(est.predict(data["x_test"]) == data["y_test"]))
        rows.append(_row(ctx, case, side, side_runs, len(x), accuracies[side], est))
    gap = abs(accuracies["glassnet"] - accuracies[PEER]) * 100
    speed = statistics.median(r.seconds for r in runs[PEER]) / statistics.median(r.seconds for r in runs["glassnet"])
    ctx.note(NAME, f"glassnet / scikit-learn: {speed:.2f}× the speed per epoch (median epochs); test accuracy "
                   f"{accuracies['glassnet']:.4f} vs {accuracies[PEER]:.4f}, {gap:.2f} points apart "
                   f"({'equal' if gap <= 1 else 'NOT equal'} within 1 point); target ≥ 1.5×")
    return rows


def _epoch(est, x, y, classes) -> dict:
    est.partial_fit(x, y, classes=classes)
    return {"loss": float(est.loss_)}


def _row(ctx, case, side, runs, samples, test_accuracy, est):
    rates = [samples / run.seconds for run in runs]
    ctx.note(NAME, f"{side}: last epoch loss {runs[-1].result['loss']:.4f}, test accuracy {test_accuracy:.4f}; "
                   f"seconds per epoch: {', '.join(f'{run.seconds:.2f}' for run in runs)}")
    warning = harness.spread_warning(side, runs)
    if warning:
        ctx.note(NAME, warning)
    raw = {"samples_per_epoch": samples, "epoch_seconds": [r.seconds for r in runs], "epoch_samples_per_s": rates,
           "epoch_losses": [r.result["loss"] for r in runs], "load_average_after_epoch": [r.load for r in runs],
           "test_accuracy": test_accuracy, "weights_dtype": str(est.coefs_[0].dtype)}
    return harness.Row(NAME, case, side, train_first=rates[0], train_last=rates[-1],
                       train_all=samples * len(runs) / sum(r.seconds for r in runs), peak_mb=harness.max_peak(runs),
                       raw=raw)


def profile(ctx):
    """One glassnet epoch on 20,000 samples (after a warm-up)."""
    from glassnet.sklearn import MLPClassifier

    data = mlp.load_data(ctx.data_dir)
    x, y = data["x"][:20_000], data["y"][:20_000]
    est = MLPClassifier(**SETTINGS).partial_fit(x[:WARMUP_SAMPLES], y[:WARMUP_SAMPLES], classes=np.arange(10))
    return lambda: est.partial_fit(x, y)
