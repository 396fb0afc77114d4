"""Keras's second names for layers are the same class objects, as in Keras (``Convolution2D is Conv2D``)."""
import os

import numpy as np
import pytest

from glassnet import layers
from glassnet.testing import layer_gradcheck

ALIASES = {
    "Convolution1D": "Conv1D", "Convolution2D": "Conv2D", "Convolution3D": "Conv3D",
    "Convolution1DTranspose": "Conv1DTranspose", "Convolution2DTranspose": "Conv2DTranspose",
    "Convolution3DTranspose": "Conv3DTranspose",
    "SeparableConvolution1D": "SeparableConv1D", "SeparableConvolution2D": "SeparableConv2D",
    "MaxPool1D": "MaxPooling1D", "MaxPool2D": "MaxPooling2D", "MaxPool3D": "MaxPooling3D",
    "AvgPool1D": "AveragePooling1D", "AvgPool2D": "AveragePooling2D", "AvgPool3D": "AveragePooling3D",
    "GlobalAvgPool1D": "GlobalAveragePooling1D", "GlobalAvgPool2D": "GlobalAveragePooling2D",
    "GlobalAvgPool3D": "GlobalAveragePooling3D",
    "GlobalMaxPool1D": "GlobalMaxPooling1D", "GlobalMaxPool2D": "GlobalMaxPooling2D",
    "GlobalMaxPool3D": "GlobalMaxPooling3D",
}


# the same pairs as objects (so each alias is named in this file: it is gradchecked as its class)
PAIRS = [
    (layers.Convolution1D, layers.Conv1D), (layers.Convolution2D, layers.Conv2D), (layers.Convolution3D, layers.Conv3D),
    (layers.Convolution1DTranspose, layers.Conv1DTranspose), (layers.Convolution2DTranspose, layers.Conv2DTranspose),
    (layers.Convolution3DTranspose, layers.Conv3DTranspose), (layers.SeparableConvolution1D, layers.SeparableConv1D),
    (layers.SeparableConvolution2D, layers.SeparableConv2D), (layers.MaxPool1D, layers.MaxPooling1D),
    (layers.MaxPool2D, layers.MaxPooling2D), (layers.MaxPool3D, layers.MaxPooling3D),
    (layers.AvgPool1D, layers.AveragePooling1D), (layers.AvgPool2D, layers.AveragePooling2D),
    (layers.AvgPool3D, layers.AveragePooling3D), (layers.GlobalAvgPool1D, layers.GlobalAveragePooling1D),
    (layers.GlobalAvgPool2D, layers.GlobalAveragePooling2D), (layers.GlobalAvgPool3D, layers.GlobalAveragePooling3D),
    (layers.GlobalMaxPool1D, layers.GlobalMaxPooling1D), (layers.GlobalMaxPool2D, layers.GlobalMaxPooling2D),
    (layers.GlobalMaxPool3D, layers.GlobalMaxPooling3D),
]


@pytest.mark.parametrize("alias, name", ALIASES.items())
def test_alias_is_the_same_class(alias, name):
    assert getattr(layers, alias) is getattr(layers, name)
    assert alias in layers.__all__ and name in layers.__all__


def test_the_pairs_are_the_aliases():
    assert [(a, b) for a, b in PAIRS] == [(getattr(layers, a), getattr(layers, b)) for a, b in ALIASES.items()]
    assert all(alias is cls for alias, cls in PAIRS)


def test_an_alias_is_gradchecked_as_its_class():
    # the classes' own gradient checks cover their aliases (the same objects); one through an alias name
    x = np.random.default_rng(0).standard_normal((1, 3, 3, 2, 2))
    layer_gradcheck(layers.Convolution3D(2, 2, dtype="float64"), x)


def test_an_alias_serializes_under_the_class_name():
    assert layers.serialize(layers.MaxPool2D())["class_name"] == "MaxPooling2D"


def test_every_keras_alias_of_a_convolution_or_pooling_exists():
    os.environ.setdefault("KERAS_BACKEND", "torch")
    keras = pytest.importorskip("keras")
    # the names Keras exports for a class under another name (its __name__): those of the convolution
    # and pooling families are exactly ALIASES, and each is the same class in Keras as here
    theirs = {name: getattr(keras.layers, name).__name__ for name in dir(keras.layers)
              if isinstance(getattr(keras.layers, name), type) and getattr(keras.layers, name).__name__ != name
              and ("Conv" in name or "Pool" in name)}
    assert theirs == ALIASES
