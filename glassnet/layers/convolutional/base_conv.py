"""What every convolution layer shares: its window arguments, input checks and output shape."""
from __future__ import annotations

from ... import activations, ops
from ...ops.windows import conv_output_length, padding_amounts
from ..arguments import (
    check_bool,
    check_positive_int,
    check_spatial_rank,
    normalize_padding,
    normalize_tuple,
)
from ..base import Layer
from ..reshaping.channels import from_channels_last, shape_from_channels_last, shape_to_channels_last, \
    standardize_data_format, to_channels_last
from ..weight_options import WeightOptions


class SlidingWindow(WeightOptions, Layer):
    """The window arguments of a convolution (kernel_size, strides, padding, dilation_rate).

    Every family computes channels-last; "channels_first" input (batch, channels, *spatial)
    is moved to channels-last around the computation (``reshaping/channels.py``), so each
    family writes three channels-last pieces and this class does the rest:

        _make_weights(shape)   build's weights, from the checked channels-last input shape
        _forward(x)            the layer's formula on a channels-last x
        _output_shape(shape)   channels-last input shape → channels-last output shape

    ``_check_input`` runs first in build, call and compute_output_shape, so bad input raises
    before any weight exists: wrong rank, unknown or changed channel count, or a kernel that
    does not fit in the padded input. Keras's weight shapes do not depend on data_format.
    """

    rank: int
    shape_by_arithmetic = True       # functional graphs take compute_output_shape, not a probe run
    causal_allowed = True            # "causal" padding, for 1-D layers that slide a kernel forward

    def __init__(self, rank, kernel_size, strides=1, padding="valid", data_format=None, dilation_rate=1,
                 activation=None, **kwargs):
        super().__init__(**kwargs)
        owner = type(self).__name__
        self.rank = rank
        self.kernel_size = normalize_tuple(owner, "kernel_size", kernel_size, rank)
        self.strides = normalize_tuple(owner, "strides", strides, rank)
        self.dilation_rate = normalize_tuple(owner, "dilation_rate", dilation_rate, rank)
        self.padding = normalize_padding(owner, padding, ("valid", "same", "causal")
                                         if rank == 1 and self.causal_allowed else ("valid", "same"))
        self.data_format = standardize_data_format(owner, data_format)
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError(f"{owner}: strides > 1 cannot be combined with dilation_rate > 1 (as in Keras), "
                             f"got strides={self.strides} and dilation_rate={self.dilation_rate}")
        self.activation = activations.get(activation)

    # --- shapes -------------------------------------------------------------------------
    def _input_channels(self):
        """The channel count the built layer expects (None before build); each family says where it reads it."""
        raise NotImplementedError(f"{type(self).__name__} must implement _input_channels")

    def _check_input(self, shape) -> tuple:
        """Check an input shape; returns it channels-last."""
        raw = tuple(shape)
        check_spatial_rank(self, raw, self.rank)
        shape = shape_to_channels_last(raw, self.data_format)
        expected = self._input_channels()
        if shape[-1] is None or (expected is not None and shape[-1] != expected):
            where = "axis 1" if self.data_format == "channels_first" else "the last axis"
            raise ValueError(f"{self.name}: expected {expected if expected is not None else 'a known number of'} "
                             f"input channels ({where}), got shape {raw}")
        self._check_fits(shape, raw)
        return shape

    def _check_fits(self, shape, raw) -> None:
        """A kernel that fits each spatial axis of the channels-last ``shape`` (``raw``: as given)."""
        for n, k, s, d in zip(shape[1:-1], self.kernel_size, self.strides, self.dilation_rate):
            if n is not None and conv_output_length(n, k, self.padding, s, d) <= 0:
                before, after = padding_amounts(n, k, self.padding, s, d)
                raise ValueError(f"{self.name}: kernel {self.kernel_size} (dilation {self.dilation_rate}) is larger "
                                 f"than the padded input: input shape {raw}, padding {self.padding!r} "
                                 f"({before}+{after} on an axis of {n})")

    def _spatial_output(self, shape) -> tuple:
        return tuple(conv_output_length(n, k, self.padding, s, d)
                     for n, k, s, d in zip(shape[1:-1], self.kernel_size, self.strides, self.dilation_rate))

    def build(self, input_shape):
        self._make_weights(self._check_input(input_shape))

    def call(self, inputs):
        self._check_input(inputs.shape)
        return from_channels_last(self._forward(to_channels_last(inputs, self.data_format)), self.data_format)

    def compute_output_shape(self, input_shape):
        return shape_from_channels_last(self._output_shape(self._check_input(input_shape)), self.data_format)

    def _apply_activation(self, z):
        return z if self.activation is activations.linear else self.activation(z)

    # --- weights: each named by a prefix ("kernel", "depthwise", "bias"); see weight_options.py ---
    def _make_bias(self, size):
        return self._make_weight("bias", (size,), "bias") if self.use_bias else None

    def get_config(self) -> dict:
        return {**super().get_config(), "kernel_size": self.kernel_size, "strides": self.strides,
                "padding": self.padding, "data_format": self.data_format, "dilation_rate": self.dilation_rate,
                "activation": activations.serialize(self.activation)}


