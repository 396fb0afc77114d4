"""Convolution layers: a filter slid over the input, y = a(x ⊛ W + b).

=================  ================================================================
file               layers
=================  ================================================================
base_conv.py       the shared window arguments, checks and weights; BaseConv
conv.py            Conv1D, Conv2D, Conv3D
conv_transpose.py  Conv1DTranspose, Conv2DTranspose, Conv3DTranspose
depthwise.py       DepthwiseConv1D/2D, SeparableConv1D/2D
=================  ================================================================

The arithmetic is in ``glassnet/ops``: ``conv.py`` (the ops), ``im2col.py`` (windows as
matrix rows), ``windows.py`` (``conv_output_length``: ⌊(n + 2p − f)/s⌋ + 1).
"""
from ...ops.windows import conv_output_length
from .conv import Conv1D, Conv2D, Conv3D
from .conv_transpose import Conv1DTranspose, Conv2DTranspose, Conv3DTranspose
from .depthwise import DepthwiseConv1D, DepthwiseConv2D, SeparableConv1D, SeparableConv2D

# Keras's other names for the same classes (``keras.layers.Convolution2D is keras.layers.Conv2D``)
Convolution1D, Convolution2D, Convolution3D = Conv1D, Conv2D, Conv3D
Convolution1DTranspose, Convolution2DTranspose, Convolution3DTranspose = Conv1DTranspose, Conv2DTranspose, Conv3DTranspose
SeparableConvolution1D, SeparableConvolution2D = SeparableConv1D, SeparableConv2D

__all__ = ["Conv1D", "Conv2D", "Conv3D", "Conv1DTranspose", "Conv2DTranspose", "Conv3DTranspose", "DepthwiseConv1D",
           "DepthwiseConv2D", "SeparableConv1D", "SeparableConv2D", "conv_output_length", "Convolution1D",
           "Convolution2D", "Convolution3D", "Convolution1DTranspose", "Convolution2DTranspose",
           "Convolution3DTranspose", "SeparableConvolution1D", "SeparableConvolution2D"]
