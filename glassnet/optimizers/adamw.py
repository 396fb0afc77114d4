"""AdamW: Adam with decoupled weight decay (Loshchilov & Hutter, 2019).

Algorithm (Keras 3; η = learning_rate, λ = weight_decay)::

    Input: η, λ, β1, β2, ε, amsgrad, w_0, gradients g_t
    Initialise: m ← 0, v ← 0 (, v_max ← 0)
    for t = 1, 2, ...:
        w ← w − η·λ·w                                   (decay, before the Adam step)
        m ← β1·m + (1 − β1)·g_t
        v ← β2·v + (1 − β2)·g_t²
        α ← η·√(1 − β2^t) / (1 − β1^t)
        w ← w − α·m / (√v + ε)                         (the Adam step of ``adam.py``)

"Decoupled": the decay is not added to the gradient (L2 regularisation would put λ·w
into g, where Adam's 1/√v would rescale it); it shrinks w directly. The decay itself is
done by the ``Optimizer`` base class, which every optimizer shares (any optimizer takes
``weight_decay``); AdamW only makes it on by default. PyTorch's AdamW is the same with
λ = 0.01 [Keras 0.004] and ε = 1e-8.
"""
from __future__ import annotations

from .adam import Adam


class AdamW(Adam):
    """AdamW optimizer.

    Args:
        learning_rate: η (float or schedule). Defaults to 0.001.
        weight_decay: λ ≥ 0. Defaults to 0.004.
        beta_1, beta_2, epsilon, amsgrad: as ``Adam`` (0.9, 0.999, 1e-7, False).
        clipnorm, clipvalue, global_clipnorm, name: see ``Optimizer``.

    Raises:
        ValueError: if ``weight_decay`` is None or negative, or as ``Adam``.
    """

    _default_name = "adamw"

    def __init__(self, learning_rate=0.001, weight_decay=0.004, beta_1=0.9, beta_2=0.999, epsilon=1e-7,
                 amsgrad=False, clipnorm=None, clipvalue=None, global_clipnorm=None, name=None, **kwargs):
        if weight_decay is None:
            raise ValueError("AdamW: argument `weight_decay` must be a float >= 0, got None")
        super().__init__(learning_rate, beta_1=beta_1, beta_2=beta_2, epsilon=epsilon, amsgrad=amsgrad,
                         weight_decay=weight_decay, clipnorm=clipnorm, clipvalue=clipvalue,
                         global_clipnorm=global_clipnorm, name=name, **kwargs)
