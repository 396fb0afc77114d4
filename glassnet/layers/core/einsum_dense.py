"""EinsumDense: a dense layer whose product is any einsum of the input and the kernel."""
from __future__ import annotations

import re
import string

import numpy as np

from ... import activations, constraints, initializers, ops, regularizers
from ...ops.axes import is_int
from ..base import Layer
from ..registry import serialize_component

_FORMS = (  # (pattern, where the ellipsis stands): the three equation forms Keras accepts
    (r"([a-zA-Z]+),([a-zA-Z]+)->([a-zA-Z]+)", None),
    (r"\.\.\.([a-zA-Z]+),([a-zA-Z]+)->\.\.\.([a-zA-Z]+)", "left"),
    (r"([a-zA-Z]{2,})\.\.\.,([a-zA-Z]+)->([a-zA-Z]+)\.\.\.", "right"),
)


def split_equation(equation: str) -> tuple:
    """``(input_spec, kernel_spec, output_spec, ellipsis)`` of an EinsumDense equation.

    Raises:
        ValueError: unless the equation is "X,W->Z", "...X,W->...Z" or "X...,W->Z...".
    """
    for pattern, ellipsis in _FORMS:
        match = re.fullmatch(pattern, equation) if isinstance(equation, str) else None
        if match:
            return (*match.groups(), ellipsis)
    raise ValueError(f"EinsumDense: invalid equation {equation!r}; it must have the form 'X,W->Z', "
                     f"'...X,W->...Z' or 'X...,W->Z...' (letters only)")


def analyze_einsum(equation: str, bias_axes, input_shape, output_shape) -> tuple:
    """Keras's rules for the weights of ``EinsumDense(equation, output_shape, bias_axes)``.

    * The full output shape: for "X,W->Z" and "X...,W->Z...", the input's first (batch) axis,
      then ``output_shape`` (the sizes of Z's other letters), then the axes "..." stands for;
      for "...X,W->...Z", the axes "..." stands for (the batch among them), then
      ``output_shape`` (the sizes of all of Z's letters).
    * Each kernel letter takes its size from the output if it appears there (an output
      axis), else from the input (an input axis); a letter in neither is an error.
    * The bias covers the output letters from the first letter of ``bias_axes`` to the end of
      the output spec: the size of each letter in ``bias_axes``, 1 for the others (so it
      broadcasts), then a 1 for each axis elided on the right.

    Returns:
        ``(kernel_shape, bias_shape or None, full_output_shape, input_axes, output_axes)``,
        the last two the kernel axes that count as fan-in and fan-out.

    Raises:
        ValueError: for an equation of another form, letters that do not match up, or
            sizes of a letter shared by input and output that differ.
    """
    input_spec, kernel_spec, output_spec, ellipsis = split_equation(equation)
    input_shape = tuple(input_shape)
    elided = len(input_shape) - len(input_spec)
    if elided < 0 or (elided and ellipsis is None):
        raise ValueError(f"EinsumDense: equation {equation!r} has {len(input_spec)} input axes, got an input "
                         f"of shape {input_shape}")
    partial = list(output_shape)
    if ellipsis == "left" and elided:          # (…, X) → (…, Z): the elided axes lead, batch among them
        full = [*input_shape[:elided], *partial]
        input_position = {c: i + elided for i, c in enumerate(input_spec)}
        output_position = {c: i + elided for i, c in enumerate(output_spec)}
    else:                                      # (X) → (batch, *output_shape), elided axes at the end
        full = [input_shape[0], *partial, *input_shape[len(input_spec):]]
        input_position = {c: i for i, c in enumerate(input_spec)}
        output_position = {c: i for i, c in enumerate(output_spec)}
    if max(output_position.values()) >= len(full):
        raise ValueError(f"EinsumDense: output_shape {tuple(output_shape)} is too short for the output "
                         f"'{output_spec}' of equation {equation!r}")
    for c in input_spec:
        if c in output_position and full[output_position[c]] not in (None, input_shape[input_position[c]]):
            raise ValueError(f"EinsumDense: axis '{c}' of equation {equation!r} has size "
                             f"{input_shape[input_position[c]]} in the input and {full[output_position[c]]} "
                             f"in output_shape")
    for c in output_spec:
        if c not in input_spec and c not in kernel_spec:
            raise ValueError(f"EinsumDense: output axis '{c}' of equation {equation!r} is in neither the input "
                             f"'{input_spec}' nor the kernel '{kernel_spec}'")
    kernel_shape, input_axes, output_axes = [], [], []
    for i, c in enumerate(kernel_spec):
        if c in output_position:
            kernel_shape.append(full[output_position[c]])
            output_axes.append(i)
        elif c in input_position:
            kernel_shape.append(input_shape[input_position[c]])
            input_axes.append(i)
        else:
            raise ValueError(f"EinsumDense: kernel axis '{c}' of equation {equation!r} is in neither the input "
                             f"'{input_spec}' nor the output '{output_spec}'")
    bias_shape = None
    if bias_axes is not None:
        missing = [c for c in bias_axes if c not in output_spec]
        if missing or not bias_axes:
            raise ValueError(f"EinsumDense: bias_axes {bias_axes!r} must be letters of the output "
                             f"'{output_spec}' of equation {equation!r}")
        first = min(output_spec.index(c) for c in bias_axes)
        bias_shape = [full[output_position[c]] if c in bias_axes else 1 for c in output_spec[first:]]
        if ellipsis != "left":
            bias_shape += [1] * elided
    return kernel_shape, bias_shape, full, input_axes, output_axes


