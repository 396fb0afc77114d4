"""Merge layers: combine a list of tensors into one (the joints of a functional model).

Element-wise (inputs of one shape; an axis of length 1 broadcasts):

    Add        y = x₁ + x₂ + … + xₙ            Multiply   y = x₁ ⊙ x₂ ⊙ … ⊙ xₙ
    Subtract   y = x₁ − x₂  (exactly two)      Average    y = (x₁ + … + xₙ) / n
    Maximum    y = max(x₁, …, xₙ)              Minimum    y = min(x₁, …, xₙ)

Along an axis:

    Concatenate  y = [x₁ | x₂ | … ] joined along ``axis``
    Dot          y[b] = Σₖ x₁[b, …, k, …] · x₂[b, …, k, …]  (a per-sample dot product)

Each has a Keras-style function form as well: ``add([a, b])`` is ``Add()([a, b])``.
"""
from __future__ import annotations

import functools

import numpy as np

from ... import ops
from ...ops.axes import is_int
from ..base import Layer, shape_of


def _merged_dim(dims):
    """The common length of one axis across inputs: equal lengths, 1 broadcasts, None unknown."""
    known = {d for d in dims if d is not None and d != 1}
    if len(known) > 1:
        return False
    if known:
        return known.pop()
    return 1 if all(d == 1 for d in dims) else None


class Merge(Layer):
    """Base of the merge layers: checks that the input is a list of compatible tensors.

    Subclasses set ``operation`` (a binary op folded over the inputs, left to right) or
    override ``merge``; Concatenate and Dot override the shape rule too.

    Input shape:
        A list of tensors of one shape (axes of length 1 broadcast).

    Output shape:
        That shape.
    """

    operation = None
    exact_inputs = None  # a number of inputs this layer requires (None: any number ≥ 1)

    def compute_mask(self, inputs, mask=None):
        """The padding mask of the result (Keras 3): the OR of the inputs' masks when every
        input has one, else None."""
        if not isinstance(mask, (list, tuple)) or any(m is None for m in mask):
            return None
        merged = np.asarray(mask[0], dtype=bool)
        for m in mask[1:]:
            merged = merged | np.asarray(m, dtype=bool)
        return merged

    def _check_list(self, shapes) -> list:
        if not isinstance(shapes, (list, tuple)) or not shapes or not all(isinstance(s, tuple) for s in shapes):
            raise ValueError(f"{self.name}: a merge layer must be called on a list of tensors, got {shapes!r}")
        if self.exact_inputs is not None and len(shapes) != self.exact_inputs:
            raise ValueError(f"{self.name}: expected exactly {self.exact_inputs} inputs, got {len(shapes)} "
                             f"(shapes {list(shapes)})")
        return list(shapes)

    def compute_output_shape(self, input_shape):
        shapes = self._check_list(input_shape)
        ranks = {len(s) for s in shapes}
        merged = [_merged_dim(dims) for dims in zip(*shapes)] if len(ranks) == 1 else [False]
        if any(d is False for d in merged):
            raise ValueError(f"{self.name}: inputs must have the same shape (an axis of length 1 may broadcast), "
                             f"got shapes {shapes}")
        return tuple(merged)

    def build(self, input_shape):
        self.compute_output_shape(input_shape)

    def merge(self, inputs: list):
        return functools.reduce(self.operation, inputs)

    def call(self, inputs):
        if not isinstance(inputs, (list, tuple)):
            raise ValueError(f"{self.name}: a merge layer must be called on a list of tensors, "
                             f"got a {type(inputs).__name__}")
        self.compute_output_shape(shape_of(list(inputs)))
        return self.merge(list(inputs))


class Add(Merge):
    """Element-wise sum of the inputs.

    Formula: y = x₁ + x₂ + … + xₙ   (∂L/∂xᵢ = ∂L/∂y)

    Args:
        Only the base layer's (name, dtype, ...).

    Input shape:
        A list of tensors of one shape (an axis of length 1 broadcasts).

    Output shape:
        That shape.
    """

    operation = staticmethod(ops.add)


class Subtract(Merge):
    """Element-wise difference of two inputs.

    Formula: y = x₁ − x₂   (∂L/∂x₁ = ∂L/∂y, ∂L/∂x₂ = −∂L/∂y)

    Args:
        Only the base layer's (name, dtype, ...).

    Input shape:
        A list of tensors of one shape (an axis of length 1 broadcasts); exactly two.

    Output shape:
        That shape.
    """

    operation = staticmethod(ops.sub)
    exact_inputs = 2


