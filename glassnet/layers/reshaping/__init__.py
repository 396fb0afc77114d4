"""Reshaping layers: the same numbers in another shape, or a frame added or cut off.

==================  ================================================================
file                layers
==================  ================================================================
reshaping.py        Flatten, Reshape, Permute, RepeatVector
up_sampling.py      UpSampling1D, UpSampling2D, UpSampling3D (repeat or interpolate each pixel)
zero_padding.py     ZeroPadding1D, ZeroPadding2D, ZeroPadding3D (a frame of zeros)
cropping.py         Cropping1D, Cropping2D, Cropping3D (cut the edges off)
channels.py         data_format: "channels_first" input moved to channels-last and back
==================  ================================================================
"""
from .cropping import Cropping1D, Cropping2D, Cropping3D
from .reshaping import Flatten, Permute, RepeatVector, Reshape
from .up_sampling import UpSampling1D, UpSampling2D, UpSampling3D
from .zero_padding import ZeroPadding1D, ZeroPadding2D, ZeroPadding3D

__all__ = ["Flatten", "Reshape", "Permute", "RepeatVector", "UpSampling1D", "UpSampling2D", "UpSampling3D",
           "ZeroPadding1D", "ZeroPadding2D", "ZeroPadding3D", "Cropping1D", "Cropping2D", "Cropping3D"]
