"""HyperParameters: the ``hp`` object a model-building function draws its choices from.

KerasTuner's interface on top of an Optuna trial::

    def build_model(hp):
        model = gn.Sequential([gn.layers.Input((784,))])
        for i in range(hp.Int("blocks", 2, 4)):
            model.add(gn.layers.Dense(hp.Int(f"units_{i}", 50, 100, step=10), activation="relu"))
        if hp.Boolean("batch_norm"):
            model.add(gn.layers.BatchNormalization())
        model.add(gn.layers.Dense(10, activation="softmax"))
        lr = hp.Float("learning_rate", 1e-4, 1e-1, sampling="log")
        model.compile(gn.optimizers.Adam(lr), "sparse_categorical_crossentropy", metrics=["accuracy"])
        return model

Each call asks the trial for a value (``suggest_int``, ``suggest_float(log=...)``,
``suggest_categorical``) and records it in ``hp.values``. Asking again for a name already
drawn in this trial returns the same value.

Conditional parameters come for free from Optuna's define-by-run: a parameter drawn only
inside a branch exists only in the trials that take that branch (above, ``units_3`` exists
only when ``blocks == 4``). ``with hp.conditional_scope(parent, values):`` says the same
explicitly, KerasTuner's way: inside it, a parameter is drawn only when ``hp.values[parent]``
is one of ``values``; otherwise it is not drawn and its default is returned.

Without a trial (``HyperParameters()``) every call returns its default, so a build function
can be called on its own: Int and Float default to ``min_value``, Choice to its first value,
Boolean to False.
"""
from __future__ import annotations

import contextlib
import math

import numpy as np

_SAMPLINGS = ("linear", "log")


class HyperParameters:
    """The search space, declared by calling it; the values of one trial.

    Args:
        trial: an ``optuna.Trial`` (or ``optuna.trial.FixedTrial``) that draws the values;
            None returns every parameter's default.

    Attributes:
        values: ``{name: value}`` of the parameters drawn so far (Fixed ones included).
        space: ``{name: list of values}`` for the parameters that can be enumerated (Choice,
            Boolean, Int, Float with a step); None for a continuous Float. Used by the
            grid search.
    """

    def __init__(self, trial=None):
        self.trial = trial
        self.values = {}
        self.space = {}
        self._scopes = []

    # --- the parameter kinds ---------------------------------------------------------
    def Int(self, name, min_value, max_value, step=None, sampling="linear", default=None, parent_name=None,
            parent_values=None):
        """An integer in [min_value, max_value] (both included), every ``step`` (default 1);
        ``sampling="log"`` draws log-uniformly (step must then be 1 or None)."""
        min_value, max_value = int(min_value), int(max_value)
        _check_range(name, min_value, max_value, sampling)
        if sampling == "log" and step not in (None, 1):
            raise ValueError(f"hp.Int({name!r}): log sampling takes no step (got step={step})")
        step = 1 if step is None else int(step)
        if step <= 0:
            raise ValueError(f"hp.Int({name!r}): step must be positive, got {step}")
        default = min_value if default is None else int(default)
        self.space.setdefault(name, list(range(min_value, max_value + 1, step)))
        return self._draw(name, default, parent_name, parent_values,
                          lambda t: t.suggest_int(name, min_value, max_value, step=step, log=sampling == "log"))

    def Float(self, name, min_value, max_value, step=None, sampling="linear", default=None, parent_name=None,
              parent_values=None):
        """A float in [min_value, max_value]; ``sampling="log"`` draws log-uniformly (the
        course's learning rate); ``step`` makes it discrete (linear sampling only)."""
        min_value, max_value = float(min_value), float(max_value)
        _check_range(name, min_value, max_value, sampling)
        if sampling == "log" and step is not None:
            raise ValueError(f"hp.Float({name!r}): log sampling takes no step (got step={step})")
        default = min_value if default is None else float(default)
        grid = None if step is None else [float(v) for v in np.arange(min_value, max_value + step / 2, step)]
        self.space.setdefault(name, grid)
        return self._draw(name, default, parent_name, parent_values,
                          lambda t: t.suggest_float(name, min_value, max_value, step=step, log=sampling == "log"))

    def Choice(self, name, values, ordered=None, default=None, parent_name=None, parent_values=None):
        """One of ``values`` (ints, floats, strings, bools or None). ``ordered`` is accepted
        for KerasTuner's signature; Optuna's samplers treat the values as categories."""
        values = list(values)
        if not values:
            raise ValueError(f"hp.Choice({name!r}): values is empty")
        default = values[0] if default is None else default
        if default not in values:
            raise ValueError(f"hp.Choice({name!r}): default {default!r} is not one of {values}")
        self.space.setdefault(name, values)
        return self._draw(name, default, parent_name, parent_values, lambda t: t.suggest_categorical(name, values))

    def Boolean(self, name, default=False, parent_name=None, parent_values=None):
        """True or False."""
        return self.Choice(name, [False, True], default=bool(default), parent_name=parent_name,
                           parent_values=parent_values)

    def Fixed(self, name, value, parent_name=None, parent_values=None):
        """A constant, recorded in ``values`` (and the results table) but not searched."""
        if self._active(parent_name, parent_values):
            self.values[name] = value
        return value

    # --- conditions ------------------------------------------------------------------
    @contextlib.contextmanager
    def conditional_scope(self, parent_name, parent_values):
        """Parameters declared inside are drawn only when ``values[parent_name]`` is one of
        ``parent_values``; otherwise they return their defaults and are not recorded."""
        if parent_name not in self.values:
            raise ValueError(f"conditional_scope: {parent_name!r} has not been drawn yet")
        parent_values = list(parent_values) if isinstance(parent_values, (list, tuple, set)) else [parent_values]
        self._scopes.append((parent_name, parent_values))
        try:
            yield
        finally:
            self._scopes.pop()

    def is_active(self, name) -> bool:
        """True when ``name`` was drawn in this trial."""
        return name in self.values

    def get(self, name):
        """The value drawn for ``name`` (KeyError if it was not drawn)."""
        return self.values[name]

    def __getitem__(self, name):
        return self.values[name]

    def __contains__(self, name):
        return name in self.values

    def __repr__(self):
        return f"HyperParameters({self.values})"

    # --- one draw --------------------------------------------------------------------
    def _active(self, parent_name, parent_values) -> bool:
        scopes = list(self._scopes)
        if parent_name is not None:
            scopes.append((parent_name, list(parent_values) if isinstance(parent_values, (list, tuple, set))
                           else [parent_values]))
        return all(self.values.get(parent) in allowed for parent, allowed in scopes)

    def _draw(self, name, default, parent_name, parent_values, suggest):
        if not self._active(parent_name, parent_values):
            return default
        if name in self.values:
            return self.values[name]
        value = default if self.trial is None else suggest(self.trial)
        self.values[name] = value
        return value


def _check_range(name, min_value, max_value, sampling):
    if sampling not in _SAMPLINGS:
        raise ValueError(f"hp parameter {name!r}: sampling must be one of {_SAMPLINGS}, got {sampling!r}")
    if not (math.isfinite(min_value) and math.isfinite(max_value)) or min_value > max_value:
        raise ValueError(f"hp parameter {name!r}: need finite min_value <= max_value, got [{min_value}, {max_value}]")
    if sampling == "log" and min_value <= 0:
        raise ValueError(f"hp parameter {name!r}: log sampling needs min_value > 0, got {min_value}")
