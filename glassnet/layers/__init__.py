"""Layers: the Keras 3 layer API (build on first call, weights, get_config).

=========================  ===============================================================
file                       layers
=========================  ===============================================================
base.py                    Layer (the contract), clear_session
input_layer.py, node.py    Input, InputLayer, SymbolicTensor, Node (the functional graph)
dense.py                   Dense                    y = a(x·W + b)
maxout.py                  Maxout                   y = max over k pieces of x·W + b
activation_layers.py       Activation, ReLU, LeakyReLU, PReLU, ELU, Softmax
dropout.py                 Dropout                  y = x ⊙ m / (1 − rate) in training
noise.py                   GaussianNoise            y = x + N(0, stddev²) in training
regularization.py          ActivityRegularization   penalty l1·Σ|y| + l2·Σy²
batch_normalization.py     BatchNormalization       y = γ(x − μ_B)/√(σ²_B + ε) + β
layer_normalization.py     LayerNormalization       the same over each sample's features
reshaping.py               Flatten, Reshape, Permute, RepeatVector
lambda_layer.py            Lambda                   y = function(x)
merge.py                   Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate, Dot
text_vectorization.py      TextVectorization        strings → ids / multi-hot / counts / tf·idf
text_pipeline.py           (its standardize, split, n-grams, idf: Keras's rules)
registry.py                get, serialize, deserialize, register_serializable
=========================  ===============================================================
"""
from .activation_layers import ELU, Activation, LeakyReLU, PReLU, ReLU, Softmax
from .base import Layer, clear_session
from .batch_normalization import BatchNormalization
from .dense import Dense
from .dropout import Dropout
from .input_layer import Input, InputLayer
from .lambda_layer import Lambda
from .layer_normalization import LayerNormalization
from .maxout import Maxout
from .merge import (
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
from .noise import GaussianNoise
from .registry import deserialize, get, register_serializable, serialize
from .regularization import ActivityRegularization
from .reshaping import Flatten, Permute, RepeatVector, Reshape
from .text_vectorization import TextVectorization

__all__ = [
    "TextVectorization", "Layer", "Input", "InputLayer", "SymbolicTensor", "Node", "clear_session",
    "Dense", "Maxout", "Activation", "ReLU", "LeakyReLU", "PReLU", "ELU", "Softmax",
    "Dropout", "GaussianNoise", "ActivityRegularization", "BatchNormalization", "LayerNormalization",
    "Flatten", "Reshape", "Permute", "RepeatVector", "Lambda",
    "Merge", "Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum", "Concatenate", "Dot",
    "add", "subtract", "multiply", "average", "maximum", "minimum", "concatenate", "dot",
    "get", "serialize", "deserialize", "register_serializable",
]
