"""Layers: the Keras 3 layer API (build on first call, weights, get_config).

One subpackage per family, as in Keras's source; every layer is importable as
``glassnet.layers.Name``.

=================  ==========================================================================
where              layers
=================  ==========================================================================
base.py            Layer (the contract), clear_session
node.py            SymbolicTensor, Node (the functional graph)
arguments.py       shared checks of layer arguments
registry.py        get, serialize, deserialize, register_serializable
core/              Input, InputLayer, Dense (y = a(x·W + b)), Embedding (y = E[id]), Masking,
                   Lambda (y = function(x)), Identity (y = x), EinsumDense
                   (y = a(einsum(equation, x, W) + b)), ReversibleEmbedding (y = E[id];
                   reverse: logits = h·Eᵀ), Pipeline (y = f_n(… f_1(x))), Wrapper, OpLayer (an ops
                   function or a Python operator on symbolic tensors: x + y, x[:, -1], ops.mean(x, 1))
convolutional/     Conv1D, Conv2D, Conv3D (y = a(x ⊛ W + b)), Conv1DTranspose, Conv2DTranspose,
                   Conv3DTranspose, DepthwiseConv1D/2D, SeparableConv1D/2D; conv_output_length;
                   Keras's aliases Convolution1D/2D/3D, Convolution1D/2D/3DTranspose, SeparableConvolution1D/2D
pooling/           MaxPooling1D/2D/3D (y = max over each window), AveragePooling1D/2D/3D,
                   GlobalMaxPooling1D/2D/3D, GlobalAveragePooling1D/2D/3D, AdaptiveMaxPooling1D/2D/3D,
                   AdaptiveAveragePooling1D/2D/3D (cell i = [⌊i·L/m⌋, ⌈(i+1)·L/m⌉)); aliases MaxPool, AvgPool,
                   GlobalMaxPool, GlobalAvgPool 1D/2D/3D
activations/       Activation, ReLU, LeakyReLU, PReLU, ELU, Softmax, Maxout
regularization/    Dropout (y = x ⊙ m / (1 − rate)), SpatialDropout1D/2D/3D, GaussianNoise,
                   GaussianDropout (y = x ⊙ ε, ε ~ N(1, rate/(1 − rate))), AlphaDropout
                   (SELU-preserving: y = a·(x ⊙ m + α'(1 − m)) + b), ActivityRegularization
normalization/     BatchNormalization (y = γ(x − μ_B)/√(σ²_B + ε) + β), LayerNormalization,
                   GroupNormalization (μ, σ² per sample and group of channels), RMSNormalization
                   (y = x/√(mean(x²) + ε)·γ), UnitNormalization (y = x/‖x‖₂),
                   SpectralNormalization (W ← W/σ_max(W) by power iteration, in training)
reshaping/         Flatten, Reshape, Permute, RepeatVector, UpSampling1D/2D/3D, ZeroPadding1D/2D/3D,
                   Cropping1D/2D/3D
merging/           Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate, Dot
recurrent/         SimpleRNN (o_t = f(x_t·W + o_{t−1}·U + b)), LSTM, GRU and their cells, RNN (the
                   loop over time for any cell), StackedRNNCells, Bidirectional, TimeDistributed,
                   ConvLSTM1D/2D/3D (an LSTM whose x·W and h·U are convolutions)
preprocessing/     TextVectorization (strings → ids / multi-hot / counts / tf·idf), Rescaling
                   (y = x·scale + offset), Normalization (y = (x − μ)/√σ², adapt), Resizing,
                   CenterCrop, RandomCrop, RandomFlip, RandomTranslation, RandomZoom,
                   RandomRotation, RandomContrast, RandomBrightness
attention/         Attention (c = softmax(q·kᵀ)·v), AdditiveAttention (Σ scale·tanh(q + k)),
                   MultiHeadAttention (H heads of softmax(Q·Kᵀ/√d_k)·V on projections)
transformer/       TransformerEncoderLayer (LN(x + MHA(x)), then LN(x' + FFN(x'))), TransformerDecoderLayer
                   (causal self-attention, cross-attention, FFN), PositionEmbedding (learned P[t]),
                   SinePositionEncoding (sin/cos(pos/10000^(2i/d))), TokenAndPositionEmbedding
sampling.py        Sampling (z = μ + σ ⊙ ε, the VAE's reparameterisation trick)
rbm.py             RBM (restricted Boltzmann machine, p(h|v) = σ(vW + c), trained by CD-k)
=================  ==========================================================================
"""
from .activations import ELU, Activation, LeakyReLU, Maxout, PReLU, ReLU, Softmax
from .attention import AdditiveAttention, Attention, MultiHeadAttention
from .base import Layer, clear_session
from .input_spec import InputSpec
from .convolutional import (
    Conv1D,
    Conv1DTranspose,
    Conv2D,
    Conv2DTranspose,
    DepthwiseConv1D,
    DepthwiseConv2D,
    SeparableConv1D,
    SeparableConv2D,
    conv_output_length,
)
from .core import Dense, Embedding, Input, InputLayer, Lambda, Masking
from .merging import (
    Add,
    Average,
    Concatenate,
    Dot,
    Maximum,
    Merge,
    Minimum,
    Multiply,
    Subtract,
    add,
    average,
    concatenate,
    dot,
    maximum,
    minimum,
    multiply,
    subtract,
)
from .node import Node, SymbolicTensor
from .normalization import BatchNormalization, LayerNormalization
from .pooling import (
    AveragePooling1D,
    AveragePooling2D,
    GlobalAveragePooling1D,
    GlobalAveragePooling2D,
    GlobalMaxPooling1D,
    GlobalMaxPooling2D,
    MaxPooling1D,
    MaxPooling2D,
)
from .preprocessing import (
    CenterCrop,
    Normalization,
    RandomBrightness,
    RandomContrast,
    RandomCrop,
    RandomFlip,
    RandomRotation,
    RandomTranslation,
    RandomZoom,
    Rescaling,
    Resizing,
    TextVectorization,
)
from .preprocessing import (
    AugMix,
    AutoContrast,
    CutMix,
    Equalization,
    MixUp,
    RandAugment,
    RandomColorDegeneration,
    RandomColorJitter,
    RandomElasticTransform,
    RandomErasing,
    RandomGaussianBlur,
    RandomGrayscale,
    RandomHue,
    RandomInvert,
    RandomPerspective,
    RandomPosterization,
    RandomSaturation,
    RandomSharpness,
    RandomShear,
    Solarization,
)
from .recurrent import (
    GRU,
    LSTM,
    RNN,
    Bidirectional,
    ConvLSTM1D,
    ConvLSTM2D,
    ConvLSTM3D,
    GRUCell,
    LSTMCell,
    SimpleRNN,
    SimpleRNNCell,
    StackedRNNCells,
    TimeDistributed,
)
from .registry import deserialize, get, register_serializable, serialize
from .regularization import ActivityRegularization, Dropout, GaussianNoise, SpatialDropout1D, SpatialDropout2D
from .rbm import RBM
from .reshaping import (
    Cropping1D,
    Cropping2D,
    Flatten,
    Permute,
    RepeatVector,
    Reshape,
    UpSampling1D,
    UpSampling2D,
    ZeroPadding1D,
    ZeroPadding2D,
)
from .sampling import Sampling
from .transformer import (
    PositionEmbedding,
    SinePositionEncoding,
    TokenAndPositionEmbedding,
    TransformerDecoderLayer,
    TransformerEncoderLayer,
)

