"""Classic convolutional networks of the course, built from glassnet layers (no pretrained weights).

=============  ===========================================================================
file           model
=============  ===========================================================================
lenet.py       LeNet5: LeCun et al. 1998, the first CNN that read handwriting (61,706 weights)
alexnet.py     AlexNet: Krizhevsky et al. 2012, ImageNet's turning point (5 conv, 3 pool)
vgg16.py       VGG16: Simonyan & Zisserman 2014, 13 conv 3×3 + 3 dense (138,357,544 weights)
=============  ===========================================================================

Each returns an uncompiled ``glassnet.Model``; ``include_top=False`` gives the convolutional
base for transfer learning (see ``examples/transfer_learning.py``).
"""
from .alexnet import AlexNet
from .lenet import LeNet5
from .vgg16 import VGG16

__all__ = ["LeNet5", "AlexNet", "VGG16"]
