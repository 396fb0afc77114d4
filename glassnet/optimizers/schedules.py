"""Learning-rate schedules: η as a function of the optimizer step t.

An optimizer given a schedule as its ``learning_rate`` evaluates it at its own step
counter before every update: ``η_t = schedule(optimizer.iterations)``, so the first
update uses ``schedule(0)``. Formulas (Keras 3's, with ``t`` the step):

==========================  ===============================================================
ExponentialDecay            η_t = η_0 · r^(t / T)          (staircase: r^⌊t / T⌋)
PiecewiseConstantDecay      η_t = values[i]  for  boundaries[i−1] < t ≤ boundaries[i]
CosineDecay                 η_t = η_0 · ((1 − α) · ½(1 + cos(π · min(t, T) / T)) + α)
                            (with warmup: linear from η_0 to warmup_target over
                            warmup_steps steps, then the cosine from warmup_target)
InverseTimeDecay            η_t = η_0 / (1 + r · t / T)    (staircase: r · ⌊t / T⌋)
PolynomialDecay             η_t = (η_0 − η_end) · (1 − min(t, T) / T)^power + η_end
                            (cycle: T grows to the next multiple of T above t)
CosineDecayRestarts         the cosine of CosineDecay restarted after T_0, T_0·t_mul,
                            T_0·t_mul², ... steps, each restart's peak m_mul times the last
==========================  ===============================================================

Each schedule is a plain callable ``schedule(step) -> float`` with ``get_config()`` /
``from_config()``; ``serialize`` / ``deserialize`` turn one into a
``{"class_name": ..., "config": ...}`` dict and back.
"""
from __future__ import annotations

import math
import numbers

from ..registry import Registry

__all__ = ["LearningRateSchedule", "ExponentialDecay", "PiecewiseConstantDecay", "CosineDecay",
           "InverseTimeDecay", "PolynomialDecay", "CosineDecayRestarts", "serialize", "deserialize", "get"]


def _check_number(owner: str, name: str, value, *, positive: bool = False, non_negative: bool = False):
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
        raise ValueError(f"{owner}: argument `{name}` must be a finite number, got {value!r}")
    if positive and value <= 0:
        raise ValueError(f"{owner}: argument `{name}` must be > 0, got {value!r}")
    if non_negative and value < 0:
        raise ValueError(f"{owner}: argument `{name}` must be >= 0, got {value!r}")
    return value


def _step_value(step) -> float:
    """The step as a float (accepts ints, NumPy scalars and 0-d arrays or Tensors)."""
    if hasattr(step, "numpy"):       # a glassnet Tensor
        step = step.numpy()
    return float(step)


class LearningRateSchedule:
    """Base class: a callable mapping the optimizer step to a learning rate.

    Subclasses implement ``__call__(step) -> float`` and ``get_config()``;
    ``from_config(config)`` calls ``cls(**config)``.

    Example:
        >>> class OneOverT(LearningRateSchedule):
        ...     def __init__(self, initial_learning_rate):
        ...         self.initial_learning_rate = initial_learning_rate
        ...     def __call__(self, step):
        ...         return self.initial_learning_rate / (step + 1)
        ...     def get_config(self):
        ...         return {"initial_learning_rate": self.initial_learning_rate}
    """

    def __call__(self, step) -> float:
        raise NotImplementedError(f"Learning rate schedule {type(self).__name__!r} must override __call__(step)")

    def get_config(self) -> dict:
        raise NotImplementedError(
            f"Learning rate schedule {type(self).__name__!r} must override get_config() to be serializable")

    @classmethod
    def from_config(cls, config: dict) -> "LearningRateSchedule":
        """Re-create the schedule from the output of ``get_config()``."""
        return cls(**config)

    def __repr__(self) -> str:
        try:
            arguments = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items() if k != "name")
        except NotImplementedError:
            arguments = ""
        return f"{type(self).__name__}({arguments})"


