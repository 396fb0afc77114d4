"""Whole-sequence recurrent ops with hand-written backpropagation through time (BPTT).

A recurrent layer splits its work in two (Keras's ``implementation=2`` idea):

* the input part x_t·W + b of every step does not depend on the state, so the caller
  computes it for all T steps at once with ONE matmul: ``x_proj = x·W + b`` (n, T, k·u),
  whose gradient autograd gives;
* the recurrence (this file) loops over time. Step t costs one (n, u)×(u, k·u) matmul
  z = x_proj_t + h_{t−1}·U and element-wise gate arithmetic, written into preallocated
  time-major buffers. Backward runs the same loop in reverse (BPTT): one matmul
  ∂h_{t−1} += ∂z_t·Uᵀ per step, and ∂U = Σ_t h_{t−1}ᵀ·∂z_t as ONE matmul at the end
  over the stacked (T·n, u) states and (T·n, k·u) gate gradients.

The three ops (gates in Keras's order; σ = ``recurrent_activation``, φ = ``activation``)::

    simple_rnn_sequence   h_t = φ(x_t + h_{t−1}·U)
    lstm_sequence         [z_i z_f z_c z_o] = x_t + h_{t−1}·U
                          i = σ(z_i), f = σ(z_f), c̃ = φ(z_c), o = σ(z_o)
                          c_t = f ⊙ c_{t−1} + i ⊙ c̃,   h_t = o ⊙ φ(c_t)
    gru_sequence          [r_z r_r r_h] = h_{t−1}·U + b'        (reset_after=True)
                          z = σ(x_z + r_z), r = σ(x_r + r_r), h̃ = φ(x_h + r ⊙ r_h)
                          [r_z r_r] = h_{t−1}·U_zr               (reset_after=False)
                          z = σ(x_z + r_z), r = σ(x_r + r_r), h̃ = φ(x_h + (r ⊙ h_{t−1})·U_h)
                          h_t = z ⊙ h_{t−1} + (1 − z) ⊙ h̃

Shared options (Keras semantics, see CONVENTIONS.md "Recurrent details"):

* ``mask`` (n, T) bool, not differentiated: at a masked step every state is carried
  over unchanged and the step's output repeats the previous output (zeros before the
  first valid step); a masked step gets zero gradient into x_proj.
* ``go_backwards``: the steps run from T−1 down to 0; the outputs are in processing
  order (reversed time), as Keras returns them.
* ``recurrent_dropout``: fixed multiplicative masks on h_{t−1} before the recurrent
  matmul, one per gate as Keras 3's cells use them (``implementation=1``): (n, u) for
  SimpleRNN, (3, n, u) for GRU (z, r, h), (4, n, u) for LSTM (i, f, c, o). Constants.
* activations: "tanh", "sigmoid", "relu", "linear", "hard_sigmoid" (relu6(x + 3)/6);
  any other raises ValueError (a layer then falls back to a composed step loop).

Each function returns Tensors ``(outputs, *final_states)``: outputs (n, T, u) is the
h_t of every step in processing order. Internally the op returns ONE packed array
(n, T + s, u) — the T outputs followed by the s final states — and the function slices
it with ``getitem``, so a gradient reaching any of the pieces flows back through BPTT.

Files: ``recurrent_base.py`` (the activations, h·U with recurrent dropout, the loop over
time with masking and go_backwards), ``recurrent_simple.py``, ``recurrent_lstm.py`` and
``recurrent_gru.py`` (one op each: the step's forward and its backward side by side, then
the functional form), ``recurrent_kernels.py`` (the optional compiled LSTM and GRU steps).
"""
from __future__ import annotations

from .recurrent_gru import GRUSequence, gru_sequence
from .recurrent_lstm import LSTMSequence, lstm_sequence
from .recurrent_simple import SimpleRNNSequence, simple_rnn_sequence

__all__ = ["SimpleRNNSequence", "LSTMSequence", "GRUSequence", "simple_rnn_sequence", "lstm_sequence", "gru_sequence"]
