"""The Layer: weights plus a forward computation, built lazily on its first call.

The Keras 3 contract, which every layer in glassnet follows:

* ``__init__`` only stores the arguments (no shapes known yet);
* ``build(input_shape)`` creates the weights with ``add_weight`` once the input shape is
  known — the first ``__call__`` runs it;
* ``call(inputs, training=None)`` is the forward formula, written with Tensor ops, so
  backward comes for free;
* ``compute_output_shape(input_shape)`` and ``get_config()`` describe the layer.

``__call__`` adds the plumbing around ``call``: NumPy inputs become Tensors of the layer's
dtype, ``build`` runs once, the ``training`` flag flows from an outer call to inner layers,
activity-regularization losses are collected, and a call on a symbolic ``Input`` records
a node of the functional graph instead of computing (see ``node.py``).

Layers assigned as attributes of a layer (``self.dense = Dense(4)``, or lists of them) are
tracked as sublayers: their weights and losses are part of the outer layer's.
"""
from __future__ import annotations

import functools
import inspect
import numbers
import re
import threading
import weakref

import numpy as np

from .. import backend
from ..tensor import Tensor, Variable, no_grad
from ..ops import cast
from . import node as node_module
from .input_spec import assert_input_compatibility

_name_counts: dict = {}
_name_lock = threading.Lock()


class _CallState:
    """What a call of a layer passes to the calls it makes; one per thread (``call_state()``).

    ``depth`` is how many ``Layer.__call__`` are running in this thread (the outermost one,
    depth 0, clears the activity losses of the last call); ``training`` is the stack of their
    ``training`` flags (an inner layer called without one inherits the outer call's). Shared
    by all threads, one thread's ``predict`` (training False) would hand its flag to another
    thread's ``fit``. ``numerics`` is the checker of ``fit(check_numerics=True)`` while one
    runs in this thread (``glassnet.models.numerics``), else None.
    """

    __slots__ = ("depth", "training", "numerics")

    def __init__(self):
        self.depth = 0
        self.training = []
        self.numerics = None


class _PerThread(threading.local):
    def __init__(self):
        self.call_state = _CallState()


_per_thread = _PerThread()


def call_state() -> _CallState:
    """This thread's ``_CallState``. A thread-local attribute costs ~100 ns to read, a plain
    object's ~20 ns, so ``Layer.__call__`` reads the thread-local once and then the record."""
    return _per_thread.call_state


def next_uid(prefix: str) -> int:
    """1, 2, 3, ... per prefix, per session (thread-safe): ``keras.backend.get_uid``."""
    with _name_lock:
        _name_counts[prefix] = _name_counts.get(prefix, 0) + 1
        return _name_counts[prefix]


def unique_name(prefix: str) -> str:
    """'dense', then 'dense_1', 'dense_2', ... (per prefix, per session; thread-safe)."""
    uid = next_uid(prefix)
    return prefix if uid == 1 else f"{prefix}_{uid - 1}"


def clear_session() -> None:
    """Reset the automatic layer names (as ``keras.backend.clear_session``)."""
    with _name_lock:
        _name_counts.clear()


_build_locks = weakref.WeakKeyDictionary()     # layer -> the lock of its first build (not in the layer's
_build_locks_guard = threading.Lock()          # __dict__: a lock cannot be pickled or deep-copied)


def _build_lock(layer) -> threading.RLock:
    """The lock that guards ``layer``'s first build, made on first use.

    Re-entrant: a ``build`` may call the layer itself (``Model.build`` runs it on zeros).
    """
    with _build_locks_guard:
        lock = _build_locks.get(layer)
        if lock is None:
            lock = _build_locks[layer] = threading.RLock()
    return lock


def snake_case(name: str) -> str:
    """Keras's rule: "BatchNormalization" → "batch_normalization", "Conv2D" → "conv2d"."""
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()


_np_dtype = functools.lru_cache(maxsize=None)(np.dtype)
"""``np.dtype(name)``, remembered (comparing a dtype with a string parses the string)."""
_ACCEPTS: dict = {}             # (layer class, argument) -> whether its ``call`` takes that argument


_MASK_RULES: dict = {}          # (layer class, what) -> bool: call takes ``mask``; the class propagates masks


def _call_takes(cls, argument: str) -> bool:
    """Whether ``cls.call`` names ``argument`` explicitly (a ``**kwargs`` does not count)."""
    key = (cls, argument)
    if key not in _MASK_RULES:
        _MASK_RULES[key] = argument in inspect.signature(cls.call).parameters
    return _MASK_RULES[key]


