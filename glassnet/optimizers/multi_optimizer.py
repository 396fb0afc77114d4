"""MultiOptimizer and OptimizerMap: a different optimizer for different variables (Keras 3.15).

::

    for each step, with gradients g_i of the variables w_i:
        group the (g_i, w_i) by the optimizer chosen for w_i     (by its path, e.g. "encoder/dense/kernel")
        each optimizer applies its group                          (its own slots, clipping, iterations)
        t ← t + 1                                                 (the MultiOptimizer's own count)

The choice is made once per variable, when the MultiOptimizer is built: by an
``OptimizerMap`` (the variable's path matched against keys, exactly or as regular
expressions, else the default optimizer) or by any function ``variable -> optimizer``.

Example::

    opt_map = OptimizerMap(default_optimizer=SGD(0.01), optimizer_map={"encoder/.*": Adam(1e-3)})
    model.compile(optimizer=MultiOptimizer(opt_map), loss="mse")
"""
from __future__ import annotations

import re
from collections.abc import MutableMapping

from .base import Optimizer
from .loss_scale_optimizer import LossScaleOptimizer


def _check_inner(optimizer, what: str) -> None:
    if not isinstance(optimizer, Optimizer):
        raise ValueError(f"{what} must be a glassnet Optimizer instance, got {optimizer!r}")
    if isinstance(optimizer, LossScaleOptimizer):
        raise ValueError(f"{what} cannot be a LossScaleOptimizer (wrap the MultiOptimizer's optimizers instead)")
    if isinstance(optimizer, MultiOptimizer):
        raise ValueError(f"{what} cannot be a MultiOptimizer")


class OptimizerMap(MutableMapping):
    """Variable path → optimizer, with a default for the paths no key matches.

    ``optimizer_map[path]`` is the optimizer of the key equal to ``path``; else of the one
    key that matches it as a regular expression (``re.fullmatch``: "encoder/.*" matches
    every path under "encoder/", "encoder" only that path); else ``default_optimizer``.

    Args:
        default_optimizer: the optimizer of the unmatched variables.
        optimizer_map: an optional dict of key → optimizer.

    Raises:
        TypeError: for a default that is not an Optimizer, or an ``optimizer_map`` that
            is not a dict.
        ValueError: (on lookup) when a path matches more than one pattern; (on setting)
            for a duplicate or non-string key, or a value that is not a plain Optimizer.
    """

    def __init__(self, default_optimizer, optimizer_map=None):
        if not isinstance(default_optimizer, Optimizer):
            raise TypeError(f"OptimizerMap: default_optimizer must be a glassnet Optimizer, got {default_optimizer!r}")
        if optimizer_map is not None and not isinstance(optimizer_map, dict):
            raise TypeError(f"OptimizerMap: optimizer_map must be a dict, got {optimizer_map!r}")
        self._default_optimizer = default_optimizer
        self._optimizer_map = dict(optimizer_map or {})

    @property
    def default_optimizer(self) -> Optimizer:
        return self._default_optimizer

    def __getitem__(self, key):
        if key in self._optimizer_map:
            return self._optimizer_map[key]
        matching = [pattern for pattern in self._optimizer_map if re.fullmatch(pattern, key)]
        if len(matching) > 1:
            raise ValueError(f"OptimizerMap: multiple optimizers assigned to variable {key!r} (patterns {matching})")
        return self._optimizer_map[matching[0]] if matching else self._default_optimizer

    def __setitem__(self, key, optimizer):
        if key in self._optimizer_map:
            raise ValueError(f"OptimizerMap: {key!r} already exists with value {self._optimizer_map[key]!r}; "
                             "keys must not repeat")
        if not isinstance(key, str):
            raise ValueError(f"OptimizerMap: key must be a string, got {key!r}")
        _check_inner(optimizer, "OptimizerMap: optimizer")
        self._optimizer_map[key] = optimizer

    def __delitem__(self, key):
        del self._optimizer_map[key]

    def __len__(self):
        return len(self._optimizer_map)

    def __iter__(self):
        return iter(self._optimizer_map)

    def __call__(self, variable) -> Optimizer:
        """The optimizer of ``variable``, by its path."""
        return self[_path(variable)]

    def get_config(self) -> dict:
        from . import serialize

        return {"default_optimizer": serialize(self._default_optimizer),
                "optimizer_map": {key: serialize(opt) for key, opt in self._optimizer_map.items()}}

    @classmethod
    def from_config(cls, config: dict, custom_objects=None) -> "OptimizerMap":
        from . import deserialize

        def load(item):
            return item if isinstance(item, Optimizer) else deserialize(item, custom_objects)

        return cls(load(config["default_optimizer"]),
                   {key: load(value) for key, value in (config.get("optimizer_map") or {}).items()})


def _path(variable) -> str:
    return str(getattr(variable, "path", None) or getattr(variable, "name", None) or "")


