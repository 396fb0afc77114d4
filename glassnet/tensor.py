"""Tensor, Function and backward(): reverse-mode automatic differentiation.

A ``Tensor`` holds an array. When an op is applied to tensors of which at least one
``requires_grad``, the op's ``Function`` is remembered on the output (``out._ctx``), and
the function remembers its inputs (``fn.parents``). That chain of records is the
computational graph of the forward pass.

``loss.backward()`` applies the chain rule backwards through that graph:

    dL/dx = Σ over the ops f that read x of  (dL/df) · (df/dx)

Each Function supplies only its local vector–Jacobian product ``backward(grad)``:
given dL/d(output) it returns dL/d(input) for each input. backward() visits the
nodes in reverse topological order (so a node's gradient is complete — summed over
every use — before it is passed on), walking the graph with an explicit stack, not
recursion, so a 10,000-op chain or a 1,000-step RNN is fine.

Semantics (PyTorch-like):

* Leaves (tensors no op produced, e.g. weights) *accumulate* into ``.grad`` across
  backward calls until you clear them (``v.grad = None`` or ``optimizer`` does it).
* Intermediate tensors get no ``.grad``; their gradient lives only during backward.
* The graph is freed as backward passes through it (``retain_graph=False``), so memory
  does not grow across training steps; a second backward through the same graph raises.
* Gradients are NumPy arrays of the same shape and dtype as the tensor's data.
  Broadcasting in the forward pass is undone in backward by summing over the
  broadcast axes (``unbroadcast``).
"""
from __future__ import annotations

import numbers

import numpy as np

from . import backend
from .backend import xp

from . import grad_mode as _grad
from .grad_mode import enable_grad, is_grad_enabled, no_grad, set_grad_enabled  # noqa: F401  (the public names)
from .slice_grad import SliceGrad, accumulate, as_dense


def unbroadcast(grad: xp.ndarray, shape: tuple) -> xp.ndarray:
    """Sum ``grad`` down to ``shape``: the backward of NumPy broadcasting.

    If x of shape (3, 1) was broadcast to (4, 3, 5), every element of x was used
    4·5 times, so dL/dx sums dL/dout over the leading axis and over axis 2.
    """
    if grad.shape == tuple(shape):
        return grad
    extra = grad.ndim - len(shape)
    if extra > 0:
        grad = grad.sum(axis=tuple(range(extra)))
    axes = tuple(i for i, n in enumerate(shape) if n == 1 and grad.shape[i] != 1)
    if axes:
        grad = grad.sum(axis=axes, keepdims=True)
    return grad.reshape(shape)


class Function:
    """A differentiable primitive: ``forward`` on arrays, ``backward`` = the local VJP.

    Subclasses implement

    * ``forward(self, *arrays, **options) -> array`` — compute the output and save on
      ``self`` what backward needs;
    * ``backward(self, grad) -> grad_input or tuple of them`` — given dL/d(output),
      return dL/d(input) for each tensor input (``None`` for an input that needs none;
      ``self.needs_input_grad[i]`` says which do).

    Gradients may come back in a broadcast shape; ``backward()`` reduces them with
    ``unbroadcast``. Ops are used through ``SomeFunction.apply(*inputs, **options)``.
    """

    parents: tuple = ()
    needs_input_grad: tuple = ()

    def forward(self, *arrays, **options):
        raise NotImplementedError(f"{type(self).__name__} must implement forward")

    def backward(self, grad):
        raise NotImplementedError(f"{type(self).__name__} must implement backward")

    @classmethod
    def apply(cls, *inputs, **options) -> "Tensor":
        """Run the op on tensors (arrays and numbers are wrapped) and record the graph."""
        tensors = tuple([x if isinstance(x, Tensor) else Tensor(x) for x in inputs])
        fn = cls()
        out = fn.forward(*[t.data for t in tensors], **options)
        result = Tensor._wrap(out)
        if not _grad._threads_without_grad or _grad._grad_mode.enabled:   # see grad_mode._threads_without_grad
            needs = tuple([t.requires_grad for t in tensors])
            if True in needs:
                fn.parents = tensors
                fn.needs_input_grad = needs
                result.requires_grad = True
                result._ctx = fn
        return result


def _as_array(data, dtype=None) -> xp.ndarray:
    """Convert user data to a NumPy array with a clear error for bad input."""
    if isinstance(data, Tensor):
        array = data.data
    elif isinstance(data, xp.ndarray):
        array = data
    else:
        try:
            array = xp.asarray(data)
        except (ValueError, TypeError) as error:
            raise ValueError(
                f"Tensor: cannot make an array from {type(data).__name__} "
                f"(ragged nested sequence or mixed types?): {error}"
            ) from None
        if array.dtype == np.float64 and dtype is None:
            array = array.astype(backend.floatx())
    if array.dtype.kind not in "biuf":
        raise TypeError(
            f"Tensor: data must be numeric (bool, int or float), got dtype {array.dtype} "
            f"from {type(data).__name__}"
        )
    if dtype is not None:
        array = array.astype(dtype, copy=False)
    return array


