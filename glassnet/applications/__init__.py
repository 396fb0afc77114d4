"""Classic convolutional networks of the course, built from glassnet layers (no pretrained weights).

=============  ===========================================================================
file           model
=============  ===========================================================================
lenet.py       LeNet5: LeCun et al. 1998, the first CNN that read handwriting (61,706 weights)
alexnet.py     AlexNet: Krizhevsky et al. 2012, ImageNet's turning point (5 conv, 3 pool)
vgg16.py       VGG16: Simonyan & Zisserman 2014, 13 conv 3×3 + 3 dense (138,357,544 weights)
=============  ===========================================================================

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
from .lenet import LeNet5
from .vgg16 import VGG16

__all__ = ["LeNet5", "AlexNet", "VGG16", "dense_autoencoder", "conv_autoencoder", "denoising_autoencoder",
           "variational_autoencoder", "VAE", "vae_loss", "DCGAN", "dcgan", "dcgan_generator", "dcgan_discriminator",
           "DBN", "pretrain_greedily"]