class MultiOptimizer(Optimizer):
    """An optimizer that hands each variable to the optimizer an ``OptimizerMap`` (or a function) picks.

    Args:
        optimizer_map: an ``OptimizerMap``, or a function ``variable -> Optimizer``.
        loss_scale_factor: set on every inner optimizer (see ``Optimizer``). Defaults to None.
        name: a label. Defaults to "multioptimizer".

    Attributes:
        optimizers: the inner optimizers, in the order first met.
        iterations: the number of steps applied through this optimizer.

    ``learning_rate`` is not defined here (each inner optimizer has its own): reading or
    setting it raises AttributeError, as in Keras. The saved state is
    ``[iterations, *each inner optimizer's variables()]``.

    Raises:
        ValueError: (when built) if the map gives something other than a plain
            Optimizer for a variable (a LossScaleOptimizer or a MultiOptimizer included).
    """

    _default_name = "multioptimizer"

    def __init__(self, optimizer_map, loss_scale_factor=None, name=None):
        if not callable(optimizer_map):
            raise ValueError(f"MultiOptimizer: optimizer_map must be an OptimizerMap or a function "
                             f"variable -> optimizer, got {optimizer_map!r}")
        self._inner_optimizers = []
        super().__init__(0.0, loss_scale_factor=loss_scale_factor, name=name)
        self._optimizer_map = optimizer_map
        for opt in [*getattr(optimizer_map, "values", list)(), getattr(optimizer_map, "default_optimizer", None)]:
            if opt is not None and not any(opt is known for known in self._inner_optimizers):
                self._adopt(opt)
        self._var_to_optimizer = {}

    def _adopt(self, opt) -> None:
        opt.loss_scale_factor = self.loss_scale_factor
        self._inner_optimizers.append(opt)

    @property
    def optimizers(self) -> list:
        return self._inner_optimizers

    @property
    def loss_scale_factor(self):
        return getattr(self, "_loss_scale_factor", None)

    @loss_scale_factor.setter
    def loss_scale_factor(self, value):
        self._loss_scale_factor = value
        for opt in getattr(self, "_inner_optimizers", ()):
            opt.loss_scale_factor = value

    @property
    def learning_rate(self):
        raise AttributeError("MultiOptimizer has no single learning rate; read it on the optimizers in "
                             "`.optimizers` instead")

    @learning_rate.setter
    def learning_rate(self, value):
        raise AttributeError("MultiOptimizer has no single learning rate; set it on the optimizers in "
                             "`.optimizers` instead")

    def build(self, variables) -> None:
        """Pick each variable's optimizer and build each optimizer on its variables."""
        if self.built:
            return
        variables = list(variables)
        groups = {}
        for variable in variables:
            self._check_variable(variable)
            opt = self._optimizer_map(variable)
            _check_inner(opt, f"MultiOptimizer: the optimizer for variable {_path(variable)!r}")
            if not any(opt is known for known in self._inner_optimizers):
                self._adopt(opt)
            self._var_to_optimizer[id(variable)] = opt
            groups.setdefault(id(opt), []).append(variable)
        for opt in self._inner_optimizers:
            if id(opt) in groups:
                opt.build(groups[id(opt)])
        self._variables = variables
        self._index = {id(v): i for i, v in enumerate(variables)}
        self.built = True

    def _grouped(self, pairs) -> list:
        """``[(optimizer, [items...])]`` in the inner optimizers' order."""
        groups = {}
        for item, variable in pairs:
            if id(variable) not in self._var_to_optimizer:
                raise ValueError(f"MultiOptimizer: variable {_path(variable)!r} was not known when the optimizer "
                                 "was built")
            groups.setdefault(id(self._var_to_optimizer[id(variable)]), []).append((item, variable))
        return [(opt, groups[id(opt)]) for opt in self._inner_optimizers if id(opt) in groups]

    def apply(self, grads, trainable_variables=None) -> None:
        """Apply ``grads[i]`` to ``trainable_variables[i]`` through each variable's optimizer."""
        grads = list(grads)
        if not grads:
            return
        if trainable_variables is None:
            if not self.built:
                raise ValueError("MultiOptimizer.apply: without `trainable_variables` the optimizer must already "
                                 "be built; call optimizer.build(variables) first or pass the variables")
            trainable_variables = self._variables
        trainable_variables = list(trainable_variables)
        if not self.built:
            self.build(trainable_variables)
        if len(grads) != len(trainable_variables):
            raise ValueError(f"MultiOptimizer.apply: got {len(grads)} gradients for {len(trainable_variables)} "
                             "variables")
        for opt, group in self._grouped(zip(grads, trainable_variables)):
            opt.apply([g for g, _ in group], [v for _, v in group])
        self._iterations += 1

    def finalize_variable_values(self, var_list) -> None:
        for opt, group in self._grouped((None, v) for v in var_list):
            opt.finalize_variable_values([v for _, v in group])

    def variables(self) -> list:
        arrays = super().variables()[:1]                            # iterations
        for opt in self._inner_optimizers:
            arrays += opt.variables()
        return arrays

    def load_own_variables(self, store) -> None:
        arrays = [store[str(i)] for i in range(len(store))] if hasattr(store, "keys") else list(store)
        expected = 1 + sum(len(opt.variables()) for opt in self._inner_optimizers)
        if not self.built or len(arrays) != expected:
            raise ValueError(f"MultiOptimizer.load_own_variables: got {len(arrays)} arrays, expected {expected} "
                             "(build the optimizer on the model's variables first)")
        self._iterations = int(arrays[0])
        position = 1
        for opt in self._inner_optimizers:
            n = len(opt.variables())
            if n:
                opt.load_own_variables(arrays[position:position + n])
            position += n

    set_state = load_own_variables

    def get_config(self) -> dict:
        if not isinstance(self._optimizer_map, OptimizerMap):
            raise ValueError("MultiOptimizer: only a MultiOptimizer made with an OptimizerMap can be serialized "
                             f"(this one chooses with {self._optimizer_map!r})")
        return {"optimizer_map": {"class_name": "OptimizerMap", "config": self._optimizer_map.get_config()},
                "loss_scale_factor": self.loss_scale_factor, "name": self.name}

    @classmethod
    def from_config(cls, config: dict, custom_objects=None) -> "MultiOptimizer":
        config = dict(config)
        optimizer_map = config["optimizer_map"]
        if isinstance(optimizer_map, dict):
            optimizer_map = OptimizerMap.from_config(optimizer_map.get("config", optimizer_map), custom_objects)
        config["optimizer_map"] = optimizer_map
        return cls(**config)