class Tensor:
    """An n-dimensional array that can record the ops applied to it and differentiate them.

    Args:
        data: array-like of numbers (NumPy array, nested lists, scalar, or Tensor).
            Python floats become the default float dtype (``backend.floatx()``);
            NumPy arrays keep their dtype unless ``dtype`` is given.
        requires_grad: record ops on this tensor so ``backward()`` fills ``.grad``.
        dtype: optional dtype to convert to.

    Raises:
        ValueError: for ragged nested sequences.
        TypeError: for non-numeric data, or ``requires_grad`` on a non-float dtype.
    """

    __slots__ = ("data", "_grad", "requires_grad", "_ctx", "_freed", "_keras_mask", "__weakref__")
    __array_priority__ = 1000  # ndarray (op) Tensor defers to Tensor's reflected operators
    __hash__ = object.__hash__  # comparisons return arrays, identity stays the hash

    def __init__(self, data, requires_grad: bool = False, dtype=None):
        self.data = _as_array(data, dtype)
        if requires_grad and self.data.dtype.kind != "f":
            raise TypeError(
                f"Tensor: only floating-point tensors can require grad, got dtype {self.data.dtype}"
            )
        self.requires_grad = bool(requires_grad)
        self._grad = None
        self._ctx = None
        self._freed = False
        self._keras_mask = None    # (batch, time) bools a layer attached (Embedding(mask_zero), Masking)

    @classmethod
    def _wrap(cls, array) -> "Tensor":
        """Fast constructor for arrays produced by ops (no validation)."""
        t = Tensor.__new__(Tensor)
        t.data = array if isinstance(array, xp.ndarray) else xp.asarray(array)
        t._grad = None
        t.requires_grad = False
        t._ctx = None
        t._freed = False
        t._keras_mask = None
        return t

    # --- array-like properties -------------------------------------------------------
    @property
    def shape(self) -> tuple:
        return self.data.shape

    @property
    def dtype(self):
        return self.data.dtype

    @property
    def ndim(self) -> int:
        return self.data.ndim

    @property
    def size(self) -> int:
        return self.data.size

    @property
    def grad(self):
        """dL/dself accumulated by ``backward()`` (an array of this shape), or None."""
        return self._grad

    @grad.setter
    def grad(self, value) -> None:
        if value is not None:
            if not isinstance(value, xp.ndarray):
                raise TypeError(f"grad must be None or an array, got {type(value).__name__}")
            if value.shape != self.data.shape:
                raise ValueError(f"grad of shape {value.shape} does not match the tensor's shape {self.data.shape}")
        self._grad = value

    @property
    def is_leaf(self) -> bool:
        """True for tensors no recorded op produced (weights, inputs)."""
        return self._ctx is None

    def numpy(self) -> xp.ndarray:
        """The data as a NumPy array (shares memory; no graph)."""
        return backend.to_numpy(self.data)

    def item(self):
        """The value of a one-element tensor as a Python number."""
        if self.data.size != 1:
            raise ValueError(f"item(): tensor has {self.data.size} elements (shape {self.shape}), expected 1")
        return self.data.item()

    def tolist(self):
        return self.data.tolist()

    def __array__(self, dtype=None, copy=None):
        return self.data if dtype is None else self.data.astype(dtype)

    def __len__(self) -> int:
        if self.data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self.data.shape[0]

    def __repr__(self) -> str:
        grad = ", requires_grad=True" if self.requires_grad else ""
        body = np.array2string(backend.to_numpy(self.data), separator=", ", prefix="Tensor(")
        return f"Tensor({body}, dtype={self.data.dtype}{grad})"

    def __bool__(self):
        return bool(self.data)

    def __float__(self):
        return float(self.data)

    def __int__(self):
        return int(self.data)

    def detach(self) -> "Tensor":
        """A tensor sharing this data but cut from the graph (requires_grad=False)."""
        return Tensor._wrap(self.data)

    def zero_grad(self) -> None:
        """Clear the accumulated gradient (same as ``t.grad = None``)."""
        self._grad = None

    # --- the chain rule ----------------------------------------------------------------
    def backward(self, grad=None, retain_graph: bool = False) -> None:
        """Compute dself/dleaf for every leaf that requires grad; add it to ``leaf.grad``.

        Args:
            grad: dL/dself, an array of this tensor's shape. May be omitted only for a
                one-element tensor (then it is 1).
            retain_graph: keep the graph for another backward (default frees it).

        Raises:
            RuntimeError: if this tensor does not require grad, if ``grad`` is omitted
                for a non-scalar, or if the graph was already freed by a backward.
            ValueError: if ``grad`` has the wrong shape.
        """
        if not self.requires_grad:
            raise RuntimeError(
                "backward(): this tensor does not require grad and has no graph; "
                "create the leaves with requires_grad=True (or as Variables)"
            )
        if grad is None:
            if self.data.size != 1:
                raise RuntimeError(
                    f"backward(): grad can be implied only for a one-element output, but this "
                    f"tensor has shape {self.shape}; pass grad= an array of shape {self.shape}"
                )
            grad = xp.ones_like(self.data)
        else:
            grad = xp.array(grad.data if isinstance(grad, Tensor) else grad, dtype=self.dtype)
            if grad.shape != self.shape:
                raise ValueError(f"backward(): grad has shape {grad.shape}, expected {self.shape}")
        self._check_not_freed()

        grads, owned = {id(self): grad}, {}
        handed_to_leaves = set()
        for node in reversed(_topological_order(self)):
            g = grads.pop(id(node), None)
            owned.pop(id(node), None)
            if g is None:
                continue
            g = as_dense(g, node.data.dtype)
            fn = node._ctx
            if fn is None:
                node._check_not_freed()
                if id(g) in handed_to_leaves or not g.flags.owndata:
                    g = g.copy()  # never let two leaves (or a view) share one grad array
                handed_to_leaves.add(id(g))
                node._grad = g if node._grad is None else node._grad + g
                continue
            input_grads = fn.backward(g)
            if not isinstance(input_grads, tuple):
                input_grads = (input_grads,)
            for parent, pg in zip(fn.parents, input_grads):
                if pg is None or not parent.requires_grad:
                    continue
                if not isinstance(pg, SliceGrad):
                    if pg.shape != parent.data.shape:
                        pg = unbroadcast(pg, parent.data.shape)
                    if pg.dtype != parent.data.dtype:
                        pg = pg.astype(parent.data.dtype)
                accumulate(grads, owned, parent, pg)   # in place where safe; a slice's gradient stays small
            if not retain_graph:
                node._ctx = None
                node._freed = True

    def _check_not_freed(self) -> None:
        if self._freed:
            raise RuntimeError(
                "backward(): trying to go through a part of the graph a second time, but its "
                "buffers were freed by an earlier backward(); call backward(retain_graph=True) "
                "the first time if you need to backward twice"
            )

    # --- Python operators (defined with the ops, below) ---------------------------------
    def _lift(self, other) -> "Tensor":
        """Wrap a number or array operand in this tensor's float dtype (no upcasting)."""
        if isinstance(other, Tensor):
            return other
        if self.data.dtype.kind == "f" and (
            isinstance(other, numbers.Number) or (isinstance(other, xp.ndarray) and other.dtype.kind in "biuf")
        ):
            return Tensor._wrap(xp.asarray(other, dtype=self.data.dtype))
        return Tensor(other)

    def __add__(self, other):
        return ops.add(self, self._lift(other))

    def __radd__(self, other):
        return ops.add(self._lift(other), self)

    def __sub__(self, other):
        return ops.sub(self, self._lift(other))

    def __rsub__(self, other):
        return ops.sub(self._lift(other), self)

    def __mul__(self, other):
        return ops.mul(self, self._lift(other))

    def __rmul__(self, other):
        return ops.mul(self._lift(other), self)

    def __truediv__(self, other):
        return ops.div(self, self._lift(other))

    def __rtruediv__(self, other):
        return ops.div(self._lift(other), self)

    def __pow__(self, other):
        return ops.power(self, other if isinstance(other, (Tensor, numbers.Number)) else self._lift(other))

    def __rpow__(self, other):
        return ops.power(self._lift(other), self)

    def __matmul__(self, other):
        return ops.matmul(self, self._lift(other))

    def __rmatmul__(self, other):
        return ops.matmul(self._lift(other), self)

    def __neg__(self):
        return ops.neg(self)

    def __pos__(self):
        return self

    def __abs__(self):
        return ops.abs(self)

    def __getitem__(self, index):
        return ops.getitem(self, index)

    # Comparisons are not differentiable: they return plain boolean arrays.
    def __eq__(self, other):
        return self.data == _data(other)

    def __ne__(self, other):
        return self.data != _data(other)

    def __lt__(self, other):
        return self.data < _data(other)

    def __le__(self, other):
        return self.data <= _data(other)

    def __gt__(self, other):
        return self.data > _data(other)

    def __ge__(self, other):
        return self.data >= _data(other)

    # --- methods mirroring the ops ----------------------------------------------------
    def sum(self, axis=None, keepdims=False):
        return ops.sum(self, axis=axis, keepdims=keepdims)

    def mean(self, axis=None, keepdims=False):
        return ops.mean(self, axis=axis, keepdims=keepdims)

    def max(self, axis=None, keepdims=False):
        return ops.max(self, axis=axis, keepdims=keepdims)

    def min(self, axis=None, keepdims=False):
        return ops.min(self, axis=axis, keepdims=keepdims)

    def var(self, axis=None, keepdims=False):
        return ops.var(self, axis=axis, keepdims=keepdims)

    def reshape(self, *shape):
        return ops.reshape(self, shape[0] if len(shape) == 1 and isinstance(shape[0], (tuple, list)) else shape)

    def transpose(self, *axes):
        return ops.transpose(self, axes[0] if len(axes) == 1 and isinstance(axes[0], (tuple, list)) else (axes or None))

    @property
    def T(self):
        return ops.transpose(self)

    def exp(self):
        return ops.exp(self)

    def log(self):
        return ops.log(self)

    def sqrt(self):
        return ops.sqrt(self)

    def tanh(self):
        return ops.tanh(self)

    def sigmoid(self):
        return ops.sigmoid(self)

    def relu(self):
        return ops.relu(self)

    def clip(self, min_value, max_value):
        return ops.clip(self, min_value, max_value)

    def argmax(self, axis=None):
        """Index of the maximum (a NumPy array; not differentiable)."""
        return self.data.argmax(axis=axis)

    def astype(self, dtype) -> "Tensor":
        return ops.cast(self, dtype)


