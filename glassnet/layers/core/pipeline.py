"""Pipeline: a list of layers applied one after another, as one layer."""
from __future__ import annotations

from ..base import Layer


class Pipeline(Layer):
    """Applies its layers in order: y = layer_n(… layer_2(layer_1(x)) …).

    Like a ``Sequential`` but a plain layer (no compile or fit), meant for chains of
    preprocessing and augmentation layers, e.g.
    ``Pipeline([RandomFlip(), RandomRotation(0.2), Rescaling(1/255)])``. Masks travel with
    the tensors from one layer to the next.

    As in Keras, a Pipeline called without ``training`` (and outside ``fit``/``predict``,
    which set it) runs its layers in training mode, so augmentations and dropout are on.

    Args:
        layers: the list of layers.
        name: the layer's name.

    Input shape:
        That of the first layer.

    Output shape:
        That of the last layer.
    """

    def __init__(self, layers, name=None):
        if not isinstance(layers, (list, tuple)) or not all(isinstance(layer, Layer) for layer in layers):
            raise ValueError(f"Pipeline: layers must be a list of Layer instances, got {layers!r}")
        super().__init__(name=name)
        self._layers.extend(layers)            # the sublayers, in order: ``self.layers``; each builds on its first call

    def _convert_input(self, x):
        return x                               # each layer converts its own input (its dtype, ids, text)

    def call(self, inputs, training=None):
        training = True if training is None else training
        x = inputs
        for layer in self._layers:
            x = layer(x, training=training)
        return x

    def get_config(self) -> dict:
        from ..registry import serialize
        return {"layers": [serialize(layer) for layer in self._layers], "name": self.name}

    @classmethod
    def from_config(cls, config):
        from ..registry import deserialize
        layers = config.get("layers")
        if not isinstance(layers, (list, tuple)):
            raise ValueError(f"Pipeline: the config must hold 'layers', a list of serialized layers, got {layers!r}")
        return cls(**{**config, "layers": [deserialize(layer) for layer in layers]})
