"""DepthwiseConv1D/2D and SeparableConv1D/2D: a filter per channel, then (separable) a 1×1 mix."""
from __future__ import annotations

from ... import ops
from ..arguments import check_bool, check_positive_int
from .base_conv import SlidingWindow


class BaseDepthwiseConv(SlidingWindow):
    """Depthwise convolution: each input channel c has its own ``depth_multiplier`` filters.

    Formula (2-D): y[n, i, j, c·M + m] = a( Σ_{p, q} x̃[n, i·s + p·d, j·s + q·d, c] · W[p, q, c, m] + b[c·M + m] )

    It is a grouped convolution with one group per channel (groups = channels), and costs
    kh·kw·C·M weights instead of kh·kw·C·F. Weights: kernel (*kernel_size, C, M), bias (C·M,).
    """

    causal_allowed = False

    def __init__(self, rank, depth_multiplier=1, kernel_size=3, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, activation=None, use_bias=True, depthwise_initializer="glorot_uniform",
                 bias_initializer="zeros", depthwise_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, depthwise_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(rank, kernel_size, strides, padding, data_format, dilation_rate, activation,
                         activity_regularizer=activity_regularizer, **kwargs)
        self.depth_multiplier = check_positive_int(type(self).__name__, "depth_multiplier", depth_multiplier)
        self.use_bias = check_bool(type(self).__name__, "use_bias", use_bias)
        self._set_weight_options("depthwise", depthwise_initializer, depthwise_regularizer, depthwise_constraint)
        self._set_weight_options("bias", bias_initializer, bias_regularizer, bias_constraint)

    def _input_channels(self):
        return self.kernel.shape[-2] if self.built else None

    def _make_weights(self, input_shape):
        channels = input_shape[-1]
        self.kernel = self._make_weight("depthwise", (*self.kernel_size, channels, self.depth_multiplier), "kernel")
        self.bias = self._make_bias(channels * self.depth_multiplier)

    def depthwise(self, inputs, kernel, bias=None):
        """The per-channel convolution: a convolution with groups = channels, kernel (…, 1, C·M)."""
        channels = kernel.shape[-2]
        grouped = ops.reshape(kernel, (*kernel.shape[:-2], 1, channels * kernel.shape[-1]))
        return ops.conv(inputs, grouped, bias=bias, strides=self.strides, padding=self.padding,
                        dilation_rate=self.dilation_rate, groups=channels)

    def _forward(self, x):
        return self._apply_activation(self.depthwise(x, self.kernel, self.bias))

    def _output_shape(self, input_shape):
        return (input_shape[0], *self._spatial_output(input_shape), input_shape[-1] * self.depth_multiplier)

    def get_config(self) -> dict:
        return {**super().get_config(), "depth_multiplier": self.depth_multiplier, "use_bias": self.use_bias,
                **self._weight_config("depthwise", "bias")}


class DepthwiseConv2D(BaseDepthwiseConv):
    """2-D depthwise convolution (MobileNet's building block); arguments as in Conv2D, plus
    ``depth_multiplier`` (filters per input channel) and ``depthwise_*`` weight options."""

    def __init__(self, kernel_size, strides=(1, 1), padding="valid", depth_multiplier=1, data_format=None,
                 dilation_rate=(1, 1), activation=None, use_bias=True, **kwargs):
        super().__init__(2, depth_multiplier, kernel_size, strides=strides, padding=padding,
                         data_format=data_format, dilation_rate=dilation_rate, activation=activation,
                         use_bias=use_bias, **kwargs)


class DepthwiseConv1D(BaseDepthwiseConv):
    """1-D depthwise convolution over (batch, steps, channels); see DepthwiseConv2D."""

    def __init__(self, kernel_size, strides=1, padding="valid", depth_multiplier=1, data_format=None,
                 dilation_rate=1, activation=None, use_bias=True, **kwargs):
        super().__init__(1, depth_multiplier, kernel_size, strides=strides, padding=padding,
                         data_format=data_format, dilation_rate=dilation_rate, activation=activation,
                         use_bias=use_bias, **kwargs)


class BaseSeparableConv(BaseDepthwiseConv):
    """Depthwise separable convolution: a depthwise convolution, then a 1×1 convolution mixing channels.

    Formula: y = a( pointwise(depthwise(x)) + b ),
        depthwise: u[n, i, j, c·M + m] = Σ_{p, q} x̃[n, i·s + p·d, j·s + q·d, c] · D[p, q, c, m]
        pointwise: y[n, i, j, o] = Σ_k u[n, i, j, k] · P[k, o] + b[o]
    kh·kw·C·M + C·M·F weights instead of a full convolution's kh·kw·C·F (Xception, MobileNet).
    Weights: depthwise_kernel (*kernel_size, C, M), pointwise_kernel (1, …, C·M, filters), bias (filters,).
    """

    def __init__(self, rank, filters, kernel_size, strides=1, padding="valid", data_format=None, dilation_rate=1,
                 depth_multiplier=1, activation=None, use_bias=True, depthwise_initializer="glorot_uniform",
                 pointwise_initializer="glorot_uniform", bias_initializer="zeros", depthwise_regularizer=None,
                 pointwise_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 depthwise_constraint=None, pointwise_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(rank, depth_multiplier, kernel_size, strides, padding, data_format, dilation_rate,
                         activation, use_bias, depthwise_initializer, bias_initializer, depthwise_regularizer,
                         bias_regularizer, activity_regularizer, depthwise_constraint, bias_constraint, **kwargs)
        self.filters = check_positive_int(type(self).__name__, "filters", filters)
        self._set_weight_options("pointwise", pointwise_initializer, pointwise_regularizer, pointwise_constraint)

    def _input_channels(self):
        return self.depthwise_kernel.shape[-2] if self.built else None

    def _make_weights(self, input_shape):
        channels = input_shape[-1]
        self.depthwise_kernel = self._make_weight(
            "depthwise", (*self.kernel_size, channels, self.depth_multiplier), "depthwise_kernel")
        self.pointwise_kernel = self._make_weight(
            "pointwise", ((1,) * self.rank + (channels * self.depth_multiplier, self.filters)), "pointwise_kernel")
        self.bias = self._make_bias(self.filters)

    def _forward(self, x):
        u = self.depthwise(x, self.depthwise_kernel)
        return self._apply_activation(ops.conv(u, self.pointwise_kernel, bias=self.bias))

    def _output_shape(self, input_shape):
        return (input_shape[0], *self._spatial_output(input_shape), self.filters)

    def get_config(self) -> dict:
        config = {**super().get_config(), "filters": self.filters,
                  **self._weight_config("depthwise", "pointwise", "bias")}
        return config


class SeparableConv2D(BaseSeparableConv):
    """2-D depthwise separable convolution; arguments as in Conv2D plus ``depth_multiplier`` and
    ``depthwise_*`` / ``pointwise_*`` weight options."""

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid", data_format=None,
                 dilation_rate=(1, 1), depth_multiplier=1, activation=None, use_bias=True, **kwargs):
        super().__init__(2, filters, kernel_size, strides=strides, padding=padding, data_format=data_format,
                         dilation_rate=dilation_rate, depth_multiplier=depth_multiplier, activation=activation,
                         use_bias=use_bias, **kwargs)


class SeparableConv1D(BaseSeparableConv):
    """1-D depthwise separable convolution over (batch, steps, channels); see SeparableConv2D."""

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None, dilation_rate=1,
                 depth_multiplier=1, activation=None, use_bias=True, **kwargs):
        super().__init__(1, filters, kernel_size, strides=strides, padding=padding, data_format=data_format,
                         dilation_rate=dilation_rate, depth_multiplier=depth_multiplier, activation=activation,
                         use_bias=use_bias, **kwargs)
