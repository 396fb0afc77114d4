"""The Optimizer base class: what every update rule shares.

An optimizer turns gradients into weight updates. One call of ``apply_gradients``
(or ``step``) does, for the variables w with gradients g (Keras 3's order):

    1. skip variables whose gradient is None; check shapes
       (then the Keras options, when set: unscale g, accumulate; see ``options.py``)
    2. clip:   clipnorm         g ← g · c / max(‖g‖, c)              (each g on its own)
               global_clipnorm  g ← g · c / max(‖(g_1, …, g_n)‖, c)   (all g together)
               clipvalue        g ← clip(g, −c, c)
    3. decoupled weight decay   w ← w − η·λ·w                        (if weight_decay=λ)
    4. the optimizer's own rule w ← update(w, g, η, slots)          (``update_step``)
       (the moving average w̄ of the variables, with ``use_ema``)
    5. constraints              w ← w.constraint(w)                  (if the variable has one)
    6. t ← t + 1                                                     (``iterations``)

η is the learning rate: a float, or a ``LearningRateSchedule`` evaluated at
``iterations`` before the update. The state an update rule keeps between steps
(momentum m, second moment v, accumulators) lives in *slots*: NumPy arrays shaped like
each variable, created once, on first use (``build``), and updated in place, so a step
allocates (almost) nothing. Updates work on the raw arrays (``variable.data``), outside
the autograd graph; the gradient arrays passed in are never written to.

Speed: the update rules are elementwise, so a big variable is updated in blocks of
``BLOCK`` elements (flat views of w, g and the slots), each block small enough that its
w, g, slots and scratch stay in the CPU's L2 cache while the rule makes its ~10 passes
over them. On a 4 MB L2 this makes an Adam step on a 535k-parameter MLP ~25% faster
than whole-array passes. The blocking is invisible to ``update_step``, which simply
receives smaller arrays (a subclass whose rule is not elementwise sets
``elementwise = False``).

A subclass declares its slots and writes ``update_step``; see ``sgd.py`` or
``adam.py``. Writing your own::

    class SignSGD(Optimizer):
        '''w ← w − η · sign(g)'''
        def __init__(self, learning_rate=0.01, **kwargs):
            super().__init__(learning_rate, **kwargs)

        def update_step(self, g, w, lr, slots, tmp):
            np.sign(g, out=tmp[0])
            tmp[0] *= lr
            w -= tmp[0]
"""
from __future__ import annotations

import numbers
import re

import numpy as np

from .. import subnormals
from ..tensor import Tensor
from . import options as _options
from . import schedules as _schedules
from .checks import check_number
from .clipping import clip_by_global_norm, clip_by_norm

BLOCK = 65536
"""Elements per block when updating a big variable (256 KB of float32 per array)."""

def _variable_name(variable) -> str:
    return getattr(variable, "name", None) or type(variable).__name__