__all__ = [
    "Sampling", "RBM",
    "TextVectorization", "Layer", "InputSpec", "Input", "InputLayer", "SymbolicTensor", "Node", "clear_session",
    "Dense", "Embedding", "Masking", "Maxout", "Activation", "ReLU", "LeakyReLU", "PReLU", "ELU", "Softmax",
    "Dropout", "GaussianNoise", "ActivityRegularization", "BatchNormalization", "LayerNormalization",
    "Flatten", "Reshape", "Permute", "RepeatVector", "Lambda",
    "Merge", "Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum", "Concatenate", "Dot",
    "add", "subtract", "multiply", "average", "maximum", "minimum", "concatenate", "dot",
    "get", "serialize", "deserialize", "register_serializable",
    "Conv1D", "Conv2D", "Conv1DTranspose", "Conv2DTranspose", "DepthwiseConv1D", "DepthwiseConv2D",
    "SeparableConv1D", "SeparableConv2D", "conv_output_length",
    "MaxPooling1D", "MaxPooling2D", "AveragePooling1D", "AveragePooling2D", "GlobalMaxPooling1D",
    "GlobalMaxPooling2D", "GlobalAveragePooling1D", "GlobalAveragePooling2D",
    "UpSampling1D", "UpSampling2D", "ZeroPadding1D", "ZeroPadding2D", "Cropping1D", "Cropping2D",
    "SpatialDropout1D", "SpatialDropout2D",
    "RNN", "SimpleRNNCell", "SimpleRNN", "LSTMCell", "LSTM", "GRUCell", "GRU", "StackedRNNCells",
    "Bidirectional", "TimeDistributed",
    "ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D",
    "Rescaling", "Normalization", "Resizing", "CenterCrop", "RandomCrop", "RandomFlip", "RandomTranslation",
    "RandomZoom", "RandomRotation", "RandomContrast", "RandomBrightness",
    "RandomGrayscale", "RandomColorDegeneration", "RandomSaturation", "RandomHue", "RandomColorJitter",
    "RandomInvert", "Solarization", "RandomPosterization", "AutoContrast", "Equalization",
    "RandomSharpness", "RandomGaussianBlur", "RandomErasing", "RandomShear", "RandomPerspective", "MixUp", "CutMix",
    "RandAugment", "AugMix", "RandomElasticTransform",
    "Attention", "AdditiveAttention", "MultiHeadAttention",
    "PositionEmbedding", "SinePositionEncoding", "TokenAndPositionEmbedding", "TransformerEncoderLayer",
    "TransformerDecoderLayer",
]

