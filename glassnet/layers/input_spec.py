"""InputSpec: what a layer says about the inputs it accepts (Keras's ``keras.InputSpec``).

A layer sets ``self.input_spec`` (one spec, or a list with one per input) — usually in
``build``, once it knows the sizes its weights were made for — and every later call checks
its inputs against it before ``call`` runs, with an error that names the layer::

    class Projection(glassnet.Layer):
        def build(self, input_shape):
            self.w = self.add_weight(shape=(input_shape[-1], 4))
            self.input_spec = InputSpec(min_ndim=2, axes={-1: input_shape[-1]})

    Projection()(np.ones((2, 3)))      # builds for 3 features
    Projection()(np.ones((2, 5)))      # → ValueError: ... expected axis -1 ... to have value 3

The checks, for an input x of rank n and shape s (each only when the spec sets it):

    ndim = k          n == k
    min_ndim = k      n ≥ k
    max_ndim = k      n ≤ k
    shape = t         n == len(t) and sᵢ == tᵢ wherever tᵢ is not None
    axes = {a: d}     s[a] == d (a may be negative); d None: any size
    dtype = d         x's dtype is d
"""
from __future__ import annotations

import numpy as np


class InputSpec:
    """The rank, shape, axis sizes and dtype a layer's input must have.

    Args:
        dtype: the expected dtype, or None for any.
        shape: the expected shape (None entries: any size), batch axis included.
        ndim: the expected rank.
        max_ndim, min_ndim: bounds on the rank.
        axes: ``{axis: size}`` — sizes that particular axes must have.
        allow_last_axis_squeeze: accept a trailing axis of size 1 more or less than ``ndim``
            or ``shape`` say (Keras's flag).
        name: the input's name (for messages).
        optional: the input may be None (then it is not checked).

    Raises:
        ValueError: ``axes`` given with an ``ndim`` they do not fit, or an axes dict that is
            not ``{int: int or None}``.
    """

    def __init__(self, dtype=None, shape=None, ndim=None, max_ndim=None, min_ndim=None, axes=None,
                 allow_last_axis_squeeze=False, name=None, optional=False):
        self.dtype = None if dtype is None else str(np.dtype(dtype))
        self.shape = None if shape is None else tuple(shape)
        self.ndim = len(self.shape) if self.shape is not None else ndim
        self.max_ndim, self.min_ndim = max_ndim, min_ndim
        self.allow_last_axis_squeeze = bool(allow_last_axis_squeeze)
        self.name, self.optional = name, bool(optional)
        axes = dict(axes or {})
        for axis, size in axes.items():
            if not isinstance(axis, (int, np.integer)) or not (size is None or isinstance(size, (int, np.integer))):
                raise ValueError(f"InputSpec: axes must map int axes to int sizes (or None), got {axes!r}")
        if self.ndim is not None and axes:
            worst = max(a if a >= 0 else -a - 1 for a in axes)
            if worst >= self.ndim:
                raise ValueError(f"InputSpec: axes {axes} do not fit ndim={self.ndim}")
        self.axes = {int(a): s for a, s in axes.items()}

    def __repr__(self) -> str:
        fields = {"dtype": self.dtype, "shape": self.shape, "ndim": self.ndim, "max_ndim": self.max_ndim,
                  "min_ndim": self.min_ndim, "axes": self.axes or None}
        return "InputSpec(" + ", ".join(f"{k}={v!r}" for k, v in fields.items() if v is not None) + ")"

    def get_config(self) -> dict:
        return {"dtype": self.dtype, "shape": self.shape, "ndim": self.ndim, "max_ndim": self.max_ndim,
                "min_ndim": self.min_ndim, "axes": self.axes}

    @classmethod
    def from_config(cls, config: dict) -> "InputSpec":
        return cls(**config)


def _squeezed(shape: tuple, expected_ndim) -> tuple:
    if expected_ndim is not None and len(shape) == expected_ndim + 1 and shape[-1] == 1:
        return shape[:-1]
    return shape


def assert_input_compatibility(input_spec, inputs, layer_name: str) -> None:
    """Check ``inputs`` against ``input_spec`` (one spec or a list); raise naming the layer.

    Raises:
        ValueError: for the first check that fails (see the module docstring), or a number
            of inputs different from the number of specs.
    """
    if input_spec is None:
        return
    specs = input_spec if isinstance(input_spec, (list, tuple)) else [input_spec]
    if isinstance(inputs, dict):
        inputs = list(inputs.values())
    flat = list(inputs) if isinstance(inputs, (list, tuple)) and len(specs) > 1 else [inputs]
    if len(flat) != len(specs):
        raise ValueError(f"Layer {layer_name!r} expects {len(specs)} input(s), but it received {len(flat)} input "
                         "tensors")
    for index, (spec, x) in enumerate(zip(specs, flat)):
        if spec is None or (x is None and spec.optional):
            continue
        shape = tuple(getattr(x, "shape", np.shape(x)))
        where = f"Input {index} of layer {layer_name!r} is incompatible with the layer:"
        if spec.allow_last_axis_squeeze:
            shape = _squeezed(shape, spec.ndim)
        n = len(shape)
        if spec.ndim is not None and n != spec.ndim:
            raise ValueError(f"{where} expected ndim={spec.ndim}, found ndim={n}. Full shape received: {shape}")
        if spec.max_ndim is not None and n > spec.max_ndim:
            raise ValueError(f"{where} expected max_ndim={spec.max_ndim}, found ndim={n}. Full shape received: "
                             f"{shape}")
        if spec.min_ndim is not None and n < spec.min_ndim:
            raise ValueError(f"{where} expected min_ndim={spec.min_ndim}, found ndim={n}. Full shape received: "
                             f"{shape}")
        dtype = getattr(x, "dtype", None)
        if spec.dtype is not None and dtype is not None and str(np.dtype(dtype)) != spec.dtype:
            raise ValueError(f"{where} expected dtype={spec.dtype}, found dtype={dtype}")
        for axis, size in spec.axes.items():
            if size is None:
                continue
            if not -n <= axis < n:
                raise ValueError(f"{where} expected an axis {axis} of size {size}, but the input has ndim={n}. Full "
                                 f"shape received: {shape}")
            if shape[axis] is not None and shape[axis] != size:
                raise ValueError(f"{where} expected axis {axis} of input shape to have value {size}, but received "
                                 f"input with shape {shape}")
        if spec.shape is not None:
            for expected, got in zip(spec.shape, shape):
                if expected is not None and got is not None and expected != got:
                    raise ValueError(f"{where} expected shape={spec.shape}, found shape={shape}")


__all__ = ["InputSpec", "assert_input_compatibility"]
