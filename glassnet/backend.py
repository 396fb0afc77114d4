"""The backend: which array library computes, in which float dtype, with which random stream.

Everything numeric in glassnet goes through three things defined here:

* ``xp`` — the array namespace. It is NumPy; ``set_array_module("cupy")`` swaps in CuPy
  (when installed) without touching any op, because ops compute only through
  ``xp.<function>`` (``xp`` is a small forwarding object, so ``from glassnet.backend import
  xp`` stays valid after a swap). Host-side bookkeeping — shapes, axes, dtypes — stays
  NumPy. (CuPy itself is not exercised by the tests; no GPU is assumed.)
* ``floatx()`` — the default float dtype of new tensors and weights ("float32" unless
  changed with ``set_floatx``, exactly as ``keras.backend.set_floatx``).
* ``rng()`` — the one ``numpy.random.Generator`` every initializer, dropout mask and
  shuffle draws from. ``glassnet.utils.set_random_seed(seed)`` re-seeds it. No code in
  glassnet touches the global ``np.random`` state.
"""
from __future__ import annotations

import importlib

import numpy as np

_array_module = np


class _ArrayNamespace:
    """Forwards every attribute to the current array module (NumPy unless swapped).

    An attribute found is remembered on the namespace itself, so the next ``xp.exp`` is a
    plain attribute read (forwarding costs ~0.5 µs, and an op makes several); swapping the
    module forgets them all.
    """

    def __getattr__(self, name):
        value = getattr(_array_module, name)
        self.__dict__[name] = value
        return value

    def __repr__(self) -> str:
        return f"<glassnet array namespace: {_array_module.__name__}>"


xp = _ArrayNamespace()
"""The array namespace every op computes with (NumPy by default)."""

_FLOATX = "float32"
_EPSILON = 1e-7
_VALID_FLOATX = ("float16", "float32", "float64")
_rng = np.random.default_rng()


def floatx() -> str:
    """The default float dtype, as a string ("float32" unless changed)."""
    return _FLOATX


def set_floatx(value: str) -> None:
    """Set the default float dtype: "float16", "float32" or "float64".

    Raises:
        ValueError: if ``value`` is not one of those names.
    """
    global _FLOATX
    name = str(np.dtype(value)) if isinstance(value, (type, np.dtype)) else value
    if name not in _VALID_FLOATX:
        raise ValueError(f"set_floatx: unknown float dtype {value!r}; expected one of {_VALID_FLOATX}")
    _FLOATX = name


def epsilon() -> float:
    """The fuzz factor used by losses and metrics (Keras's ``backend.epsilon()``, 1e-7)."""
    return _EPSILON


def set_epsilon(value: float) -> None:
    """Set the fuzz factor returned by ``epsilon()``."""
    global _EPSILON
    _EPSILON = float(value)


_IMAGE_DATA_FORMAT = "channels_last"


def image_data_format() -> str:
    """Where image layers expect the channels: "channels_last" (NHWC, the default) or
    "channels_first" (NCHW) — Keras's ``backend.image_data_format()``."""
    return _IMAGE_DATA_FORMAT


def set_image_data_format(data_format: str) -> None:
    """Set the value ``image_data_format()`` returns (what Keras code reads to lay out its
    arrays; glassnet's image layers take their own ``data_format`` argument).

    Raises:
        ValueError: anything but "channels_last" or "channels_first".
    """
    global _IMAGE_DATA_FORMAT
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError(f"set_image_data_format: expected 'channels_last' or 'channels_first', got {data_format!r}")
    _IMAGE_DATA_FORMAT = data_format


def clear_session(free_memory: bool = True) -> None:
    """Start afresh, as ``keras.backend.clear_session()``: automatic layer names count from
    the start again ("dense", "dense_1", ...). glassnet keeps no graph or device state
    between models, so there is nothing else to free; the random stream is left as it is
    (``glassnet.utils.set_random_seed`` resets that)."""
    from .layers.base import clear_session as reset_names

    reset_names()


def rng() -> np.random.Generator:
    """The shared random generator (seed it with ``glassnet.utils.set_random_seed``)."""
    return _rng


