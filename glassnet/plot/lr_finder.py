"""The learning-rate range test (Leslie Smith, 2015; fastai's ``lr_find``).

Train for ``steps`` mini-batches while the learning rate grows exponentially from
``start_lr`` to ``end_lr``::

    η_k = start_lr · (end_lr / start_lr)^(k / (steps − 1)),   k = 0 … steps − 1

and record each batch's loss L_k (computed before that batch's update). Too small an η
barely moves the loss; a good one makes it fall fast; too large a one makes it explode.
The noisy losses are smoothed with a bias-corrected exponential moving average::

    a_k = β·a_{k−1} + (1 − β)·L_k,   smoothed_k = a_k / (1 − β^(k+1)),   β = 0.98 by default

The test stops early once smoothed_k > 4·min(smoothed) (divergence) or the loss is NaN.
The **suggestion** is the η where the smoothed loss falls fastest: the minimum of
d smoothed / d log₁₀ η (steepest descent), a good starting learning rate — typically about
ten times below the η of the lowest loss.

Everything is put back afterwards: the model's weights (``get_weights``/``set_weights``)
and the optimizer's whole state — learning rate, iteration count and slots (moments,
accumulators) — so ``fit`` then starts exactly as if the test had not run.
"""
from __future__ import annotations

import copy
import math

import numpy as np

from ._figure import new_figure, save


def _snapshot_optimizer(optimizer, model):
    """A deep copy of the optimizer's attributes that still points at the model's own variables."""
    memo = {id(variable): variable for variable in model.weights}
    return copy.deepcopy(vars(optimizer), memo)


def _set_learning_rate(optimizer, lr: float) -> None:
    try:
        optimizer.learning_rate = lr
    except (ValueError, TypeError):      # a schedule: replaced for the test, restored after it
        optimizer._learning_rate = lr


def lr_range_test(model, x, y, start_lr=1e-7, end_lr=10.0, steps=100, batch_size=32, beta=0.98,
                  diverge_factor=4.0) -> dict:
    """Run the test; returns ``{"lr", "loss", "smoothed", "suggestion"}`` and restores the model."""
    if getattr(model, "optimizer", None) is None:
        raise ValueError("lr_finder: compile the model first (model.compile(optimizer, loss))")
    if not (0 < start_lr < end_lr):
        raise ValueError(f"lr_finder: need 0 < start_lr < end_lr, got {start_lr} and {end_lr}")
    if not isinstance(steps, (int, np.integer)) or steps < 2:
        raise ValueError(f"lr_finder: steps must be an int ≥ 2, got {steps!r}")
    x, y = np.asarray(x), np.asarray(y)
    if len(x) != len(y) or len(x) == 0:
        raise ValueError(f"lr_finder: x and y must hold the same (non-zero) number of samples, got {len(x)} and "
                         f"{len(y)}")
    optimizer = model.optimizer
    if not model.built:
        model.build((None, *x.shape[1:]))
    weights = [np.array(w, copy=True) for w in model.get_weights()]
    state = _snapshot_optimizer(optimizer, model)
    lrs, losses, smoothed = [], [], []
    average, best = 0.0, math.inf
    batches = max(1, -(-len(x) // batch_size))
    try:
        for k in range(steps):
            lr = start_lr * (end_lr / start_lr) ** (k / (steps - 1))
            _set_learning_rate(optimizer, lr)
            start = (k % batches) * batch_size
            model.reset_metrics()
            logs = model.train_on_batch(x[start:start + batch_size], y[start:start + batch_size], return_dict=True)
            loss = float(logs["loss"])
            if not math.isfinite(loss):
                break
            average = beta * average + (1 - beta) * loss
            value = average / (1 - beta ** (k + 1))
            lrs.append(lr)
            losses.append(loss)
            smoothed.append(value)
            best = min(best, value)
            if value > diverge_factor * best:
                break
    finally:
        model.set_weights(weights)
        optimizer.__dict__.clear()
        optimizer.__dict__.update(state)
        model.reset_metrics()
    lrs, losses, smoothed = np.array(lrs), np.array(losses), np.array(smoothed)
    suggestion = None
    if len(smoothed) >= 3:
        slope = np.gradient(smoothed, np.log10(lrs))
        lowest = int(np.argmin(smoothed))
        suggestion = float(lrs[int(np.argmin(slope[:lowest + 1]))]) if lowest > 0 else None
    return {"lr": lrs, "loss": losses, "smoothed": smoothed, "suggestion": suggestion}


def lr_finder(model, x, y, start_lr=1e-7, end_lr=10.0, steps=100, batch_size=32, beta=0.98, to_file=None):
    """The learning-rate range test as a plot: smoothed loss against η (log scale).

    Args:
        model: a compiled glassnet model (its weights and optimizer are restored after).
        x, y: training data; batches are taken in order, cycling if ``steps`` needs more.
        start_lr, end_lr: the range of η, 0 < start_lr < end_lr.
        steps: number of batches (points on the curve).
        batch_size: samples per batch.
        beta: the smoothing factor β of the moving average.
        to_file: optional path (.png, .svg or .pdf) to save the figure to.

    Returns:
        ``(figure, suggestion)``: the matplotlib Figure (raw losses faint, smoothed loss,
        the suggested η marked) and the suggested learning rate (None when the curve is
        too short or never falls). The curve is in ``figure.lr_test``.
    """
    result = lr_range_test(model, x, y, start_lr, end_lr, steps, batch_size, beta)
    figure, axis = new_figure(figsize=(7.0, 4.5), layout="constrained")
    axis.plot(result["lr"], result["loss"], color="tab:blue", alpha=0.3, linewidth=0.8, label="loss per batch")
    axis.plot(result["lr"], result["smoothed"], color="tab:blue", linewidth=1.8, label=f"smoothed (β = {beta})")
    suggestion = result["suggestion"]
    if suggestion is not None:
        k = int(np.flatnonzero(result["lr"] == suggestion)[0])
        axis.plot(suggestion, result["smoothed"][k], "o", color="tab:red", markersize=8,
                  label=f"steepest descent: η = {suggestion:.2e}")
    axis.set_xscale("log")
    if len(result["smoothed"]):
        top = float(np.percentile(result["loss"], 95))
        low = float(min(result["smoothed"].min(), result["loss"].min()))
        axis.set_ylim(low - 0.05 * abs(top - low), top + 0.1 * abs(top - low) + 1e-12)
    axis.set(xlabel="learning rate η (log scale)", ylabel="loss",
             title=f"learning-rate range test: {len(result['lr'])} batches of {batch_size}")
    axis.grid(alpha=0.3)
    axis.legend(fontsize=8)
    figure.lr_test = result
    return save(figure, to_file), suggestion
