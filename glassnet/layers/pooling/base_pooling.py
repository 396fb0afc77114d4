"""What MaxPooling1D/2D and AveragePooling1D/2D share: arguments, checks, shapes, config."""
from __future__ import annotations

from ...ops.pooling import pool_output_shape
from ..arguments import normalize_data_format, normalize_padding, normalize_tuple
from ..base import Layer


class BasePooling(Layer):
    """A pool over ``rank`` spatial axes: y = reduce over each window of x (max or mean).

    Subclasses set ``rank`` (1 or 2) and ``pool`` (``ops.max_pool`` or ``ops.avg_pool``) and
    give the constructor Keras's defaults. The input is checked in ``build``, ``call`` and
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
        self.data_format = normalize_data_format(owner, data_format)

    def build(self, input_shape):
        self.compute_output_shape(input_shape)

    def call(self, inputs):
        self.compute_output_shape(inputs.shape)    # the error names this layer, not the op
        return self.pool(inputs, self.pool_size, self.strides, self.padding)

    def compute_output_shape(self, input_shape):
        return pool_output_shape(input_shape, self.pool_size, self.strides, self.padding, owner=self.name)

    def get_config(self) -> dict:
        return {**super().get_config(), "pool_size": self.pool_size, "padding": self.padding,
                "strides": self.strides, "data_format": self.data_format}
