"""Classic convolutional networks of the course, built from glassnet layers (no pretrained weights).

=============  ===========================================================================
file           model
=============  ===========================================================================
lenet.py       LeNet5: LeCun et al. 1998, the first CNN that read handwriting (61,706 weights)
alexnet.py     AlexNet: Krizhevsky et al. 2012, ImageNet's turning point (5 conv, 3 pool)
vgg16.py       VGG16: Simonyan & Zisserman 2014, 13 conv 3×3 + 3 dense (138,357,544 weights)
=============  ===========================================================================

The ``keras.applications`` ImageNet families, as Keras builds them (same layer names, order
and weight shapes: a ``.weights.h5`` saved by Keras loads as it is; "imagenet" is refused,
nothing is downloaded), each module with its ``preprocess_input`` and ``decode_predictions``:

===============  =========================================================================
file             models
===============  =========================================================================
vgg19.py         VGG19: VGG16 with 4 convolutions in blocks 3–5 (143,667,240 weights)
resnet.py        ResNet50/101/152: bottleneck residual blocks y = relu(x + F(x))
                 (``resnet50.py``: Keras's ``applications.resnet50`` module)
resnet_v2.py     ResNet50V2/101V2/152V2: pre-activation blocks y = x + F(relu(BN(x)))
mobilenet.py     MobileNet: depthwise-separable convolutions, width multiplier alpha
mobilenet_v2.py  MobileNetV2: inverted residuals with linear bottlenecks
mobilenet_v3.py  MobileNetV3Small/Large: searched blocks, hard_swish, squeeze-excite gates
densenet.py      DenseNet121/169/201: each layer sees all earlier ones, concatenated
inception_v3.py  InceptionV3: parallel 1×1 / 3×3 / factorised 7×7 branches, concatenated
inception_resnet InceptionResNetV2: Inception blocks added to their input, scaled: x + s·r
xception.py      Xception: residual stacks of separable convolutions
efficientnet.py  EfficientNetB0–B7: compound-scaled inverted residuals with squeeze-excite
efficientnet_v2  EfficientNetV2B0–B3/S/M/L: fused MBConv blocks early, faster training
convnext.py      ConvNeXtTiny/Small/Base/Large/XLarge: a ResNet redesigned like a Transformer
imagenet_utils   preprocess_input ("caffe", "tf", "torch" modes), decode_predictions
===============  =========================================================================

Beyond supervised learning (unsupervised pre-training and generative models):

===============  =========================================================================
file             models
===============  =========================================================================
autoencoders.py  dense / convolutional / denoising autoencoders, and the VAE (a Model whose
                 train_step minimises reconstruction + KL(N(μ, σ²) ‖ N(0, 1)))
dcgan.py         DCGAN: Conv2DTranspose generator, convolutional discriminator, two optimizers
dbn.py           deep belief net: RBMs pre-trained greedily by CD-k, then fine-tuned with fit
===============  =========================================================================

Each returns an uncompiled ``glassnet.Model``; ``include_top=False`` gives the convolutional
base for transfer learning.

Transfer learning, the recipe (``examples/transfer_learning.py`` runs it on Fashion-MNIST):

1. Take a trained network's convolutional base: ``VGG16(include_top=False, ...)`` with your
   weights, or ``Model(model.input, model.get_layer("flatten").output)`` of your own model.
2. Freeze it: ``base.trainable = False`` (every sublayer; a frozen BatchNormalization then
   uses its moving statistics even in training, as in Keras).
3. Put a new head on it — ``outputs = Dense(classes, activation="softmax")(base(inputs))`` —
   compile, and train: only the head's weights move.
4. Fine-tune (optional): ``base.trainable = True`` (or only its last block), compile again
   with a 10–100× smaller learning rate, and train a few epochs. Compiling again is what
   makes the optimizer see the unfrozen weights.
"""
from .alexnet import AlexNet
from .autoencoders import (
    VAE,
    conv_autoencoder,
    dense_autoencoder,
    denoising_autoencoder,
    vae_loss,
    variational_autoencoder,
)
from .dbn import DBN, pretrain_greedily
from .dcgan import DCGAN, dcgan, dcgan_discriminator, dcgan_generator
from . import imagenet_utils, resnet50
from .convnext import ConvNeXtBase, ConvNeXtLarge, ConvNeXtSmall, ConvNeXtTiny, ConvNeXtXLarge
from .densenet import DenseNet121, DenseNet169, DenseNet201
from .efficientnet import (EfficientNetB0, EfficientNetB1, EfficientNetB2, EfficientNetB3, EfficientNetB4,
                           EfficientNetB5, EfficientNetB6, EfficientNetB7)
from .efficientnet_v2 import (EfficientNetV2B0, EfficientNetV2B1, EfficientNetV2B2, EfficientNetV2B3, EfficientNetV2L,
                              EfficientNetV2M, EfficientNetV2S)
from .inception_resnet_v2 import InceptionResNetV2
from .inception_v3 import InceptionV3
from .mobilenet import MobileNet
from .mobilenet_v2 import MobileNetV2
from .mobilenet_v3 import MobileNetV3Large, MobileNetV3Small
from .resnet import ResNet50, ResNet101, ResNet152
from .resnet_v2 import ResNet50V2, ResNet101V2, ResNet152V2
from .vgg19 import VGG19
from .xception import Xception
from .lenet import LeNet5
from .vgg16 import VGG16

__all__ = ["LeNet5", "AlexNet", "VGG16", "dense_autoencoder", "conv_autoencoder", "denoising_autoencoder",
           "variational_autoencoder", "VAE", "vae_loss", "DCGAN", "dcgan", "dcgan_generator", "dcgan_discriminator",
           "DBN", "pretrain_greedily",
           "VGG19", "ResNet50", "ResNet101", "ResNet152", "ResNet50V2", "ResNet101V2", "ResNet152V2", "MobileNet",
           "MobileNetV2", "DenseNet121", "DenseNet169", "DenseNet201", "InceptionV3", "Xception",
           "EfficientNetB0", "EfficientNetB1", "EfficientNetB2", "EfficientNetB3", "EfficientNetB4", "EfficientNetB5",
           "EfficientNetB6", "EfficientNetB7", "MobileNetV3Small", "MobileNetV3Large", "EfficientNetV2B0",
           "EfficientNetV2B1", "EfficientNetV2B2", "EfficientNetV2B3", "EfficientNetV2S", "EfficientNetV2M",
           "EfficientNetV2L", "InceptionResNetV2", "ConvNeXtTiny", "ConvNeXtSmall", "ConvNeXtBase", "ConvNeXtLarge",
           "ConvNeXtXLarge"]
