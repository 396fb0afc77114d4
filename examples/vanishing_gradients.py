"""Why LSTMs and GRUs: how far back a gradient reaches through 100 steps of a recurrence.

For a loss L that reads only the last state h_100, the chain rule sends the gradient back
one step at a time,

    ∂L/∂h_t = ∂L/∂h_{t+1} · ∂h_{t+1}/∂h_t,      for a SimpleRNN  ∂h_{t+1}/∂h_t = diag(1 − h²_{t+1}) · Uᵀ

so ‖∂L/∂h_t‖ shrinks (or grows) geometrically with the distance 100 − t: the early inputs
stop mattering — the vanishing-gradient problem. An LSTM's cell state adds instead of
multiplying (c_t = f ⊙ c_{t−1} + i ⊙ c̃), so along the cell state the gradient is scaled
by the forget gate f alone, and a GRU interpolates (h_t = z ⊙ h_{t−1} + (1 − z) ⊙ h̃), scaled
by its update gate z. Those gates are learned: when a task needs a long memory, training
pushes f (or z) towards 1 and the gradient then passes almost unchanged. At initialisation
they are not there yet (f ≈ σ(1) ≈ 0.73 with ``unit_forget_bias``, z ≈ 0.5), so the plot shows
each gated cell twice: as initialised, and with its gate's bias raised by 3 (f, z ≈ 0.95),
the state a trained long-memory cell is in.

The script runs each cell for 100 steps on one random sequence, adds a zero "probe" p_t to
every hidden state (h_t + p_t, so ∂L/∂p_t = ∂L/∂h_t, which autograd does not keep for
intermediate tensors), backpropagates L = Σ h_100, and plots ‖∂L/∂h_t‖ against t on a log
scale, all cells with the same input and 32 units.

Run:  python examples/vanishing_gradients.py [--out vanishing_gradients.png] [--steps 100]
"""
from __future__ import annotations

import argparse
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import glassnet as gn  # noqa: E402
from glassnet import layers  # noqa: E402


def gradient_norms(cell, x, remember=None):
    """‖∂L/∂h_t‖ for t = 1 … T, with L = Σ h_T, running ``cell`` one step at a time.

    ``remember``: "forget" raises an LSTM's forget-gate bias by 3 (columns u … 2u of its
    bias, gates i, f, c, o), "update" a GRU's update-gate bias (its first u columns, gates z, r, h).
    """
    batch, steps, _ = x.shape
    cell.build((batch, x.shape[-1]))
    if remember is not None:
        bias = cell.bias.numpy().copy()
        units = cell.units
        columns = slice(units, 2 * units) if remember == "forget" else slice(0, units)
        bias[..., columns] += 3.0 if bias.ndim == 1 else 0.0
        if bias.ndim == 2:                                  # GRU reset_after: (input row, recurrent row)
            bias[0, columns] += 3.0
        cell.bias.assign(bias)
    sizes = cell.state_size if isinstance(cell.state_size, (list, tuple)) else [cell.state_size]
    states = [gn.Tensor(np.zeros((batch, size), dtype="float32")) for size in sizes]
    probes = []
    for t in range(steps):
        output, states = cell(gn.Tensor(x[:, t]), states)
        states = list(states) if isinstance(states, (list, tuple)) else [states]
        probe = gn.Tensor(np.zeros_like(states[0].numpy()), requires_grad=True)
        states[0] = states[0] + probe                     # h_t + p_t: its gradient is ∂L/∂h_t
        probes.append(probe)
    states[0].sum().backward()
    return np.array([np.linalg.norm(p.grad) for p in probes])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="vanishing_gradients.png")
    parser.add_argument("--steps", type=int, default=100)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    gn.utils.set_random_seed(args.seed)
    x = np.random.default_rng(args.seed).standard_normal((1, args.steps, 8)).astype("float32")
    figure, axis = plt.subplots(figsize=(7, 4))
    for name, cell, remember in [("SimpleRNN (tanh)", layers.SimpleRNNCell(32), None),
                                 ("LSTM, initialised", layers.LSTMCell(32), None),
                                 ("LSTM, forget gate ≈ 0.95", layers.LSTMCell(32), "forget"),
                                 ("GRU, initialised", layers.GRUCell(32), None),
                                 ("GRU, update gate ≈ 0.95", layers.GRUCell(32), "update")]:
        norms = gradient_norms(cell, x, remember)
        axis.semilogy(np.arange(1, args.steps + 1), norms, label=name)
        print(f"{name:26s} ‖∂L/∂h_t‖ at t = {args.steps}: {norms[-1]:.3g}, t = {args.steps // 2}: "
              f"{norms[args.steps // 2 - 1]:.3g}, t = 1: {norms[0]:.3g}")
    axis.set_xlabel("time step t")
    axis.set_ylabel("‖∂L/∂h_t‖  (L = Σ h_T)")
    axis.set_title(f"How far back the gradient reaches over {args.steps} steps")
    axis.legend()
    figure.savefig(args.out, dpi=120, bbox_inches="tight")
    print(f"plot saved to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