class Multiply(Merge):
    """Element-wise product of the inputs.

    Formula: y = x₁ ⊙ x₂ ⊙ … ⊙ xₙ   (∂L/∂xᵢ = ∂L/∂y ⊙ Π_{j≠i} xⱼ)

    Args:
        Only the base layer's (name, dtype, ...).

    Input shape:
        A list of tensors of one shape (an axis of length 1 broadcasts).

    Output shape:
        That shape.
    """

    operation = staticmethod(ops.mul)


class Maximum(Merge):
    """Element-wise maximum of the inputs.

    Formula: y = max(x₁, …, xₙ)   (the gradient goes to the largest input (shared on ties))

    Args:
        Only the base layer's (name, dtype, ...).

    Input shape:
        A list of tensors of one shape (an axis of length 1 broadcasts).

    Output shape:
        That shape.
    """

    operation = staticmethod(ops.maximum)


class Minimum(Merge):
    """Element-wise minimum of the inputs.

    Formula: y = min(x₁, …, xₙ)   (the gradient goes to the smallest input (shared on ties))

    Args:
        Only the base layer's (name, dtype, ...).

    Input shape:
        A list of tensors of one shape (an axis of length 1 broadcasts).

    Output shape:
        That shape.
    """

    operation = staticmethod(ops.minimum)


class Average(Merge):
    """Element-wise mean of the inputs.

    Formula: y = (x₁ + … + xₙ) / n   (∂L/∂xᵢ = ∂L/∂y / n)

    Args:
        Only the base layer's (name, dtype, ...).

    Input shape:
        A list of tensors of one shape (an axis of length 1 broadcasts).

    Output shape:
        That shape.
    """

    operation = staticmethod(ops.add)

    def merge(self, inputs: list):
        return super().merge(inputs) * (1.0 / len(inputs))


class Concatenate(Merge):
    """Joins the inputs along ``axis``.

    Formula: y = [x₁ | x₂ | … | xₙ] along ``axis``;  ∂L/∂xᵢ is the slice of ∂L/∂y from xᵢ.

    Args:
        axis: the axis to join along (default −1).

    Input shape:
        A list of tensors of one rank, equal on every axis but ``axis``.

    Output shape:
        That shape, with ``axis`` the sum of the inputs' lengths.
    """

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        if not is_int(axis):
            raise ValueError(f"Concatenate: axis must be an int, got {axis!r}")
        self.axis = int(axis)

    def compute_output_shape(self, input_shape):
        shapes = self._check_list(input_shape)
        rank = len(shapes[0])
        if any(len(s) != rank for s in shapes) or not -rank <= self.axis < rank:
            raise ValueError(f"{self.name}: inputs must have one rank with axis {self.axis} in it, got shapes {shapes}")
        axis = self.axis % rank
        out = []
        for a, dims in enumerate(zip(*shapes)):
            if a == axis:
                out.append(None if None in dims else sum(dims))
                continue
            known = {d for d in dims if d is not None}
            if len(known) > 1:
                raise ValueError(f"{self.name}: inputs must match on every axis except axis {self.axis}, "
                                 f"got shapes {shapes}")
            out.append(known.pop() if known else None)
        return tuple(out)

    def compute_mask(self, inputs, mask=None):
        """Keras 3: each input's mask broadcast over its features (all True for an input
        without one), concatenated along ``axis``, then True where any feature is: padding
        stays masked when every input masks it."""
        if not isinstance(mask, (list, tuple)) or all(m is None for m in mask):
            return None
        masks = []
        for x, m in zip(inputs, mask):
            if m is None:
                masks.append(np.ones(x.shape, dtype=bool))
            elif np.ndim(m) < len(x.shape):
                masks.append(np.broadcast_to(np.asarray(m, dtype=bool)[..., None], x.shape))
            else:
                masks.append(np.asarray(m, dtype=bool))
        return np.concatenate(masks, axis=self.axis).any(axis=-1)

    def merge(self, inputs: list):
        return ops.concatenate(inputs, axis=self.axis)

    def get_config(self) -> dict:
        return {**super().get_config(), "axis": self.axis}


