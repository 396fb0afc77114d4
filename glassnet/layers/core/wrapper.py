"""Wrapper: the base of layers that hold one other layer and change how it is applied."""
from __future__ import annotations

from ..base import Layer


class Wrapper(Layer):
    """Holds one layer, ``self.layer``, and builds it; subclasses say what they do around it.

    Formula: y = layer(x)   (the base applies the layer unchanged; subclasses such as
    ``SpectralNormalization`` change its weights or its inputs first).

    The wrapped layer is saved inside the wrapper's config, ``{"layer": serialize(layer)}``,
    and rebuilt by ``from_config``; its weights are the wrapper's (under the path
    ``layer/`` in a Keras weights file).

    Args:
        layer: the Layer to wrap.

    Input shape:
        That of the wrapped layer.

    Output shape:
        That of the wrapped layer.
    """

    def __init__(self, layer, **kwargs):
        if not isinstance(layer, Layer):
            raise ValueError(f"{type(self).__name__}: layer must be a Layer instance, got {layer!r}")
        super().__init__(**kwargs)
        self.layer = layer

    def build(self, input_shape=None):
        self.layer.build_once(input_shape)

    def call(self, inputs, training=None):
        return self.layer(inputs, training=training)

    def compute_output_shape(self, input_shape):
        return self.layer.compute_output_shape(input_shape)

    def get_config(self) -> dict:
        from ..registry import serialize
        return {**super().get_config(), "layer": serialize(self.layer)}

    @classmethod
    def from_config(cls, config):
        from ..registry import deserialize
        config = dict(config)
        return cls(deserialize(config.pop("layer")), **config)
