"""Activation layers: an activation function as a layer, some with weights (PReLU, Maxout)."""
from .activation_layers import ELU, Activation, LeakyReLU, PReLU, ReLU, Softmax
from .maxout import Maxout

__all__ = ["Activation", "ReLU", "LeakyReLU", "PReLU", "ELU", "Softmax", "Maxout"]