def spell_out(equation: str, rank: int) -> str:
    """The equation with its "..." replaced by letters it does not use, one per elided axis
    of an input of ``rank`` axes (the einsum op names every axis)."""
    if "..." not in equation:
        return equation
    input_spec = split_equation(equation)[0]
    unused = [c for c in string.ascii_letters if c not in equation]
    return equation.replace("...", "".join(unused[:rank - len(input_spec)]))


class EinsumDense(Layer):
    """A dense layer written as an einsum: any contraction of the input with the kernel.

    Formula: y = a(einsum(equation, x, W) + b)

    ``EinsumDense("ab,bc->ac", output_shape=64)`` is ``Dense(64)`` (a: batch, b: in,
    c: units). ``"abc,cd->abd"`` is a Dense over the last axis of a sequence;
    ``"abc,cde->abde"`` projects each step into (heads, head_dim), as MultiHeadAttention
    does. The kernel's shape comes from the equation: each letter of W takes its size from
    the output (``output_shape``) if it is there, else from the input (the rules are in
    ``analyze_einsum``).

    Args:
        equation: "X,W->Z", "...X,W->...Z" or "X...,W->Z..." (letters name axes).
        output_shape: the output's shape without its first (batch) axis and without the axes
            "..." stands for; an int for one axis. None for an axis taken from the input.
        activation: activation name or function (default None: linear).
        bias_axes: output letters that get a bias (None: no bias), e.g. "c".
        kernel_initializer, bias_initializer: "glorot_uniform", "zeros". A variance-scaling
            initializer (glorot, he, lecun) counts the kernel's input letters as fan-in and
            its output letters as fan-out, as Keras does.
        kernel_regularizer, bias_regularizer, activity_regularizer, kernel_constraint,
        bias_constraint: as for ``Dense``.
        lora_rank, lora_alpha, gptq_unpacked_column_size, quantization_config: Keras's LoRA
            and quantization options; glassnet has neither and accepts only None.

    Input shape:
        Of rank len(X) (more with "...").

    Output shape:
        (batch, *output_shape) with the elided axes in place of "...".
    """

    def __init__(self, equation, output_shape, activation=None, bias_axes=None, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None, kernel_constraint=None,
                 bias_constraint=None, lora_rank=None, lora_alpha=None, gptq_unpacked_column_size=None,
                 quantization_config=None, **kwargs):
        for option, value in (("lora_rank", lora_rank), ("lora_alpha", lora_alpha),
                              ("gptq_unpacked_column_size", gptq_unpacked_column_size),
                              ("quantization_config", quantization_config)):
            if value is not None:
                raise ValueError(f"EinsumDense: {option}={value!r} is not supported (glassnet has no LoRA or "
                                 f"quantization); leave it None")
        split_equation(equation)
        super().__init__(**kwargs)
        self.equation = equation
        dims = (output_shape,) if is_int(output_shape) else output_shape
        if not isinstance(dims, (list, tuple)) or not all(d is None or (is_int(d) and d > 0) for d in dims):
            raise ValueError(f"EinsumDense: output_shape must be a positive int or a list/tuple of positive ints "
                             f"(or None), got {output_shape!r}")
        self.partial_output_shape = tuple(None if d is None else int(d) for d in dims)
        if bias_axes is not None and not (isinstance(bias_axes, str) and bias_axes.isalpha()):
            raise ValueError(f"EinsumDense: bias_axes must be None or a string of output letters, got {bias_axes!r}")
        self.bias_axes = bias_axes
        self.activation = activations.get(activation)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)

    def _kernel_initializer(self, input_axes, output_axes):
        """The initializer, with the fans of the einsum for a variance-scaling one: draw a
        (fan_in, fan_out) matrix (i.i.d. entries) and reshape it to the kernel's shape."""
        init = self.kernel_initializer
        if not isinstance(init, initializers.VarianceScaling):
            return init

        def with_einsum_fans(shape, dtype=None):
            fan_in = int(np.prod([shape[i] for i in input_axes]))
            fan_out = int(np.prod([shape[i] for i in output_axes]))
            return init((fan_in, fan_out), dtype=dtype).reshape(shape)
        return with_einsum_fans

    def build(self, input_shape):
        kernel_shape, bias_shape, _, input_axes, output_axes = analyze_einsum(
            self.equation, self.bias_axes, input_shape, self.partial_output_shape)
        for weight, shape in (("kernel", kernel_shape), ("bias", bias_shape or ())):
            if any(s is None for s in shape):
                raise ValueError(f"{self.name}: the {weight}'s shape {tuple(shape)} needs known sizes; give them in "
                                 f"output_shape or the input shape (got {tuple(input_shape)})")
        self._input_rank = len(input_shape)
        self.kernel = self.add_weight(tuple(kernel_shape), self._kernel_initializer(input_axes, output_axes),
                                      regularizer=self.kernel_regularizer, constraint=self.kernel_constraint,
                                      name="kernel")
        self.bias = None
        if bias_shape is not None:
            self.bias = self.add_weight(tuple(bias_shape), self.bias_initializer, regularizer=self.bias_regularizer,
                                        constraint=self.bias_constraint, name="bias")

    def call(self, inputs):
        if inputs.ndim != self._input_rank:
            raise ValueError(f"{self.name}: built for inputs of rank {self._input_rank}, got shape {inputs.shape}")
        y = ops.einsum(spell_out(self.equation, inputs.ndim), inputs, self.kernel)
        if self.bias is not None:
            y = y + self.bias
        return y if self.activation is activations.linear else self.activation(y)

    def compute_output_shape(self, input_shape):
        return tuple(analyze_einsum(self.equation, self.bias_axes, input_shape, self.partial_output_shape)[2])

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "output_shape": list(self.partial_output_shape),
            "equation": self.equation,
            "activation": activations.serialize(self.activation),
            "bias_axes": self.bias_axes,
            "kernel_initializer": serialize_component(initializers, self.kernel_initializer),
            "bias_initializer": serialize_component(initializers, self.bias_initializer),
            "kernel_regularizer": serialize_component(regularizers, self.kernel_regularizer),
            "bias_regularizer": serialize_component(regularizers, self.bias_regularizer),
            "kernel_constraint": serialize_component(constraints, self.kernel_constraint),
            "bias_constraint": serialize_component(constraints, self.bias_constraint),
            "quantization_config": None,
        }