class _StepDecay(LearningRateSchedule):
    """What ExponentialDecay and InverseTimeDecay share: η_0, T = decay_steps, r = decay_rate,
    and the progress p = t / T (⌊t / T⌋ with ``staircase``) that their formulas use."""

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase, name):
        owner = type(self).__name__
        self.initial_learning_rate = _check_number(owner, "initial_learning_rate", initial_learning_rate)
        self.decay_steps = _check_number(owner, "decay_steps", decay_steps, positive=True)
        self.decay_rate = _check_number(owner, "decay_rate", decay_rate)
        self.staircase = bool(staircase)
        self.name = name

    def _progress(self, step) -> float:
        """p = t / T, or ⌊t / T⌋ with ``staircase``."""
        p = _step_value(step) / self.decay_steps
        return math.floor(p) if self.staircase else p

    def get_config(self) -> dict:
        return {"initial_learning_rate": self.initial_learning_rate, "decay_steps": self.decay_steps,
                "decay_rate": self.decay_rate, "staircase": self.staircase, "name": self.name}


class ExponentialDecay(_StepDecay):
    """Exponential decay: ``η_t = η_0 · decay_rate^(t / decay_steps)``.

    With ``staircase=True`` the exponent is the integer ``⌊t / decay_steps⌋``, so η
    drops by the factor ``decay_rate`` once every ``decay_steps`` steps.

    Args:
        initial_learning_rate: η_0.
        decay_steps: T, a positive number of steps.
        decay_rate: r, the factor applied every T steps.
        staircase: decay in discrete jumps.
        name: a label (kept in the config).
    """

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False, name="ExponentialDecay"):
        super().__init__(initial_learning_rate, decay_steps, decay_rate, staircase, name)

    def __call__(self, step) -> float:
        return float(self.initial_learning_rate * self.decay_rate ** self._progress(step))


class PiecewiseConstantDecay(LearningRateSchedule):
    """Piecewise constant: ``values[0]`` while ``t ≤ boundaries[0]``, ``values[1]`` while
    ``boundaries[0] < t ≤ boundaries[1]``, ..., ``values[-1]`` once ``t > boundaries[-1]``.

    Args:
        boundaries: strictly increasing step numbers.
        values: the learning rates, one more than ``boundaries``.
        name: a label (kept in the config).

    Raises:
        ValueError: if ``len(values) != len(boundaries) + 1`` or the boundaries do not
            increase.
    """

    def __init__(self, boundaries, values, name="PiecewiseConstant"):
        boundaries, values = list(boundaries), list(values)
        if len(boundaries) != len(values) - 1:
            raise ValueError(
                f"PiecewiseConstantDecay: `values` must have one more element than `boundaries`; got "
                f"boundaries={boundaries} (length {len(boundaries)}) and values={values} (length {len(values)})")
        for b in boundaries:
            _check_number("PiecewiseConstantDecay", "boundaries", b)
        for v in values:
            _check_number("PiecewiseConstantDecay", "values", v)
        if any(b1 >= b2 for b1, b2 in zip(boundaries, boundaries[1:])):
            raise ValueError(f"PiecewiseConstantDecay: `boundaries` must be strictly increasing, got {boundaries}")
        self.boundaries = boundaries
        self.values = values
        self.name = name

    def __call__(self, step) -> float:
        t = _step_value(step)
        for boundary, value in zip(self.boundaries, self.values):
            if t <= boundary:
                return float(value)
        return float(self.values[-1])

    def get_config(self) -> dict:
        return {"boundaries": self.boundaries, "values": self.values, "name": self.name}