def _propagates_masks(cls) -> bool:
    key = (cls, "propagates")
    if key not in _MASK_RULES:
        _MASK_RULES[key] = bool(cls.supports_masking) or cls.compute_mask is not Layer.compute_mask
    return _MASK_RULES[key]


def _masks_of(inputs):
    """The masks the tensors of a list carry (None when none does)."""
    if isinstance(inputs, (list, tuple)):
        masks = [x._keras_mask if isinstance(x, Tensor) else None for x in inputs]
        return masks if any(m is not None for m in masks) else None
    return None


def _attach_masks(outputs, masks) -> None:
    """Put each mask on its output Tensor (one that already has one keeps it)."""
    if masks is None:
        return
    if isinstance(outputs, Tensor):
        if outputs._keras_mask is None and not isinstance(masks, (list, tuple)):
            outputs._keras_mask = masks
        return
    if isinstance(outputs, (list, tuple)):
        if not isinstance(masks, (list, tuple)):
            masks = [masks]        # one mask for several outputs: the first one's (Keras pairs the flat lists)
        for output, mask in zip(outputs, masks):
            if isinstance(output, Tensor) and output._keras_mask is None and mask is not None:
                output._keras_mask = mask


def map_structure(fn, structure):
    """Apply ``fn`` to every leaf of nested lists/tuples/dicts."""
    if isinstance(structure, (list, tuple)):
        return type(structure)(map_structure(fn, s) for s in structure)
    if isinstance(structure, dict):
        return {k: map_structure(fn, v) for k, v in structure.items()}
    return fn(structure)


def flatten(structure) -> list:
    """The leaves of nested lists/tuples/dicts, in order."""
    if isinstance(structure, (list, tuple)):
        return [leaf for s in structure for leaf in flatten(s)]
    if isinstance(structure, dict):
        return [leaf for k in structure for leaf in flatten(structure[k])]
    return [structure]


def shape_of(structure):
    """The shape (tuple) of each leaf, in the same nesting."""
    return map_structure(lambda t: tuple(t.shape), structure)