def _data(x):
    return x.data if isinstance(x, Tensor) else x


def _topological_order(root: Tensor) -> list:
    """Every node that leads to ``root`` and requires grad, inputs before outputs.

    Iterative depth-first post-order: a node is emitted after all of its parents.
    """
    order, visited = [], set()
    stack = [(root, False)]
    while stack:
        node, parents_done = stack.pop()
        if parents_done:
            order.append(node)
            continue
        if id(node) in visited:
            continue
        visited.add(id(node))
        stack.append((node, True))
        if node._ctx is not None:
            for parent in node._ctx.parents:
                if parent.requires_grad and id(parent) not in visited:
                    stack.append((parent, False))
    return order


class Variable(Tensor):
    """A named, trainable tensor: the weights of layers (``requires_grad=True``).

    Args:
        initial_value: array-like; converted to the default float dtype unless it
            already is a float array.
        name: a label used in summaries and saved files.
        trainable: whether optimizers update it (and whether it requires grad).
        dtype: optional dtype; by default ``backend.floatx()``, whatever the data's
            dtype (as ``keras.Variable``), so a float64 NumPy array becomes float32.
        copy: False to hold ``initial_value`` itself when it is an array of the right dtype
            already (a fresh initializer output: VGG16's fc1 is 411 MB); True (default) copies.
    """

    __slots__ = ("name", "path", "_trainable", "constraint", "regularizer")

    def __init__(self, initial_value, name: str | None = None, trainable: bool = True, dtype=None,
                 copy: bool = True):
        array = _as_array(initial_value, dtype or backend.floatx())
        owned = not copy and isinstance(initial_value, xp.ndarray)   # the array itself, or a converted copy of it
        super().__init__(array if owned else array.copy(), requires_grad=trainable)
        self.name = name or "variable"
        self.path = self.name
        self._trainable = bool(trainable)
        self.constraint = None
        self.regularizer = None

    @property
    def trainable(self) -> bool:
        return self._trainable

    @trainable.setter
    def trainable(self, value: bool) -> None:
        self._trainable = bool(value)
        self.requires_grad = bool(value)

    @property
    def value(self) -> xp.ndarray:
        return self.data

    def assign(self, value) -> "Variable":
        """Overwrite the value in place (shape must match; dtype is kept)."""
        array = value.data if isinstance(value, Tensor) else xp.asarray(value)
        if array.shape != self.data.shape:
            raise ValueError(f"Variable {self.name!r}: assign got shape {array.shape}, expected {self.data.shape}")
        self.data[...] = array
        return self

    def assign_add(self, delta) -> "Variable":
        self.data += _data(delta)
        return self

    def assign_sub(self, delta) -> "Variable":
        self.data -= _data(delta)
        return self

    def __repr__(self) -> str:
        return f"<Variable {self.name!r} shape={self.shape} dtype={self.dtype} trainable={self.trainable}>"


def as_tensor(x, dtype=None) -> Tensor:
    """Return ``x`` if it is a Tensor, otherwise wrap it (no copy for arrays)."""
    if isinstance(x, Tensor):
        return x if dtype is None or x.dtype == np.dtype(dtype) else ops.cast(x, dtype)
    return Tensor(x, dtype=dtype)


from . import ops  # noqa: E402  (the ops are built on Tensor and Function, defined above)
