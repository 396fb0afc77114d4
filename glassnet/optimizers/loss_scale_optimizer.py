"""LossScaleOptimizer: dynamic loss scaling around another optimizer (for float16 training).

Algorithm (Keras 3; S = the loss scale, N = dynamic_growth_steps)::

    Input: an inner optimizer, S_0 = initial_scale, N
    Initialise: S ← S_0,  k ← 0                          (k: finite steps since S last changed)
    for each step:
        the training step backpropagates S·loss          (``scale_loss``), giving gradients S·g
        if every gradient is finite:
            the inner optimizer updates with g = (S·g) / S
            if k = N − 1:  S ← 2·S,  k ← 0               (N good steps in a row: try a larger S)
            else:          k ← k + 1
        else:                                             (S·g overflowed: skip this step)
            S ← S / 2,  k ← 0

In float16 a gradient below ~6e-8 is 0 and one above 65504 is inf. Scaling the loss by S
shifts the gradients up out of the underflow range; S is halved whenever that overflows
and doubled after N finite steps, so it stays near the largest safe value. A skipped
step does not count as an update (the inner optimizer's ``iterations`` does not move).
"""
from __future__ import annotations

import numbers

import numpy as np

from ..tensor import Tensor
from .base import Optimizer, check_number

_BASE_DEFAULTS = {"weight_decay": None, "clipnorm": None, "global_clipnorm": None, "clipvalue": None,
                  "use_ema": False, "ema_momentum": 0.99, "ema_overwrite_frequency": None,
                  "loss_scale_factor": None, "gradient_accumulation_steps": None, "learning_rate": None}