class Layer:
    """Base class of all layers.

    Args:
        trainable: whether the layer's weights are updated by training.
        name: unique name (default: the class name in snake_case, numbered).
        dtype: the float dtype of weights and computation (default ``backend.floatx()``).
        activity_regularizer: optional penalty R on the layer's output y; R(y) / batch size
            is added to the loss (Keras 3 divides by the batch size).
        input_shape: optional shape (without batch) so a ``Sequential`` can build early.
    """

    def __init__(self, trainable=True, name=None, dtype=None, activity_regularizer=None,
                 input_shape=None, input_dim=None, **kwargs):
        if kwargs:
            raise TypeError(f"{type(self).__name__}: unknown argument(s) {sorted(kwargs)}")
        self._layers = []
        self._trainable_variables = []
        self._non_trainable_variables = []
        self._activity_losses = []
        self.name = name or unique_name(snake_case(type(self).__name__))
        try:
            self.dtype = np.dtype(dtype or backend.floatx()).name
        except (TypeError, ValueError):
            raise TypeError(f"{type(self).__name__}: dtype must be a dtype name such as 'float32', "
                            f"got {dtype!r}") from None
        self._trainable = bool(trainable)
        self.built = False
        from .. import regularizers
        self.activity_regularizer = regularizers.get(activity_regularizer)
        if input_dim is not None and input_shape is None:
            input_shape = (input_dim,)
        self._input_shape_arg = tuple(input_shape) if input_shape is not None else None

    def __init_subclass__(cls, **kwargs):
        # A subclass's build, called directly (``layer.build(shape)`` then ``set_weights``, as in
        # Keras), must mark the layer built, or the first call would build new weights again.
        super().__init_subclass__(**kwargs)
        build = cls.__dict__.get("build")
        if build is not None and not getattr(build, "_marks_built", False):
            @functools.wraps(build)
            def build_and_mark(self, input_shape):
                build(self, input_shape)
                self.__dict__.setdefault("_build_input_shape", input_shape)
                self.built = True

            build_and_mark._marks_built = True
            cls.build = build_and_mark

    # --- sublayer tracking -----------------------------------------------------------
    def __setattr__(self, name, value):
        if not name.startswith("_"):
            layers = self.__dict__.setdefault("_layers", [])
            candidates = value if isinstance(value, (list, tuple)) else [value]
            for item in candidates:
                if isinstance(item, Layer) and item is not self and all(item is not l for l in layers):
                    layers.append(item)
        super().__setattr__(name, value)

    # --- weights ---------------------------------------------------------------------
    def add_weight(self, shape=None, initializer=None, dtype=None, trainable=True,
                   regularizer=None, constraint=None, name=None) -> Variable:
        """Create a weight (a ``Variable``) and track it.

        Args:
            shape: tuple of ints.
            initializer: identifier for ``initializers.get`` (default "glorot_uniform"
                for float weights, "zeros" otherwise).
            dtype: default: the layer's dtype.
            trainable: whether optimizers update it.
            regularizer: identifier for ``regularizers.get``: its penalty joins ``losses``.
            constraint: identifier for ``constraints.get``: applied after each update.
            name: the weight's name, e.g. "kernel".
        """
        from .. import constraints, initializers, regularizers
        from ..saving import weight_budget

        dtype = np.dtype(dtype or self.dtype)
        if initializer is None:
            initializer = "glorot_uniform" if dtype.kind == "f" else "zeros"
        shape = tuple(int(s) for s in (shape or ()))
        weight_budget.charge(shape, f"{self.name}/{name or 'variable'}")   # a model loaded from a file is no larger than it
        init = initializers.get(initializer)
        try:
            value = init(shape, dtype=dtype)
        except TypeError as exc:           # a user's callable that is not initializer(shape, dtype=...)
            raise TypeError(f"{self.name}: the initializer of weight {name or 'variable'!r} must be callable as "
                            f"initializer(shape, dtype=...); {getattr(init, '__name__', init)!r} raised: "
                            f"{exc}") from None
        if np.shape(value) != shape:
            raise ValueError(f"{self.name}: the initializer of weight {name or 'variable'!r} returned shape "
                             f"{np.shape(value)}, expected {shape}")
        variable = Variable(value, name=name or "variable", trainable=trainable, dtype=dtype, copy=False)
        variable.path = f"{self.name}/{variable.name}"
        variable.regularizer = regularizers.get(regularizer)
        variable.constraint = constraints.get(constraint)
        if trainable:
            variable.requires_grad = self._trainable
            self._trainable_variables.append(variable)
        else:
            self._non_trainable_variables.append(variable)
        return variable

    @property
    def trainable(self) -> bool:
        return self._trainable

    @trainable.setter
    def trainable(self, value: bool) -> None:
        """Freeze (False) or unfreeze the layer and all its sublayers (transfer learning)."""
        self._trainable = bool(value)
        for variable in self._trainable_variables:
            variable.requires_grad = self._trainable
        for layer in self._layers:
            layer.trainable = value

    @property
    def layers(self) -> list:
        return list(self._layers)

    def _unique(self, variables) -> list:
        seen, out = set(), []
        for v in variables:
            if id(v) not in seen:
                seen.add(id(v))
                out.append(v)
        return out

    @property
    def trainable_weights(self) -> list:
        if not self._trainable:
            return []
        own = list(self._trainable_variables)
        return self._unique(own + [w for layer in self._layers for w in layer.trainable_weights])

    @property
    def non_trainable_weights(self) -> list:
        if not self._trainable:
            return self.weights
        own = list(self._non_trainable_variables)
        return self._unique(own + [w for layer in self._layers for w in layer.non_trainable_weights])

    @property
    def weights(self) -> list:
        own = self._trainable_variables + self._non_trainable_variables
        return self._unique(own + [w for layer in self._layers for w in layer.weights])

    trainable_variables = trainable_weights
    non_trainable_variables = non_trainable_weights
    variables = weights

    def get_weights(self) -> list:
        """The weights as NumPy arrays (copies), in Keras's order."""
        return [np.array(w.data) for w in self.weights]

    def set_weights(self, weights) -> None:
        """Load weights from a list of arrays in ``get_weights`` order (shapes must match)."""
        own = self.weights
        weights = list(weights)
        if len(weights) != len(own):
            raise ValueError(f"{self.name}: set_weights got {len(weights)} arrays, the layer has {len(own)} weights "
                             f"({[w.name for w in own]})")
        for variable, value in zip(own, weights):
            value = np.asarray(value)
            if value.shape != variable.shape:
                raise ValueError(f"{self.name}: weight {variable.name!r} has shape {variable.shape}, "
                                 f"set_weights got {value.shape}")
        for variable, value in zip(own, weights):
            variable.assign(value)

    def count_params(self) -> int:
        """The number of scalars in all weights (the layer must be built)."""
        if not self.built:
            raise ValueError(f"{self.name}: count_params() needs the layer built; call it on data first or give input_shape")
        return int(sum(w.size for w in self.weights))

    # --- losses ----------------------------------------------------------------------
    @property
    def losses(self) -> list:
        """Penalties to add to the training loss: activity regularization of the last
        call, plus each weight regularizer's penalty (recomputed now, differentiable)."""
        out = list(self._activity_losses)
        own_trainable = self._trainable_variables if self._trainable else []  # a frozen layer adds no penalty
        for variable in own_trainable:
            if variable.regularizer is not None:
                out.append(variable.regularizer(variable))
        seen = set()
        for layer in self._layers:
            if id(layer) not in seen:
                seen.add(id(layer))
                out.extend(layer.losses)
        return out

    def add_loss(self, loss) -> None:
        """Add a loss Tensor computed in ``call`` (cleared at the next outermost call)."""
        self._activity_losses.append(loss)

    def _clear_losses(self) -> None:
        if self._activity_losses:
            self._activity_losses = []
        for layer in self._layers:
            layer._clear_losses()

    # --- the forward pass ------------------------------------------------------------
    def build(self, input_shape) -> None:
        """Create the weights for inputs of ``input_shape`` (batch axis included, may be None)."""
        self.built = True

    def call(self, inputs, *args, **kwargs):
        """The forward computation (override)."""
        return inputs

    def _accepts(self, argument: str) -> bool:
        key = (type(self), argument)
        accepts = _ACCEPTS.get(key)
        if accepts is None:
            params = inspect.signature(self.call).parameters
            accepts = _ACCEPTS[key] = argument in params or any(p.kind == p.VAR_KEYWORD for p in params.values())
        return accepts

    def _convert_input(self, x):
        if isinstance(x, Tensor):
            dtype = x.data.dtype
            if dtype.kind == "f" and dtype != _np_dtype(self.dtype):
                converted = cast(x, self.dtype)
                converted._keras_mask = x._keras_mask         # a cast keeps the mask (as in Keras)
                return converted
            return x
        if isinstance(x, (np.ndarray, list, float, int, np.number)):
            array = np.asarray(x)
            if node_module.is_text(array):  # text stays a NumPy array, for layers that read strings
                if getattr(self, "_accepts_strings", False) or self._layers:  # or pass it on to sublayers
                    return array
                raise TypeError(f"{type(self).__name__} {self.name!r}: inputs must be numbers, got strings (an "
                                f"array of dtype {array.dtype}); turn text into numbers first, e.g. with a "
                                f"TextVectorization layer")
            if array.dtype.kind == "f" or array.dtype == object:
                array = array.astype(self.dtype, copy=False)
            return Tensor(array)
        return x

    def build_once(self, input_shape) -> None:
        """Run ``build(input_shape)`` unless built already; remember the shape for saving.

        Thread-safe: two threads making the first call at once must not both build (that
        would leave two sets of weights). The first takes the layer's build lock and
        builds; the other waits for it, then finds the layer built. Once built, a call
        never touches the lock (``__call__`` tests ``self.built`` first).
        """
        with _build_lock(self):
            if not self.built:
                self._build_input_shape = input_shape
                self.build(input_shape)
                self.built = True

    input_spec = None
    """An ``InputSpec`` (or a list, one per input) the inputs of every call are checked
    against before ``call`` runs; None: no check. A layer usually sets it in ``build``."""

    def __call__(self, inputs, *args, **kwargs):
        if self.input_spec is not None:
            assert_input_compatibility(self.input_spec, inputs, self.name)
        if isinstance(inputs, Tensor):                # the common case, one tensor: no structure to walk
            previous_mask = inputs._keras_mask
            inputs = self._convert_input(inputs)
        elif any(isinstance(x, node_module.SymbolicTensor) for x in flatten(inputs)):
            return node_module.symbolic_call(self, inputs, args, kwargs)
        else:
            previous_mask = _masks_of(inputs)
            inputs = map_structure(self._convert_input, inputs)
        if kwargs.get("mask") is not None:
            previous_mask = kwargs["mask"]
        elif previous_mask is not None and _call_takes(type(self), "mask"):
            kwargs["mask"] = previous_mask            # the mask travels with the tensor (Keras's rule)
        state = _per_thread.call_state                # this thread's (see _CallState)
        training = kwargs.pop("training", None)
        if training is None and state.training:
            training = state.training[-1]
        if self._accepts("training"):
            kwargs["training"] = training
        if state.depth == 0:
            self._clear_losses()
        state.depth += 1
        state.training.append(training)
        numerics = state.numerics
        try:
            if not self.built:
                self.build_once(shape_of(inputs))
            if numerics is not None:                  # fit(check_numerics=True): see models/numerics.py
                inputs = numerics.watch_inputs(self, inputs)
            outputs = self.call(inputs, *args, **kwargs)
        finally:
            state.depth -= 1
            state.training.pop()
        if isinstance(outputs, (numbers.Number, str, bytes)):
            raise TypeError(f"{self.name}: call() returned {type(outputs).__name__}, not a tensor (an activation or "
                            f"function inside the layer returned something that is not a tensor)")
        if numerics is not None:
            outputs = numerics.check_outputs(self, outputs, outermost=state.depth == 0)
        if self.activity_regularizer is not None:
            self._add_activity_losses(outputs)
        if _propagates_masks(type(self)):
            _attach_masks(outputs, self.compute_mask(inputs, previous_mask))
        return outputs

    # --- masks: which time steps are padding -------------------------------------------
    supports_masking = False
    """Whether the layer passes a mask on (True for layers that keep the time axis as it is, e.g.
    Dense, Dropout); a layer that overrides ``compute_mask`` makes its own."""

    def compute_mask(self, inputs, previous_mask=None):
        """The mask of the output: by default the input's, unchanged.

        A mask is a (batch, time) boolean array, True where a step is real and False where it
        is padding. ``Embedding(mask_zero=True)`` and ``Masking`` make one; it travels with
        the output Tensor to the next layers, which receive it as their ``call``'s ``mask``
        argument when they have one (RNN layers skip the padded steps) and pass it on when they
        support masking. A layer that does neither drops it, as in Keras.
        """
        return previous_mask

    def _add_activity_losses(self, outputs) -> None:
        """One penalty per output Tensor y: R(y) / batch size, as Keras 3 (so the strength of
        the penalty does not change with the batch size); a scalar output is not divided."""
        for y in flatten(outputs):
            if isinstance(y, Tensor):
                penalty = self.activity_regularizer(y)
                self._activity_losses.append(penalty / float(y.shape[0]) if y.ndim and y.shape[0] else penalty)

    def compute_output_shape(self, input_shape):
        """Output shape for ``input_shape`` (found by running ``call`` on zeros if not overridden)."""
        return node_module.probe_output_shape(self, input_shape)

    # --- the functional graph ----------------------------------------------------------
    def _only_node(self, what: str):
        nodes = getattr(self, "_inbound_nodes", [])
        if not nodes:
            raise AttributeError(f"{self.name}: layer.{what} exists only once the layer was called on a symbolic Input")
        if len(nodes) > 1:
            raise AttributeError(f"{self.name}: layer.{what} is ambiguous: the layer was called {len(nodes)} times "
                                 f"(a shared layer); use the tensors those calls returned")
        return nodes[0]

    @property
    def input(self):
        """The symbolic input of the layer's one call in a functional graph."""
        return self._only_node("input").inputs

    @property
    def output(self):
        """The symbolic output of the layer's one call in a functional graph.

        With it, a trained model's inner features become a new model (transfer learning):
        ``Model(model.inputs, model.layers[-2].output)``.
        """
        return self._only_node("output").outputs

    # --- configuration ---------------------------------------------------------------
    def get_config(self) -> dict:
        """The constructor arguments, JSON-serialisable (subclasses add theirs)."""
        config = {"name": self.name, "trainable": self.trainable, "dtype": self.dtype}
        if self.activity_regularizer is not None:
            from .. import regularizers
            config["activity_regularizer"] = regularizers.serialize(self.activity_regularizer)
        return config

    @classmethod
    def from_config(cls, config: dict):
        return cls(**config)

    def get_build_config(self):
        """What ``build`` was called with, so a loaded model can build before loading weights."""
        return {"input_shape": getattr(self, "_build_input_shape", None)}

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name!r} built={self.built}>"