class Dot(Merge):
    """Dot product of two tensors along an axis, sample by sample (Keras's ``batch_dot``).

    Formula: y[b, i…, j…] = Σₖ x₁[b, i…, k] · x₂[b, k, j…]  (k runs over axes[0] of x₁ and axes[1] of x₂)

    For two (batch, n) inputs and ``axes=1`` the output is (batch, 1): one dot product per
    sample. With ``normalize=True`` both inputs are first scaled to unit L2 norm along the
    axis, x / max(‖x‖, 1e-7), so y is the cosine similarity.

    Args:
        axes: int, or a pair (axis of x₁, axis of x₂); not the batch axis 0.
        normalize: L2-normalise along the axes before the product.

    Input shape:
        A list of two tensors, (batch, …) each, of equal length on the contracted axes.

    Output shape:
        (batch, x₁'s other axes…, x₂'s other axes…); (batch, 1) if no axis is left.
    """

    exact_inputs = 2

    def __init__(self, axes, normalize=False, **kwargs):
        super().__init__(**kwargs)
        pair = (axes, axes) if isinstance(axes, int) else tuple(axes)
        if len(pair) != 2 or not all(isinstance(a, int) and not isinstance(a, bool) for a in pair):
            raise ValueError(f"Dot: axes must be an int or a pair of ints, got {axes!r}")
        self.axes = axes if isinstance(axes, int) else list(pair)
        self.normalize = bool(normalize)

    def compute_mask(self, inputs, mask=None):
        """No mask: a dot product mixes the steps (as Keras)."""
        return None

    def _resolve_axes(self, shapes) -> tuple:
        pair = (self.axes, self.axes) if isinstance(self.axes, int) else self.axes
        resolved = []
        for a, shape in zip(pair, shapes):
            if not -len(shape) <= a < len(shape) or a % len(shape) == 0:
                raise ValueError(f"{self.name}: axes {self.axes} must name a non-batch axis of each input, "
                                 f"got shapes {shapes}")
            resolved.append(a % len(shape))
        (a1, a2), (s1, s2) = resolved, shapes
        if None not in (s1[a1], s2[a2]) and s1[a1] != s2[a2]:
            raise ValueError(f"{self.name}: the dot-product axes must have one length: axis {a1} of {s1} has "
                             f"{s1[a1]}, axis {a2} of {s2} has {s2[a2]}")
        return a1, a2

    def compute_output_shape(self, input_shape):
        shapes = self._check_list(input_shape)
        a1, a2 = self._resolve_axes(shapes)
        rest = [d for a, d in enumerate(shapes[0]) if a not in (0, a1)] + \
               [d for a, d in enumerate(shapes[1]) if a not in (0, a2)]
        return (shapes[0][0], *(rest or [1]))

    @staticmethod
    def _l2_normalize(x, axis):
        norm = ops.sqrt(ops.sum(ops.square(x), axis=axis, keepdims=True))
        return x / ops.maximum(norm, 1e-7)

    def merge(self, inputs: list):
        x1, x2 = inputs
        a1, a2 = self._resolve_axes([x1.shape, x2.shape])
        if self.normalize:
            x1, x2 = self._l2_normalize(x1, a1), self._l2_normalize(x2, a2)
        batch, k = x1.shape[0], x1.shape[a1]
        others1 = [a for a in range(1, x1.ndim) if a != a1]
        others2 = [a for a in range(1, x2.ndim) if a != a2]
        if a1 != x1.ndim - 1:  # contracted axis last in x₁ ...
            x1 = ops.transpose(x1, (0, *others1, a1))
        if a2 != 1:  # ... and first (after the batch) in x₂
            x2 = ops.transpose(x2, (0, a2, *others2))
        rest1, rest2 = x1.shape[1:-1], x2.shape[2:]
        y = ops.matmul(ops.reshape(x1, (batch, -1, k)), ops.reshape(x2, (batch, k, -1)))
        return ops.reshape(y, (batch, *rest1, *rest2) if rest1 or rest2 else (batch, 1))

    def get_config(self) -> dict:
        return {**super().get_config(), "axes": self.axes, "normalize": self.normalize}


def add(inputs, **kwargs):
    """``Add(**kwargs)(inputs)``."""
    return Add(**kwargs)(inputs)


def subtract(inputs, **kwargs):
    """``Subtract(**kwargs)(inputs)``."""
    return Subtract(**kwargs)(inputs)


def multiply(inputs, **kwargs):
    """``Multiply(**kwargs)(inputs)``."""
    return Multiply(**kwargs)(inputs)


def average(inputs, **kwargs):
    """``Average(**kwargs)(inputs)``."""
    return Average(**kwargs)(inputs)


def maximum(inputs, **kwargs):
    """``Maximum(**kwargs)(inputs)``."""
    return Maximum(**kwargs)(inputs)


def minimum(inputs, **kwargs):
    """``Minimum(**kwargs)(inputs)``."""
    return Minimum(**kwargs)(inputs)


def concatenate(inputs, axis=-1, **kwargs):
    """``Concatenate(axis, **kwargs)(inputs)``."""
    return Concatenate(axis=axis, **kwargs)(inputs)


def dot(inputs, axes=-1, normalize=False, **kwargs):
    """``Dot(axes, normalize, **kwargs)(inputs)``."""
    return Dot(axes=axes, normalize=normalize, **kwargs)(inputs)
