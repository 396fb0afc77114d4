"""Pooling layers: shrink feature maps by a max or a mean over windows (``glassnet/ops/pooling.py``).

==================  ================================================================
file                layers
==================  ================================================================
base_pooling.py     BasePooling: the arguments, checks and shapes the four share
max_pooling.py      MaxPooling1D, MaxPooling2D, MaxPooling3D (y = max over each window)
average_pooling.py  AveragePooling1D, AveragePooling2D, AveragePooling3D (y = mean over each window)
global_pooling.py   GlobalMaxPooling1D/2D/3D, GlobalAveragePooling1D/2D/3D (one value per channel)
adaptive_pooling.py AdaptiveMaxPooling1D/2D/3D, AdaptiveAveragePooling1D/2D/3D (a fixed output size)
==================  ================================================================
"""
from .adaptive_pooling import (
    AdaptiveAveragePooling1D,
    AdaptiveAveragePooling2D,
    AdaptiveAveragePooling3D,
    AdaptiveMaxPooling1D,
    AdaptiveMaxPooling2D,
    AdaptiveMaxPooling3D,
)
from .average_pooling import AveragePooling1D, AveragePooling2D, AveragePooling3D
from .global_pooling import (
    GlobalAveragePooling1D,
    GlobalAveragePooling2D,
    GlobalAveragePooling3D,
    GlobalMaxPooling1D,
    GlobalMaxPooling2D,
    GlobalMaxPooling3D,
)
from .max_pooling import MaxPooling1D, MaxPooling2D, MaxPooling3D

# Keras's other names for the same classes (``keras.layers.MaxPool2D is keras.layers.MaxPooling2D``)
MaxPool1D, MaxPool2D, MaxPool3D = MaxPooling1D, MaxPooling2D, MaxPooling3D
AvgPool1D, AvgPool2D, AvgPool3D = AveragePooling1D, AveragePooling2D, AveragePooling3D
GlobalMaxPool1D, GlobalMaxPool2D, GlobalMaxPool3D = GlobalMaxPooling1D, GlobalMaxPooling2D, GlobalMaxPooling3D
GlobalAvgPool1D, GlobalAvgPool2D, GlobalAvgPool3D = GlobalAveragePooling1D, GlobalAveragePooling2D, GlobalAveragePooling3D

__all__ = ["MaxPooling1D", "MaxPooling2D", "MaxPooling3D", "AveragePooling1D", "AveragePooling2D", "AveragePooling3D",
           "GlobalMaxPooling1D", "GlobalMaxPooling2D", "GlobalMaxPooling3D", "GlobalAveragePooling1D",
           "GlobalAveragePooling2D", "GlobalAveragePooling3D", "AdaptiveMaxPooling1D", "AdaptiveMaxPooling2D",
           "AdaptiveMaxPooling3D", "AdaptiveAveragePooling1D", "AdaptiveAveragePooling2D", "AdaptiveAveragePooling3D",
           "MaxPool1D", "MaxPool2D", "MaxPool3D", "AvgPool1D", "AvgPool2D", "AvgPool3D", "GlobalMaxPool1D",
           "GlobalMaxPool2D", "GlobalMaxPool3D", "GlobalAvgPool1D", "GlobalAvgPool2D", "GlobalAvgPool3D"]
