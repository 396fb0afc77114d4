"""Keras's second names for layers are the same class objects, as in Keras (``Convolution2D is Conv2D``)."""
import os

import pytest

from glassnet import layers

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


@pytest.mark.parametrize("alias, name", ALIASES.items())
def test_alias_is_the_same_class(alias, name):
    assert getattr(layers, alias) is getattr(layers, name)
    assert alias in layers.__all__ and name in layers.__all__


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
