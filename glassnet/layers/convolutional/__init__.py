"""Convolution layers: a filter slid over the input, y = a(x ⊛ W + b).

=================  ================================================================
file               layers
=================  ================================================================
base_conv.py       the shared window arguments, checks and weights; BaseConv
conv.py            Conv1D, Conv2D
conv_transpose.py  Conv1DTranspose, Conv2DTranspose
depthwise.py       DepthwiseConv1D/2D, SeparableConv1D/2D
=================  ================================================================

The arithmetic is in ``glassnet/ops``: ``conv.py`` (the ops), ``im2col.py`` (windows as
matrix rows), ``windows.py`` (``conv_output_length``: ⌊(n + 2p − f)/s⌋ + 1).
"""
from ...ops.windows import conv_output_length
from .conv import Conv1D, Conv2D
from .conv_transpose import Conv1DTranspose, Conv2DTranspose
from .depthwise import DepthwiseConv1D, DepthwiseConv2D, SeparableConv1D, SeparableConv2D

__all__ = ["Conv1D", "Conv2D", "Conv1DTranspose", "Conv2DTranspose", "DepthwiseConv1D", "DepthwiseConv2D",
           "SeparableConv1D", "SeparableConv2D", "conv_output_length"]
