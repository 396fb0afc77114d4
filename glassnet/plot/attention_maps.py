"""Attention weights as heat maps: which input each output position looks at.

An attention layer computes, for query i and key j, a score e_ij, then the weights
α_ij = softmax_j(e_ij) (each row sums to 1) and the context c_i = Σ_j α_ij v_j. The matrix
α is drawn with queries as rows (``y_labels``: e.g. the words being produced) and keys as
columns (``x_labels``: the source words); a bright cell (i, j) means position i drew its
context mostly from position j. In translation the bright cells trace the word alignment.

Inputs: ``MultiHeadAttention(..., return_attention_scores=True)`` gives weights of shape
(batch, heads, T_q, T_v) — one panel per head; ``Attention``'s scores are (batch, T_q, T_v);
the seq2seq Bahdanau model's weights are (T_q, T_v) for one sentence.
"""
from __future__ import annotations

import numpy as np

from ._figure import grid_shape, new_figure, save


def attention(weights, x_labels=None, y_labels=None, head_names=None, to_file=None):
    """One heat map per attention head.

    Args:
        weights: (T_q, T_v), (heads, T_q, T_v) or (1, heads, T_q, T_v) — a Tensor or array.
        x_labels: T_v names of the keys (columns), e.g. source tokens.
        y_labels: T_q names of the queries (rows), e.g. output tokens.
        head_names: titles of the panels (default "head 0", "head 1", …).
        to_file: optional path (.png, .svg or .pdf) to save the figure to.

    Returns:
        The matplotlib Figure, one axes per head (plus one colour bar).

    Raises:
        ValueError: a batch of more than one, or labels of the wrong length.
    """
    w = np.asarray(weights.numpy() if hasattr(weights, "numpy") else weights, dtype=float)
    if w.ndim == 4:
        if w.shape[0] != 1:
            raise ValueError(f"attention: pass the weights of one example (batch 1), got batch {w.shape[0]}")
        w = w[0]
    if w.ndim == 2:
        w = w[None]
    if w.ndim != 3:
        raise ValueError(f"attention: weights must be (T_q, T_v), (heads, T_q, T_v) or (1, heads, T_q, T_v), "
                         f"got shape {np.shape(weights)}")
    heads, t_q, t_v = w.shape
    for name, labels, size in (("x_labels", x_labels, t_v), ("y_labels", y_labels, t_q)):
        if labels is not None and len(labels) != size:
            raise ValueError(f"attention: {name} has {len(labels)} entries for {size} positions")
    rows, columns = grid_shape(heads, 4)
    cell = 0.38
    size = (columns * (max(t_v * cell, 2.0) + 1.2) + 0.8, rows * (max(t_q * cell, 2.0) + 1.2))
    figure, axes = new_figure(rows, columns, squeeze=False, layout="constrained", figsize=size)
    image = None
    for h, axis in enumerate(axes.flat):
        if h >= heads:
            axis.set_visible(False)
            continue
        image = axis.imshow(w[h], cmap="viridis", vmin=0.0, vmax=max(float(w.max()), 1e-12), aspect="auto")
        axis.set_xticks(range(t_v), [str(s) for s in x_labels] if x_labels is not None else range(t_v),
                        rotation=60 if x_labels is not None else 0, ha="right" if x_labels is not None else "center",
                        fontsize=8)
        axis.set_yticks(range(t_q), [str(s) for s in y_labels] if y_labels is not None else range(t_q), fontsize=8)
        axis.set_title(head_names[h] if head_names else (f"head {h}" if heads > 1 else "attention weights"),
                       fontsize=9)
        axis.set_xlabel("key (attended to)", fontsize=8)
        axis.set_ylabel("query", fontsize=8)
    figure.colorbar(image, ax=axes.ravel().tolist(), shrink=0.8, label="α")
    return save(figure, to_file)
