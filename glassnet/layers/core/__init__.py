"""Core layers: the input of a graph, the dense layer, embeddings, masking, a function as a layer."""
from .dense import Dense
from .embedding import Embedding
from .input_layer import Input, InputLayer
from .lambda_layer import Lambda
from .masking import Masking

__all__ = ["Dense", "Embedding", "Input", "InputLayer", "Lambda", "Masking"]