class Optimizer:
    """Base class of all optimizers (Keras 3 API).

    Args:
        learning_rate: η: a non-negative float, a
            ``glassnet.optimizers.schedules.LearningRateSchedule`` (evaluated at
            ``iterations``), or a callable with no arguments returning a float.
        weight_decay: λ; if set, every step first does the decoupled decay
            ``w ← w − η·λ·w`` (variables can be excluded with
            ``exclude_from_weight_decay``).
        clipnorm: clip each gradient to this L2 norm.
        clipvalue: clip each gradient element to ``[−clipvalue, clipvalue]``.
        global_clipnorm: clip all gradients together to this global L2 norm.
            At most one of ``clipnorm``, ``clipvalue``, ``global_clipnorm`` may be set.
        name: a label (defaults to the lower-case class name, e.g. "adam", "sgd"; Keras 3
            snake-cases the class name instead, which gives the same except "rm_sprop"
            and "adam_w" for RMSprop and AdamW, and adds "_1", "_2", ... to repeats).
        use_ema: keep an exponential moving average w̄ of every variable (see
            ``options``); ``finalize_variable_values`` puts it into the variables.
            Defaults to False.
        ema_momentum: μ in [0, 1], for ``w̄ ← μ·w̄ + (1 − μ)·w``. Defaults to 0.99.
        ema_overwrite_frequency: with ``use_ema``, every this many updates set
            ``w ← w̄`` (None: never, during training). Defaults to None.
        loss_scale_factor: s > 0: ``scale_loss`` multiplies the loss by s and the
            gradients are divided by s before the update. Defaults to None.
        gradient_accumulation_steps: N ≥ 2: update once every N calls, with the mean
            of their gradients (``iterations`` then counts updates). Defaults to None.

    Attributes:
        iterations: the number of updates applied so far (t after the update).
        learning_rate: the current η as a float; assign a float to change it.
        built: whether the slots exist.

    Raises:
        ValueError: for a negative or non-numeric learning rate or clipping value, more
            than one clipping argument, an option out of its range (``ema_momentum``
            outside [0, 1], ``gradient_accumulation_steps`` < 2, ...), or an unknown
            keyword argument.
    """

    _default_name = "optimizer"
    n_scratch = 1
    """How many scratch arrays (shaped like the variable) ``update_step`` receives."""
    elementwise = True
    """Whether ``update_step`` treats every element on its own (then big variables are updated in blocks)."""

    def __init__(self, learning_rate, weight_decay=None, clipnorm=None, clipvalue=None, global_clipnorm=None,
                 use_ema=False, ema_momentum=0.99, ema_overwrite_frequency=None, loss_scale_factor=None,
                 gradient_accumulation_steps=None, name=None, **kwargs):
        owner = type(self).__name__
        if kwargs:
            raise ValueError(f"{owner}: argument(s) not recognized: "
                             + ", ".join(f"{key}={value!r}" for key, value in kwargs.items()))
        (self.use_ema, self.ema_momentum, self.ema_overwrite_frequency, self.loss_scale_factor,
         self.gradient_accumulation_steps) = _options.check_options(
            owner, use_ema, ema_momentum, ema_overwrite_frequency, loss_scale_factor, gradient_accumulation_steps)
        set_clips = [n for n, v in (("clipnorm", clipnorm), ("clipvalue", clipvalue),
                                    ("global_clipnorm", global_clipnorm)) if v is not None]
        if len(set_clips) > 1:
            raise ValueError(f"{owner}: only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set; got "
                             f"clipnorm={clipnorm}, clipvalue={clipvalue}, global_clipnorm={global_clipnorm}")
        self.name = name or self._default_name
        self.weight_decay = None if weight_decay is None else check_number(owner, "weight_decay", weight_decay, 0)
        self.clipnorm = None if clipnorm is None else check_number(owner, "clipnorm", clipnorm, 0)
        self.clipvalue = None if clipvalue is None else check_number(owner, "clipvalue", clipvalue, 0)
        self.global_clipnorm = (None if global_clipnorm is None
                                else check_number(owner, "global_clipnorm", global_clipnorm, 0))
        self._learning_rate = self._check_learning_rate(learning_rate)
        self._iterations = 0
        self.built = False
        self._variables = []       # the variables, in build order
        self._index = {}           # id(variable) -> position in _variables
        self._slots = []           # per variable: {slot name: array}
        self._averages = []        # per variable: w̄ (use_ema)
        self._accumulators = []    # per variable: A (gradient_accumulation_steps)
        self._blocks = []          # per variable: (w it was made for, kernel?, [(part, w, slots, tmp) per block])
        self._scratch = {}         # dtype -> (n_scratch, size) scratch buffer shared by all variables
        self._exclude_ids = set()
        self._exclude_pattern = None

    # --- learning rate and step counter ------------------------------------------------
    def _check_learning_rate(self, learning_rate):
        if isinstance(learning_rate, _schedules.LearningRateSchedule) or (
                callable(learning_rate) and not isinstance(learning_rate, numbers.Number)):
            return learning_rate
        return check_number(type(self).__name__, "learning_rate", learning_rate, 0)

    @property
    def learning_rate(self) -> float:
        """η for the next update (a schedule is evaluated at ``iterations``)."""
        lr = self._learning_rate
        if isinstance(lr, _schedules.LearningRateSchedule):
            return float(lr(self._iterations))
        if callable(lr):
            try:
                return float(lr())
            except (TypeError, ValueError) as exc:
                raise TypeError(f"{type(self).__name__}: learning_rate {lr!r} must be a schedule or a callable of no "
                                f"arguments returning a number; calling it failed ({exc})") from None
        return lr

    @learning_rate.setter
    def learning_rate(self, value) -> None:
        if isinstance(self._learning_rate, _schedules.LearningRateSchedule) and not (
                isinstance(value, _schedules.LearningRateSchedule) or callable(value)):
            raise TypeError(f"{type(self).__name__}: this optimizer was created with a LearningRateSchedule, so its "
                            "learning rate is not settable to a number; create it with a float learning_rate")
        self._learning_rate = self._check_learning_rate(value)

    @property
    def iterations(self) -> int:
        """How many updates have been applied (Keras's step counter; t = iterations + 1).

        With ``gradient_accumulation_steps=N`` this is the raw count of calls // N.
        """
        if self.gradient_accumulation_steps:
            return self._iterations // self.gradient_accumulation_steps
        return self._iterations

    # --- slots ---------------------------------------------------------------------------
    def slot_names(self) -> tuple:
        """The names of the per-variable slots this optimizer keeps (override)."""
        return ()

    def create_slots(self, w: np.ndarray) -> dict:
        """The initial slots for one variable's array ``w`` (zeros by default)."""
        return {name: np.zeros_like(w) for name in self.slot_names()}

    def create_variable_slots(self, variable) -> dict:
        """The initial slots for ``variable`` (override when they depend on more than its
        array, e.g. on its path, as Muon's do); ``create_slots(variable.data)`` by default."""
        return self.create_slots(variable.data)

    def slot_shape(self, name: str, shape: tuple) -> tuple:
        """The shape of slot ``name`` for a variable of ``shape``: the same by default (an
        optimizer with factored slots, as Adafactor, overrides it)."""
        return shape

    def build(self, variables) -> None:
        """Create the slots for ``variables`` (done automatically on first use).

        Variables met later are added on their first update, after these. Calling
        ``build`` again with known variables does nothing.
        """
        for variable in variables:
            self._check_variable(variable)
            if id(variable) not in self._index:
                self._index[id(variable)] = len(self._variables)
                self._variables.append(variable)
                self._slots.append(self.create_variable_slots(variable))
                if self.use_ema:
                    self._averages.append(np.zeros_like(variable.data))
                if self.gradient_accumulation_steps:
                    self._accumulators.append(np.zeros_like(variable.data))
                self._blocks.append(None)
        self.built = True

    def uses_kernel(self, w: np.ndarray, slots: dict) -> bool:
        """Whether ``update_step`` updates this variable with a compiled kernel (see
        ``kernels``), in one call on the whole array rather than in blocks (override)."""
        return False

    def _blockable(self, w: np.ndarray, slots: dict) -> bool:
        return (self.elementwise and w.size > BLOCK and w.flags.c_contiguous
                and all(s.flags.c_contiguous for s in slots.values()))

    def _get_blocks(self, i: int, w: np.ndarray) -> list:
        """The (part, w, slots, tmp) views ``update_step`` runs on for variable i, made once per
        array (and again when the choice of a compiled kernel changes: a kernel takes the
        whole variable and needs no scratch)."""
        slots = self._slots[i]
        kernel = self.uses_kernel(w, slots)
        cached = self._blocks[i]
        if cached is not None and cached[0] is w and cached[1] == kernel:
            return cached[2]
        for name, slot in slots.items():
            if slot.shape != self.slot_shape(name, w.shape):
                raise ValueError(f"{type(self).__name__}: variable {_variable_name(self._variables[i])!r} now has "
                                 f"shape {w.shape} but its slot {name!r} has shape {slot.shape}; create a new "
                                 "optimizer for resized variables")
        if kernel:
            blocks = [(None, w, slots, ())]
            self._blocks[i] = (w, kernel, blocks)
            return blocks
        blockable = self._blockable(w, slots)
        need = BLOCK if blockable else w.size
        buffer = self._scratch.get(w.dtype)
        if buffer is None or buffer.shape[1] < need:
            buffer = self._scratch[w.dtype] = np.empty((self.n_scratch, need), dtype=w.dtype)
            self._blocks = [None] * len(self._blocks)       # views of the old buffer are stale
        if not blockable:
            tmp = tuple(buffer[k, :w.size].reshape(w.shape) for k in range(self.n_scratch))
            blocks = [(None, w, slots, tmp)]
        else:
            flat_w, flat_slots = w.reshape(-1), {name: s.reshape(-1) for name, s in slots.items()}
            blocks = []
            for start in range(0, w.size, BLOCK):
                part = slice(start, min(start + BLOCK, w.size))
                n = part.stop - part.start
                blocks.append((part, flat_w[part], {name: s[part] for name, s in flat_slots.items()},
                               tuple(buffer[k, :n] for k in range(self.n_scratch))))
        self._blocks[i] = (w, kernel, blocks)
        return blocks

    def get_slot(self, variable, name: str) -> np.ndarray:
        """The slot array ``name`` (e.g. "m") kept for ``variable``."""
        if id(variable) not in self._index:
            raise ValueError(f"{type(self).__name__}.get_slot: variable {_variable_name(variable)!r} is not tracked "
                             "by this optimizer (it has not been built on it)")
        slots = self._slots[self._index[id(variable)]]
        if name not in slots:
            raise ValueError(f"{type(self).__name__}.get_slot: unknown slot {name!r}; this optimizer keeps "
                             f"{sorted(slots)}")
        return slots[name]

    def _check_variable(self, variable) -> None:
        if not isinstance(variable, Tensor):
            raise TypeError(f"{type(self).__name__}: expected glassnet Variables (or Tensors) to update, "
                            f"got {type(variable).__name__}")
        if variable.data.dtype.kind != "f":
            raise TypeError(f"{type(self).__name__}: variable {_variable_name(variable)!r} has dtype "
                            f"{variable.data.dtype}; only floating-point variables can be optimized")

    # --- weight decay --------------------------------------------------------------------
    def exclude_from_weight_decay(self, var_list=None, var_names=None) -> None:
        """Exclude variables from weight decay (call before the optimizer is built).

        Args:
            var_list: variables to exclude.
            var_names: strings; a variable whose name contains any of them (a regular
                expression search) is excluded, e.g. ``var_names=["bias"]``.
        """
        if self.built:
            raise ValueError(f"{type(self).__name__}: exclude_from_weight_decay() can only be called before the "
                             "optimizer is built (before its first update)")
        self._exclude_ids = {id(v) for v in (var_list or ())}
        names = list(var_names or ())
        self._exclude_pattern = re.compile("|".join(names)) if names else None

    def _use_weight_decay(self, variable) -> bool:
        if id(variable) in self._exclude_ids:
            return False
        if self._exclude_pattern is not None and self._exclude_pattern.search(str(_variable_name(variable))):
            return False
        return True

    # --- the update ----------------------------------------------------------------------
    def apply_gradients(self, grads_and_vars) -> int:
        """Apply one update from ``(gradient, variable)`` pairs; returns ``iterations``."""
        pairs = list(grads_and_vars)
        if not pairs:
            return self._iterations
        grads, variables = zip(*pairs)
        self.apply(grads, variables)
        return self._iterations

    @subnormals.flush_subnormals()
    def apply(self, grads, trainable_variables=None) -> None:
        """Apply one update: ``grads[i]`` to ``trainable_variables[i]``.

        The update runs with subnormal floats flushed to zero (see ``glassnet.subnormals``):
        by the CPU's flush-to-zero mode, or, where that is unavailable, by zeroing the
        subnormal entries of the slots and variables after the update.

        Args:
            grads: NumPy arrays or Tensors shaped like the variables; None entries are
                skipped (that variable is not updated).
            trainable_variables: the variables; if omitted, the ones the optimizer was
                built with, in order.

        Raises:
            ValueError: if the lengths differ, a gradient's shape differs from its
                variable's (the variable is named), or every gradient is None.
        """
        owner = type(self).__name__
        grads = list(grads)
        if trainable_variables is None:
            if not self.built:
                raise ValueError(f"{owner}.apply: without `trainable_variables` the optimizer must already be built; "
                                 "call optimizer.build(variables) first or pass the variables")
            variables = self._variables
        else:
            variables = list(trainable_variables)
        if len(grads) != len(variables):
            raise ValueError(f"{owner}.apply: got {len(grads)} gradients for {len(variables)} variables; "
                             "expected one gradient (or None) per variable")
        if not variables:
            return
        pairs = []
        for g, variable in zip(grads, variables):
            self._check_variable(variable)
            if g is None:
                continue
            g = g.data if isinstance(g, Tensor) else np.asarray(g)
            if g.dtype.kind not in "biuf":
                raise TypeError(f"{owner}: gradient for variable {_variable_name(variable)!r} must hold real numbers, "
                                f"got dtype {g.dtype}")
            w = variable.data
            if g.shape != w.shape:
                raise ValueError(f"{owner}: gradient for variable {_variable_name(variable)!r} has shape {g.shape}, "
                                 f"expected the variable's shape {w.shape}")
            if g.dtype != w.dtype:
                g = g.astype(w.dtype)
            pairs.append((g, variable))
        if not pairs:
            raise ValueError(f"{owner}: no gradients provided for any variable (all gradients are None)")
        if any(id(v) not in self._index for v in variables):
            self.build(variables)
        plans = [self._get_blocks(self._index[id(v)], v.data) for _, v in pairs]   # checks the slots too

        g_list = [g for g, _ in pairs]
        if self.loss_scale_factor is not None:
            g_list = [g / self.loss_scale_factor for g in g_list]              # g ← g / s
        if self.gradient_accumulation_steps:
            g_list = _options.accumulate(g_list, [self._accumulators[self._index[id(v)]] for _, v in pairs],
                                         self._accumulators, self._iterations, self.gradient_accumulation_steps)
        if g_list is not None:                      # None: this call only accumulated
            self._update(g_list, pairs, plans)
        if self.use_ema:
            self._update_moving_average()
        self._iterations += 1
        if subnormals.uses_software_flush():
            for _, variable in pairs:
                for array in (variable.data, *self._slots[self._index[id(variable)]].values()):
                    subnormals.flush_inplace(array)
        for _, variable in pairs:
            constraint = getattr(variable, "constraint", None)
            if constraint is not None:
                value = constraint(variable.data)
                variable.data[...] = value.data if isinstance(value, Tensor) else value

    def _update(self, g_list: list, pairs: list, plans: list) -> None:
        """Clip, decay and run ``update_step`` on every (block of every) variable."""
        g_list = self._clip_gradients(g_list)
        lr = self.learning_rate
        self.apply_weight_decay([variable for _, variable in pairs], lr)
        self.prepare_step(lr)
        for g, blocks in zip(g_list, plans):
            if len(blocks) == 1:
                _, w, slots, tmp = blocks[0]
                self.update_step(g, w, lr, slots, tmp)
            else:
                flat_g = g.reshape(-1)
                for part, w, slots, tmp in blocks:
                    self.update_step(flat_g[part], w, lr, slots, tmp)

    def apply_weight_decay(self, variables: list, lr: float) -> None:
        """``w ← w − η·λ·w`` for each variable not excluded (override for a λ per variable)."""
        if self.weight_decay:
            decay = 1.0 - lr * self.weight_decay
            for variable in variables:
                if self._use_weight_decay(variable):
                    np.multiply(variable.data, decay, out=variable.data)   # w ← w − η·λ·w

    def _clip_gradients(self, grads: list) -> list:
        if self.clipnorm:
            return [clip_by_norm(g, self.clipnorm) for g in grads]
        if self.global_clipnorm:
            return clip_by_global_norm(grads, self.global_clipnorm)
        if self.clipvalue:
            return [np.clip(g, -self.clipvalue, self.clipvalue) for g in grads]
        return grads

    def prepare_step(self, lr: float) -> None:
        """Hook run once per update before the per-variable steps (e.g. Nadam's Π u)."""

    def update_step(self, g: np.ndarray, w: np.ndarray, lr: float, slots: dict, tmp: tuple) -> None:
        """Update one variable in place (override).

        Args:
            g: the (clipped) gradient; read only.
            w: the variable's array, updated in place.
            lr: η for this step.
            slots: this variable's slot arrays by name, updated in place.
            tmp: ``n_scratch`` scratch arrays shaped like ``w`` (contents undefined).
        """
        raise NotImplementedError(f"{type(self).__name__} must implement update_step")

    # --- loss scaling and the moving average (see ``options``) ----------------------------
    def scale_loss(self, loss):
        """``s·loss`` with ``loss_scale_factor=s`` (a training step backpropagates this), else ``loss``."""
        if self.loss_scale_factor is not None:
            return loss * self.loss_scale_factor
        return loss

    @property
    def _model_variables_moving_average(self) -> list:
        """w̄ for each tracked variable, in build order (Keras's name; empty without ``use_ema``)."""
        return list(self._averages)

    def _update_moving_average(self) -> None:
        _options.update_moving_average(self._averages, self._variables, self.ema_momentum,
                                       first_step=self.iterations == 0)
        frequency = self.ema_overwrite_frequency
        if frequency and (self.iterations + 1) % frequency == 0:
            _options.overwrite_with_average(self._averages, self._variables)

    def finalize_variable_values(self, var_list) -> None:
        """At the end of training: with ``use_ema``, set each variable of ``var_list`` to its w̄.

        Raises:
            ValueError: if a variable is not tracked by this optimizer.
        """
        if not self.use_ema or not self.built:
            return
        var_list = list(var_list)
        for variable in var_list:
            if id(variable) not in self._index:
                raise ValueError(f"{type(self).__name__}.finalize_variable_values: variable "
                                 f"{_variable_name(variable)!r} is not tracked by this optimizer")
        _options.overwrite_with_average([self._averages[self._index[id(v)]] for v in var_list], var_list)

    # --- PyTorch-style driving -----------------------------------------------------------
    def step(self, variables=None) -> None:
        """Update ``variables`` from their ``.grad`` (None grads are skipped).

        Without arguments, steps the variables the optimizer was built with. Gradients
        are not cleared; call ``zero_grad`` before the next ``backward``.
        """
        if variables is None:
            if not self.built:
                raise ValueError(f"{type(self).__name__}.step: pass the variables to update on the first call")
            variables = self._variables
        variables = list(variables)
        for variable in variables:
            if not isinstance(variable, Tensor):
                self._check_variable(variable)                   # raises, naming what it got
        self.apply([v.grad for v in variables], variables)      # apply checks the rest

    def zero_grad(self, variables=None) -> None:
        """Set ``.grad = None`` on ``variables`` (default: the variables this optimizer tracks)."""
        for variable in (self._variables if variables is None else variables):
            variable.grad = None

    # --- state for saving ----------------------------------------------------------------
    def global_state(self) -> list:
        """Optimizer-wide state arrays other than ``iterations`` (override; e.g. Nadam's Π u)."""
        return []

    def set_global_state(self, arrays: list) -> None:
        """Restore what ``global_state`` returned."""

    def variables(self) -> list:
        """The optimizer's state as NumPy arrays (copies), in a fixed order.

        ``[iterations, *global_state(), w̄ of each variable (use_ema), A of each variable
        (gradient accumulation), slots of variable 0 (in slot_names order), slots of
        variable 1, ...]``, variables in build order (Keras's order, less its
        learning_rate). ``iterations`` is the raw count of calls. Feed it back with
        ``load_own_variables``.
        """
        arrays = [np.array(self._iterations, dtype=np.int64)]
        arrays += [np.array(a) for a in self.global_state()]
        arrays += [a.copy() for a in (*self._averages, *self._accumulators)]
        for slots in self._slots:
            arrays += [slot.copy() for slot in slots.values()]
        return arrays

    def save_own_variables(self, store) -> None:
        """Write ``variables()`` into a dict-like ``store`` under keys "0", "1", ... (Keras)."""
        for i, array in enumerate(self.variables()):
            store[str(i)] = array

    def load_own_variables(self, store) -> None:
        """Restore the state saved by ``variables()`` / ``save_own_variables``.

        Args:
            store: a list of arrays, or a dict-like with keys "0", "1", ...

        Raises:
            ValueError: if the optimizer is not built yet, or the number or shapes of
                the arrays do not match (nothing is changed then).
        """
        owner = type(self).__name__
        if not self.built:
            raise ValueError(f"{owner}.load_own_variables: the optimizer is not built; call "
                             "optimizer.build(variables) with the model's trainable variables first")
        if hasattr(store, "keys"):
            arrays = [store[str(i)] for i in range(len(store))]
        else:
            arrays = list(store)
        arrays = [np.asarray(a) for a in arrays]
        current = self.variables()
        if len(arrays) != len(current):
            raise ValueError(f"{owner}.load_own_variables: got {len(arrays)} arrays, expected {len(current)} "
                             f"(iterations, {len(self.global_state())} global state arrays, "
                             f"{len(self._averages) + len(self._accumulators)} averages and accumulators, and the "
                             f"slots of {len(self._variables)} variables)")
        for i, (new, old) in enumerate(zip(arrays, current)):
            if new.shape != old.shape:
                raise ValueError(f"{owner}.load_own_variables: array {i} has shape {new.shape}, expected {old.shape}")
        self._iterations = int(arrays[0])
        n_global = len(self.global_state())
        self.set_global_state(arrays[1:1 + n_global])
        position = 1 + n_global
        for array in (*self._averages, *self._accumulators):
            array[...] = arrays[position]
            position += 1
        for slots in self._slots:
            for slot in slots.values():
                slot[...] = arrays[position]
                position += 1

    set_state = load_own_variables

    # --- configuration -------------------------------------------------------------------
    def get_config(self) -> dict:
        """The constructor arguments (a schedule is stored as its ``serialize`` dict)."""
        lr = self._learning_rate
        if isinstance(lr, _schedules.LearningRateSchedule):
            lr = _schedules.serialize(lr)
        return {"name": self.name, "learning_rate": lr, "weight_decay": self.weight_decay,
                "clipnorm": self.clipnorm, "global_clipnorm": self.global_clipnorm, "clipvalue": self.clipvalue,
                "use_ema": self.use_ema, "ema_momentum": self.ema_momentum,
                "ema_overwrite_frequency": self.ema_overwrite_frequency, "loss_scale_factor": self.loss_scale_factor,
                "gradient_accumulation_steps": self.gradient_accumulation_steps}

    @classmethod
    def from_config(cls, config: dict, custom_objects: dict | None = None) -> "Optimizer":
        """A new optimizer (no state) from ``get_config()`` output."""
        config = dict(config)
        if isinstance(config.get("learning_rate"), dict):
            config["learning_rate"] = _schedules.deserialize(config["learning_rate"], custom_objects)
        return cls(**config)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name!r} learning_rate={self._learning_rate!r} " \
               f"iterations={self._iterations}>"