class LossScaleOptimizer(Optimizer):
    """An optimizer that scales the loss dynamically and skips steps whose gradients overflow.

    Args:
        inner_optimizer: the optimizer that makes the updates (its ``loss_scale_factor``
            is set to None: this class does the scaling).
        initial_scale: S_0 > 0. Defaults to 2**15.
        dynamic_growth_steps: N ≥ 1, finite steps before S doubles. Defaults to 2000.
        name: a label. Defaults to "lossscaleoptimizer".
        **kwargs: the other optimizer arguments are refused (set them on the inner
            optimizer), as is ``dynamic=False`` (use the inner optimizer's
            ``loss_scale_factor`` for a fixed scale).

    Attributes:
        dynamic_scale: S now.
        step_counter: k now.
        learning_rate, iterations: the inner optimizer's.

    Raises:
        ValueError: for an inner optimizer that is not an ``Optimizer``, a bad
            ``initial_scale``/``dynamic_growth_steps``, or another optimizer argument.
    """

    _default_name = "lossscaleoptimizer"

    def __init__(self, inner_optimizer, initial_scale=2.0**15, dynamic_growth_steps=2000, name=None, **kwargs):
        owner = "LossScaleOptimizer"
        if not kwargs.pop("dynamic", True):
            raise ValueError(f"{owner} no longer supports `dynamic=False`; set `loss_scale_factor` on the "
                             "`inner_optimizer` for a fixed scale")
        for key in [k for k in kwargs if k in _BASE_DEFAULTS]:
            value = kwargs.pop(key)
            if value != _BASE_DEFAULTS[key] or (value is not None and _BASE_DEFAULTS[key] is None):
                raise ValueError(f"{owner} does not support `{key}`; set `{key}` on the `inner_optimizer` instead")
        if kwargs:
            raise ValueError(f"{owner} does not support arguments: {', '.join(map(repr, kwargs))}")
        if not isinstance(inner_optimizer, Optimizer):
            raise ValueError(f"{owner}: `inner_optimizer` must be a glassnet Optimizer, got {inner_optimizer!r}")
        super().__init__(0.0, name=name)
        self.inner_optimizer = inner_optimizer
        self.initial_scale = check_number(owner, "initial_scale", initial_scale, 0, low_open=True)
        if (isinstance(dynamic_growth_steps, bool) or not isinstance(dynamic_growth_steps, numbers.Integral)
                or dynamic_growth_steps < 1):
            raise ValueError(f"{owner}: argument `dynamic_growth_steps` must be an int >= 1, got "
                             f"{dynamic_growth_steps!r}")
        self.dynamic_growth_steps = int(dynamic_growth_steps)
        self.inner_optimizer.loss_scale_factor = None
        self.dynamic_scale = self.initial_scale
        self.step_counter = 0
        # the inner optimizer's variable list, shared, so step() and zero_grad() see it
        self._variables, self._index = inner_optimizer._variables, inner_optimizer._index

    # --- what the inner optimizer owns ------------------------------------------------------
    @property
    def learning_rate(self) -> float:
        return self.inner_optimizer.learning_rate

    @learning_rate.setter
    def learning_rate(self, value) -> None:
        self.inner_optimizer.learning_rate = value

    @property
    def iterations(self) -> int:
        return self.inner_optimizer.iterations

    def build(self, variables) -> None:
        self.inner_optimizer.build(variables)
        self.built = True

    def get_slot(self, variable, name):
        return self.inner_optimizer.get_slot(variable, name)

    def finalize_variable_values(self, var_list) -> None:
        self.inner_optimizer.finalize_variable_values(var_list)

    # --- the scaled step --------------------------------------------------------------------
    def scale_loss(self, loss):
        """S·loss (S_0·loss before the first step)."""
        return loss * (self.dynamic_scale if self.built else self.initial_scale)

    def apply(self, grads, trainable_variables=None) -> None:
        """One step: unscale and apply ``grads`` if all are finite, else skip; then adjust S."""
        grads = [None if g is None else (g.data if isinstance(g, Tensor) else np.asarray(g)) for g in grads]
        if not self.built and trainable_variables is not None:
            self.build(list(trainable_variables))
        if all(np.all(np.isfinite(g)) for g in grads if g is not None):
            S = self.dynamic_scale
            self.inner_optimizer.apply([None if g is None else g / S for g in grads], trainable_variables)
            if self.step_counter == self.dynamic_growth_steps - 1:
                self.step_counter, self.dynamic_scale = 0, S * 2.0          # S ← 2·S
            else:
                self.step_counter += 1
        else:
            self.step_counter, self.dynamic_scale = 0, self.dynamic_scale * 0.5   # skip; S ← S/2
        self.built = True

    # --- state and config -------------------------------------------------------------------
    def variables(self) -> list:
        """``[step_counter, dynamic_scale, *inner_optimizer.variables()]``."""
        return [np.array(self.step_counter, dtype=np.int64), np.array(self.dynamic_scale, dtype=np.float32),
                *self.inner_optimizer.variables()]

    def load_own_variables(self, store) -> None:
        arrays = [store[str(i)] for i in range(len(store))] if hasattr(store, "keys") else list(store)
        if len(arrays) < 2:
            raise ValueError(f"LossScaleOptimizer.load_own_variables: got {len(arrays)} arrays, expected "
                             "step_counter, dynamic_scale and the inner optimizer's")
        self.inner_optimizer.load_own_variables(arrays[2:])
        self.step_counter, self.dynamic_scale = int(arrays[0]), float(arrays[1])

    set_state = load_own_variables

    def get_config(self) -> dict:
        from . import serialize

        return {"name": self.name, "inner_optimizer": serialize(self.inner_optimizer),
                "initial_scale": self.initial_scale, "dynamic_growth_steps": self.dynamic_growth_steps}

    @classmethod
    def from_config(cls, config: dict, custom_objects: dict | None = None) -> "LossScaleOptimizer":
        from . import deserialize

        config = dict(config)
        inner = config.pop("inner_optimizer")
        inner = inner if isinstance(inner, Optimizer) else deserialize(inner, custom_objects)
        return cls(inner, **config)