def set_seed(seed: int | None) -> None:
    """Re-create the shared generator from ``seed`` (``None`` draws fresh OS entropy)."""
    global _rng
    _rng = np.random.default_rng(seed)


def set_array_module(module) -> None:
    """Choose the array library: "numpy", "cupy" (must be installed), or a module object
    with NumPy's API (used by the tests to prove every op goes through ``xp``).

    Raises:
        ImportError: if the named module cannot be imported.
        ValueError: for any other name.
    """
    global _array_module
    if isinstance(module, str):
        if module not in ("numpy", "cupy"):
            raise ValueError(f"set_array_module: expected 'numpy' or 'cupy', got {module!r}")
        module = importlib.import_module(module)
    _array_module = module
    xp.__dict__.clear()


def array_module():
    """The module ``xp`` currently forwards to."""
    return _array_module


def to_numpy(array) -> np.ndarray:
    """Bring an array of the current backend back to host NumPy."""
    if _array_module is np or not hasattr(_array_module, "asnumpy"):
        return np.asarray(array)
    return _array_module.asnumpy(array)


# --- keras.backend's helpers for code that inspects dtypes and tensors ------------------------
_PYTHON_DTYPES = {bool: "bool", int: "int32", float: "float32", str: "string"}   # as Keras on JAX and torch


def backend() -> str:
    """The array library's name, where Keras answers "tensorflow", "jax", "torch" or "numpy":
    "numpy" (or "cupy" after ``set_array_module("cupy")``)."""
    return _array_module.__name__.split(".")[0]


def standardize_dtype(dtype) -> str:
    """A dtype's canonical name, as ``keras.backend.standardize_dtype``: None → ``floatx()``,
    Python ``float`` → "float32", ``int`` → "int32" (as glassnet.ops), ``bool``, NumPy dtypes and names (bool,
    integer, float, complex) → their
    names, "string" for text.

    Raises:
        ValueError: for anything else ("Invalid dtype: ..."), including "bfloat16" (NumPy has none).
    """
    if dtype is None:
        return floatx()
    dtype = _PYTHON_DTYPES.get(dtype, dtype) if isinstance(dtype, type) else dtype
    if isinstance(dtype, str) and dtype == "string":
        return "string"
    try:
        name = np.dtype(dtype).name
    except TypeError:
        raise ValueError(f"Invalid dtype: {dtype!r}") from None
    if np.dtype(dtype).kind not in "biufc":
        raise ValueError(f"Invalid dtype: {dtype!r} (expected a bool, integer, float or complex dtype, or 'string')")
    return name


def is_float_dtype(dtype) -> bool:
    """Whether ``dtype`` is a float dtype."""
    return standardize_dtype(dtype).startswith("float")


def is_int_dtype(dtype) -> bool:
    """Whether ``dtype`` is a signed or unsigned integer dtype."""
    return standardize_dtype(dtype).startswith(("int", "uint"))


def result_type(*dtypes) -> str:
    """The dtype an op of these dtypes gives, by glassnet's (Keras's) promotion rules.

    Floats win over integers and bools; two floats give the wider; Python ``int`` and
    ``float`` are weak (they never widen a tensor's dtype: int32 with float gives floatx).
    float64 stays float64, as on Keras's TensorFlow backend (its other backends turn 64-bit
    types into 32-bit ones).
    """
    from .ops.keras_base import result_dtype
    from .tensor import Tensor

    if not dtypes:
        return floatx()
    values = [(d(0) if d in (int, float) else Tensor(np.zeros((), standardize_dtype(d))))
              if isinstance(d, (str, type, np.dtype)) else d for d in dtypes]
    return np.dtype(result_dtype(*values)).name


def get_uid(prefix: str = "") -> int:
    """Count calls per ``prefix``: 1, 2, 3, ... — the counter automatic layer names use
    ("dense" is uid 1, "dense_1" uid 2), reset by ``clear_session``."""
    from .layers.base import next_uid

    return next_uid(prefix)


def is_keras_tensor(x) -> bool:
    """Whether ``x`` is a symbolic tensor of the functional API (``Input(...)`` or a layer of one)."""
    from .layers.node import SymbolicTensor

    return isinstance(x, SymbolicTensor)