class CosineDecay(LearningRateSchedule):
    """Cosine decay, with an optional linear warmup first.

    Without warmup (``warmup_target=None``)::

        t' = min(t, T)
        η_t = η_0 · ((1 − α) · ½ · (1 + cos(π · t' / T)) + α)

    so η goes from η_0 down to α·η_0 over T = ``decay_steps`` steps and stays there.
    With ``warmup_target`` set, η first rises linearly from η_0 to ``warmup_target``
    over ``warmup_steps`` steps (``η_t = η_0 + (warmup_target − η_0) · t / warmup_steps``),
    then follows the cosine from ``warmup_target`` with ``t − warmup_steps``.

    Args:
        initial_learning_rate: η_0.
        decay_steps: T, a positive number of steps to decay over.
        alpha: the final learning rate as a fraction of the starting one.
        name: a label (kept in the config).
        warmup_target: the learning rate reached at the end of the warmup, or None.
        warmup_steps: the number of warmup steps (used only with ``warmup_target``).
    """

    def __init__(self, initial_learning_rate, decay_steps, alpha=0.0, name="CosineDecay", warmup_target=None,
                 warmup_steps=0):
        owner = "CosineDecay"
        self.initial_learning_rate = _check_number(owner, "initial_learning_rate", initial_learning_rate)
        self.decay_steps = _check_number(owner, "decay_steps", decay_steps, positive=True)
        self.alpha = _check_number(owner, "alpha", alpha)
        self.name = name
        self.warmup_target = None if warmup_target is None else _check_number(owner, "warmup_target", warmup_target)
        self.warmup_steps = _check_number(owner, "warmup_steps", warmup_steps, non_negative=True)

    def _decay(self, t: float, start: float) -> float:
        cosine = 0.5 * (1.0 + math.cos(math.pi * t / self.decay_steps))
        return start * ((1.0 - self.alpha) * cosine + self.alpha)

    def __call__(self, step) -> float:
        t = _step_value(step)
        if self.warmup_target is None:
            return float(self._decay(min(t, self.decay_steps), self.initial_learning_rate))
        t = min(t, self.decay_steps + self.warmup_steps)
        if t < self.warmup_steps:
            fraction = t / self.warmup_steps
            return float(self.initial_learning_rate + (self.warmup_target - self.initial_learning_rate) * fraction)
        return float(self._decay(t - self.warmup_steps, self.warmup_target))

    def get_config(self) -> dict:
        return {"initial_learning_rate": self.initial_learning_rate, "decay_steps": self.decay_steps,
                "alpha": self.alpha, "name": self.name, "warmup_target": self.warmup_target,
                "warmup_steps": self.warmup_steps}


class InverseTimeDecay(_StepDecay):
    """Inverse-time decay: ``η_t = η_0 / (1 + decay_rate · t / decay_steps)``.

    With ``staircase=True`` the fraction is the integer ``⌊t / decay_steps⌋``. With
    ``decay_steps=1`` this is the course's ``α = α_0 / (1 + decay_rate · epoch_num)``
    when the step counts epochs.

    Args:
        initial_learning_rate: η_0.
        decay_steps: T, a positive number of steps.
        decay_rate: r.
        staircase: decay in discrete jumps.
        name: a label (kept in the config).
    """

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False, name="InverseTimeDecay"):
        super().__init__(initial_learning_rate, decay_steps, decay_rate, staircase, name)

    def __call__(self, step) -> float:
        return float(self.initial_learning_rate / (1.0 + self.decay_rate * self._progress(step)))


class PolynomialDecay(LearningRateSchedule):
    """Polynomial decay from η_0 to η_end over T = ``decay_steps`` steps::

        t' = min(t, T)                                 (cycle=False: then stay at η_end)
        T' = T · max(1, ⌈t / T⌉)                       (cycle=True, and t' = t: decay again,
                                                        each time over a longer span)
        η_t = (η_0 − η_end) · (1 − t' / T')^power + η_end

    ``power=1`` is a straight line from η_0 to η_end.

    Args:
        initial_learning_rate: η_0.
        decay_steps: T, a positive number of steps.
        end_learning_rate: η_end. Defaults to 0.0001.
        power: the exponent of the polynomial. Defaults to 1.0.
        cycle: restart the decay after T steps (over T' as above). Defaults to False.
        name: a label (kept in the config).

    Raises:
        ValueError: if ``decay_steps`` is not positive, or an argument is not a number.
    """

    def __init__(self, initial_learning_rate, decay_steps, end_learning_rate=0.0001, power=1.0, cycle=False,
                 name="PolynomialDecay"):
        owner = "PolynomialDecay"
        self.initial_learning_rate = _check_number(owner, "initial_learning_rate", initial_learning_rate)
        self.decay_steps = _check_number(owner, "decay_steps", decay_steps, positive=True)
        self.end_learning_rate = _check_number(owner, "end_learning_rate", end_learning_rate)
        self.power = _check_number(owner, "power", power)
        self.cycle = bool(cycle)
        self.name = name

    def __call__(self, step) -> float:
        t, T = _step_value(step), float(self.decay_steps)
        if self.cycle:
            T = T * (1.0 if t == 0 else math.ceil(t / T))        # T' ← T·⌈t / T⌉
        else:
            t = min(t, T)
        p = t / T
        return float((self.initial_learning_rate - self.end_learning_rate) * (1 - p) ** self.power
                     + self.end_learning_rate)

    def get_config(self) -> dict:
        return {"initial_learning_rate": self.initial_learning_rate, "decay_steps": self.decay_steps,
                "end_learning_rate": self.end_learning_rate, "power": self.power, "cycle": self.cycle,
                "name": self.name}


