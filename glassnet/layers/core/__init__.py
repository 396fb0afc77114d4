"""Core layers: the input of a graph, the dense layer, and a function as a layer."""
from .dense import Dense
from .input_layer import Input, InputLayer
from .lambda_layer import Lambda

__all__ = ["Dense", "Input", "InputLayer", "Lambda"]
