"""Pooling layers: shrink feature maps by a max or a mean over windows (``glassnet/ops/pooling.py``).

==================  ================================================================
file                layers
==================  ================================================================
base_pooling.py     BasePooling: the arguments, checks and shapes the four share
max_pooling.py      MaxPooling1D, MaxPooling2D (y = max over each window)
average_pooling.py  AveragePooling1D, AveragePooling2D (y = mean over each window)
global_pooling.py   GlobalMaxPooling1D/2D, GlobalAveragePooling1D/2D (one value per channel)
==================  ================================================================
"""
from .average_pooling import AveragePooling1D, AveragePooling2D
from .global_pooling import GlobalAveragePooling1D, GlobalAveragePooling2D, GlobalMaxPooling1D, GlobalMaxPooling2D
from .max_pooling import MaxPooling1D, MaxPooling2D

__all__ = ["MaxPooling1D", "MaxPooling2D", "AveragePooling1D", "AveragePooling2D", "GlobalMaxPooling1D",
           "GlobalMaxPooling2D", "GlobalAveragePooling1D", "GlobalAveragePooling2D"]
