"""What MaxPooling1D/2D/3D and AveragePooling1D/2D/3D share: arguments, checks, shapes, config."""
from __future__ import annotations

from ...ops.pooling import pool_output_shape
from ..arguments import normalize_padding, normalize_tuple
from ..base import Layer
from ..reshaping.channels import from_channels_last, shape_from_channels_last, shape_to_channels_last, \
    standardize_data_format, to_channels_last


class BasePooling(Layer):
    """A pool over ``rank`` spatial axes: y = reduce over each window of x (max or mean).

    Subclasses set ``rank`` (1, 2 or 3) and ``pool`` (``ops.max_pool`` or ``ops.avg_pool``) and
    give the constructor Keras's defaults; "channels_first" input (batch, channels, *spatial) is
    pooled channels-last in between (``reshaping/channels.py``). The input is checked in ``build``, ``call`` and
    ``compute_output_shape`` (rank, and a window that fits the padded input), so bad input
    raises a ValueError naming the layer and the shapes before the layer is built.
    """

    rank: int
    shape_by_arithmetic = True       # functional graphs take compute_output_shape, not a probe run
    pool = None                      # staticmethod(ops.max_pool) or staticmethod(ops.avg_pool)

    def __init__(self, pool_size, strides=None, padding="valid", data_format=None, **kwargs):
        super().__init__(**kwargs)
        owner = type(self).__name__
        self.pool_size = normalize_tuple(owner, "pool_size", pool_size, self.rank)
        self.strides = self.pool_size if strides is None else normalize_tuple(owner, "strides", strides, self.rank)
        self.padding = normalize_padding(owner, padding)
        self.data_format = standardize_data_format(owner, data_format)

    def build(self, input_shape):
        self.compute_output_shape(input_shape)

    def call(self, inputs):
        self.compute_output_shape(inputs.shape)    # the error names this layer, not the op
        y = self.pool(to_channels_last(inputs, self.data_format), self.pool_size, self.strides, self.padding)
        return from_channels_last(y, self.data_format)

    def compute_output_shape(self, input_shape):
        shape = shape_to_channels_last(input_shape, self.data_format)
        try:
            shape = pool_output_shape(shape, self.pool_size, self.strides, self.padding, owner=self.name)
        except ValueError as error:                # the op words it channels-last: name the shape given
            if self.data_format == "channels_last":
                raise
            raise ValueError(f"{error} (channels first, the input's shape is {tuple(input_shape)})") from None
        return shape_from_channels_last(shape, self.data_format)

    def get_config(self) -> dict:
        return {**super().get_config(), "pool_size": self.pool_size, "padding": self.padding,
                "strides": self.strides, "data_format": self.data_format}