# 3-D convolution, pooling and reshaping, adaptive pooling, and Keras's alias names (Convolution2D is Conv2D, ...)
from .convolutional import (  # noqa: E402
    Conv3D,
    Conv3DTranspose,
    Convolution1D,
    Convolution2D,
    Convolution3D,
    Convolution1DTranspose,
    Convolution2DTranspose,
    Convolution3DTranspose,
    SeparableConvolution1D,
    SeparableConvolution2D,
)
from .pooling import (  # noqa: E402
    AdaptiveAveragePooling1D,
    AdaptiveAveragePooling2D,
    AdaptiveAveragePooling3D,
    AdaptiveMaxPooling1D,
    AdaptiveMaxPooling2D,
    AdaptiveMaxPooling3D,
    AveragePooling3D,
    AvgPool1D,
    AvgPool2D,
    AvgPool3D,
    GlobalAveragePooling3D,
    GlobalAvgPool1D,
    GlobalAvgPool2D,
    GlobalAvgPool3D,
    GlobalMaxPool1D,
    GlobalMaxPool2D,
    GlobalMaxPool3D,
    GlobalMaxPooling3D,
    MaxPool1D,
    MaxPool2D,
    MaxPool3D,
    MaxPooling3D,
)
from .reshaping import (  # noqa: E402
    Cropping3D,
    UpSampling3D,
    ZeroPadding3D,
)
__all__ += [
    "Conv3D", "Conv3DTranspose", "Convolution1D", "Convolution2D", "Convolution3D", "Convolution1DTranspose",
    "Convolution2DTranspose", "Convolution3DTranspose", "SeparableConvolution1D", "SeparableConvolution2D",
    "AdaptiveAveragePooling1D", "AdaptiveAveragePooling2D", "AdaptiveAveragePooling3D",
    "AdaptiveMaxPooling1D", "AdaptiveMaxPooling2D", "AdaptiveMaxPooling3D", "AveragePooling3D", "AvgPool1D",
    "AvgPool2D", "AvgPool3D", "GlobalAveragePooling3D", "GlobalAvgPool1D", "GlobalAvgPool2D",
    "GlobalAvgPool3D", "GlobalMaxPool1D", "GlobalMaxPool2D", "GlobalMaxPool3D", "GlobalMaxPooling3D",
    "MaxPool1D", "MaxPool2D", "MaxPool3D", "MaxPooling3D", "Cropping3D", "UpSampling3D", "ZeroPadding3D"
]

# Wrapper, Identity, EinsumDense, ReversibleEmbedding, Pipeline; Group/RMS/Unit/Spectral normalization;
# GaussianDropout, AlphaDropout, SpatialDropout3D
from .core import EinsumDense, Identity, OpLayer, Pipeline, ReversibleEmbedding, Wrapper  # noqa: E402
from .normalization import (  # noqa: E402
    GroupNormalization,
    RMSNormalization,
    SpectralNormalization,
    UnitNormalization,
)
from .regularization import AlphaDropout, GaussianDropout, SpatialDropout3D  # noqa: E402
__all__ += [
    "Wrapper", "Identity", "EinsumDense", "ReversibleEmbedding", "Pipeline", "OpLayer", "GroupNormalization",
    "RMSNormalization", "UnitNormalization", "SpectralNormalization", "GaussianDropout", "AlphaDropout",
    "SpatialDropout3D",
]
# categorical preprocessing for structured data
from .preprocessing import (  # noqa: E402
    CategoryEncoding,
    Discretization,
    HashedCrossing,
    Hashing,
    IntegerLookup,
    StringLookup,
)
__all__ += ["CategoryEncoding", "Discretization", "StringLookup", "IntegerLookup", "Hashing", "HashedCrossing"]