class BaseConv(SlidingWindow):
    """Convolution layer for ``rank`` spatial axes: y = a(x ⊛ W + b).

    Formula (2-D; 1-D drops j and b):
        y[n, i, j, o] = a( Σ_{p, q, c} x̃[n, i·s + p·d, j·s + q·d, c] · W[p, q, c, o] + b[o] )
    x̃ is the input with its padding, s the strides, d the dilation rate; W (kh, kw, in/groups,
    filters) and b (filters,) are Keras's layouts. Each spatial output size is
    ⌊(n + 2p − f)/s⌋ + 1 (``glassnet.ops.conv_output_length``).
    """

    def __init__(self, rank, filters, kernel_size, strides=1, padding="valid", data_format=None, dilation_rate=1,
                 groups=1, activation=None, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(rank, kernel_size, strides, padding, data_format, dilation_rate, activation,
                         activity_regularizer=activity_regularizer, **kwargs)
        owner = type(self).__name__
        self.filters = check_positive_int(owner, "filters", filters)
        self.groups = check_positive_int(owner, "groups", groups)
        if self.filters % self.groups:
            raise ValueError(f"{owner}: filters ({self.filters}) must be divisible by groups ({self.groups})")
        self.use_bias = check_bool(type(self).__name__, "use_bias", use_bias)
        self._set_weight_options("kernel", kernel_initializer, kernel_regularizer, kernel_constraint)
        self._set_weight_options("bias", bias_initializer, bias_regularizer, bias_constraint)

    def _input_channels(self):
        return self.kernel.shape[-2] * self.groups if self.built else None

    def _make_weights(self, input_shape):
        channels = input_shape[-1]
        if channels % self.groups:
            raise ValueError(f"{self.name}: the input's {channels} channels are not divisible by groups "
                             f"({self.groups}); input shape {tuple(input_shape)}")
        self.kernel = self._make_weight("kernel", (*self.kernel_size, channels // self.groups, self.filters), "kernel")
        self.bias = self._make_bias(self.filters)

    def _forward(self, x):
        relu = self.activation is activations.relu          # fused into the convolution's output
        z = ops.conv(x, self.kernel, bias=self.bias, strides=self.strides, padding=self.padding,
                     dilation_rate=self.dilation_rate, groups=self.groups, relu=relu)
        return z if relu else self._apply_activation(z)

    def _output_shape(self, input_shape):
        return (input_shape[0], *self._spatial_output(input_shape), self.filters)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "filters": self.filters,
            "groups": self.groups,
            "use_bias": self.use_bias,
            **self._weight_config("kernel", "bias"),
        }
