"""Conv1DTranspose, Conv2DTranspose and Conv3DTranspose: learned upsampling, the adjoint of a convolution."""
from __future__ import annotations

from ... import ops
from ...ops.windows import transposed_output_length
from ..arguments import check_bool, check_positive_int, normalize_tuple
from .base_conv import SlidingWindow


class BaseConvTranspose(SlidingWindow):
    """Transposed convolution for ``rank`` spatial axes: every input pixel stamps the kernel.

    Formula (2-D): ỹ[n, i·s + p·d, j·s + q·d, o] += Σ_c x[n, i, j, c] · W[p, q, o, c];
    y = a(window of ỹ + b). It is the gradient of a convolution with respect to its input,
    so it maps a convolution's output size back to its input size:

        "valid": (n − 1)·s + f_eff + e,  e = output_padding or max(f_eff, s) − f_eff   (n·s + max(f − s, 0))
        "same":  n·s, or (n − 1)·s + (f_eff mod 2) + e with an output_padding e

    Weights: kernel (*kernel_size, filters, in_channels) — Keras's layout, output channels
    before input channels — and bias (filters,).
    """

    causal_allowed = False

    def __init__(self, rank, filters, kernel_size, strides=1, padding="valid", output_padding=None,
                 data_format=None, dilation_rate=1, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros", kernel_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None, bias_constraint=None,
                 **kwargs):
        super().__init__(rank, kernel_size, strides, padding, data_format, dilation_rate, activation,
                         activity_regularizer=activity_regularizer, **kwargs)
        owner = type(self).__name__
        self.filters = check_positive_int(owner, "filters", filters)
        self.output_padding = None
        if output_padding is not None:
            self.output_padding = normalize_tuple(owner, "output_padding", output_padding, rank, allow_zero=True)
            if any(e >= s for e, s in zip(self.output_padding, self.strides)):
                raise ValueError(f"{owner}: output_padding must be smaller than strides on every axis, got "
                                 f"output_padding={self.output_padding} and strides={self.strides}")
        self.use_bias = check_bool(type(self).__name__, "use_bias", use_bias)
        self._set_weight_options("kernel", kernel_initializer, kernel_regularizer, kernel_constraint)
        self._set_weight_options("bias", bias_initializer, bias_regularizer, bias_constraint)

    def _input_channels(self):
        return self.kernel.shape[-1] if self.built else None

    def _check_fits(self, shape, raw) -> None:
        """Any input size works: a transposed convolution only grows its input."""

    def _make_weights(self, input_shape):
        self.kernel = self._make_weight("kernel", (*self.kernel_size, self.filters, input_shape[-1]), "kernel")
        self.bias = self._make_bias(self.filters)

    def _forward(self, x):
        z = ops.conv_transpose(x, self.kernel, bias=self.bias, strides=self.strides, padding=self.padding,
                               output_padding=self.output_padding, dilation_rate=self.dilation_rate)
        return self._apply_activation(z)

    def _output_shape(self, input_shape):
        extra = self.output_padding or (None,) * self.rank
        spatial = tuple(transposed_output_length(n, k, self.padding, s, d, e) for n, k, s, d, e in
                        zip(input_shape[1:-1], self.kernel_size, self.strides, self.dilation_rate, extra))
        return (input_shape[0], *spatial, self.filters)

    def get_config(self) -> dict:
        return {**super().get_config(), "filters": self.filters, "output_padding": self.output_padding,
                "use_bias": self.use_bias, **self._weight_config("kernel", "bias")}


class Conv2DTranspose(BaseConvTranspose):
    """2-D transposed convolution ("deconvolution"): upsamples (batch, h, w, c) images.

    ``Conv2DTranspose(f, 3, strides=2, padding="same")`` doubles the height and width — the
    decoder half of an autoencoder or a GAN generator. Arguments as in Conv2D, plus
    ``output_padding`` (int or pair, < strides) to pick among the output sizes that a strided
    convolution maps to the same input size.
    """

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid", output_padding=None,
                 data_format=None, dilation_rate=(1, 1), activation=None, use_bias=True, **kwargs):
        super().__init__(2, filters, kernel_size, strides=strides, padding=padding, output_padding=output_padding,
                         data_format=data_format, dilation_rate=dilation_rate, activation=activation,
                         use_bias=use_bias, **kwargs)


class Conv1DTranspose(BaseConvTranspose):
    """1-D transposed convolution: upsamples (batch, steps, channels) sequences (see Conv2DTranspose)."""

    def __init__(self, filters, kernel_size, strides=1, padding="valid", output_padding=None, data_format=None,
                 dilation_rate=1, activation=None, use_bias=True, **kwargs):
        super().__init__(1, filters, kernel_size, strides=strides, padding=padding, output_padding=output_padding,
                         data_format=data_format, dilation_rate=dilation_rate, activation=activation,
                         use_bias=use_bias, **kwargs)


class Conv3DTranspose(BaseConvTranspose):
    """3-D transposed convolution: upsamples (batch, d, h, w, c) volumes (see Conv2DTranspose).

    Formula: ỹ[n, i·s_d + p·δ_d, j·s_h + q·δ_h, k·s_w + r·δ_w, o] += Σ_c x[n, i, j, k, c] · W[p, q, r, o, c];
    y = a(window of ỹ + b), the window chosen as Keras does (``ops.windows.transposed_crop``).

    Args:
        filters, kernel_size, strides, padding, dilation_rate, activation, use_bias and the
        weight options: as in Conv3D.
        data_format: "channels_last" or "channels_first" (None: the backend's image_data_format).
        output_padding: int or triple (< strides), to pick among the output sizes a strided
            convolution maps to the same input size. (Keras's Conv3DTranspose lists it after
            data_format, unlike Conv2DTranspose; the order is Keras's.)

    Weights: kernel (kd, kh, kw, filters, in_channels), bias (filters,).

    Input shape:
        (batch, depth, height, width, channels), or (batch, channels, depth, height, width).

    Output shape:
        (batch, new_depth, new_height, new_width, filters), or channels first;
        "same": n·s per axis, "valid": (n − 1)·s + max(f_eff, s).
    """

    def __init__(self, filters, kernel_size, strides=(1, 1, 1), padding="valid", data_format=None,
                 output_padding=None, dilation_rate=(1, 1, 1), activation=None, use_bias=True, **kwargs):
        super().__init__(3, filters, kernel_size, strides=strides, padding=padding, output_padding=output_padding,
                         data_format=data_format, dilation_rate=dilation_rate, activation=activation,
                         use_bias=use_bias, **kwargs)