class CosineDecayRestarts(LearningRateSchedule):
    """Cosine decay with warm restarts (SGDR, Loshchilov & Hutter, 2017).

    The i-th period (i = 0, 1, ...) lasts T_i = T_0 · t_mul^i steps and starts at
    η_0 · m_mul^i. With f = t / T_0 the fraction of the first period done::

        t_mul = 1:   i = ⌊f⌋,                                  f_i = f − i
        t_mul ≠ 1:   i = ⌊log(1 − f·(1 − t_mul)) / log(t_mul)⌋,
                     f_i = (f − (1 − t_mul^i) / (1 − t_mul)) / t_mul^i
        η_t = η_0 · ((1 − α) · m_mul^i · ½ · (1 + cos(π · f_i)) + α)

    f_i ∈ [0, 1) is how far into its own period step t is.

    Args:
        initial_learning_rate: η_0.
        first_decay_steps: T_0, the length of the first period (positive).
        t_mul: each period is this many times longer than the one before. Defaults to 2.0.
        m_mul: each period's starting rate is this times the one before. Defaults to 1.0.
        alpha: the minimum learning rate as a fraction of η_0. Defaults to 0.0.
        name: a label (kept in the config). Defaults to "SGDRDecay", as in Keras.

    Raises:
        ValueError: if ``first_decay_steps`` is not positive, or an argument is not a number.
    """

    def __init__(self, initial_learning_rate, first_decay_steps, t_mul=2.0, m_mul=1.0, alpha=0.0,
                 name="SGDRDecay"):
        owner = "CosineDecayRestarts"
        self.initial_learning_rate = _check_number(owner, "initial_learning_rate", initial_learning_rate)
        self.first_decay_steps = _check_number(owner, "first_decay_steps", first_decay_steps, positive=True)
        self.t_mul = _check_number(owner, "t_mul", t_mul, positive=True)
        self.m_mul = _check_number(owner, "m_mul", m_mul)
        self.alpha = _check_number(owner, "alpha", alpha)
        self.name = name

    def _period(self, f: float) -> tuple:
        """(i, f_i): which period the fraction f of the first period falls in, and how far into it."""
        t_mul = self.t_mul
        if t_mul == 1.0:
            i = math.floor(f)
            return i, f - i
        i = math.floor(math.log(1.0 - f * (1.0 - t_mul)) / math.log(t_mul))
        sum_r = (1.0 - t_mul ** i) / (1.0 - t_mul)              # T_0 + ... + T_{i−1}, in units of T_0
        return i, (f - sum_r) / t_mul ** i

    def __call__(self, step) -> float:
        i, f_i = self._period(_step_value(step) / self.first_decay_steps)
        cosine = 0.5 * self.m_mul ** i * (1.0 + math.cos(math.pi * f_i))
        return float(self.initial_learning_rate * ((1 - self.alpha) * cosine + self.alpha))

    def get_config(self) -> dict:
        return {"initial_learning_rate": self.initial_learning_rate, "first_decay_steps": self.first_decay_steps,
                "t_mul": self.t_mul, "m_mul": self.m_mul, "alpha": self.alpha, "name": self.name}


_REGISTRY = Registry("schedules", "learning rate schedule", {
    cls.__name__: cls for cls in (ExponentialDecay, PiecewiseConstantDecay, CosineDecay, InverseTimeDecay,
                                PolynomialDecay, CosineDecayRestarts)
}, instances_of=LearningRateSchedule, call_names=False, instantiate=None)


def serialize(schedule: LearningRateSchedule) -> dict:
    """``{"class_name": ..., "config": ...}`` for a schedule."""
    return _REGISTRY.serialize(schedule)


def deserialize(config: dict, custom_objects: dict | None = None) -> LearningRateSchedule:
    """The schedule described by a ``serialize`` dict.

    Args:
        config: ``{"class_name": name, "config": {...}}``.
        custom_objects: optional ``{name: class}`` for user-defined schedules.

    Raises:
        ValueError: for a malformed dict or an unknown class name.
    """
    return _REGISTRY.deserialize(config, custom_objects)


def get(identifier):
    """A schedule from an instance or a ``serialize`` dict (None gives None)."""
    return _REGISTRY.get(identifier)
