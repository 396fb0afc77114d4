"""glassnet: a deep-learning framework you can see through.

Every idea of a classic deep-learning course is a short piece of code whose
docstring states its formula; together they train real models with the Keras API.

Low level (PyTorch-like)::

    import glassnet as gn
    x = gn.Tensor([[1.0, 2.0]], requires_grad=True)
    y = (x * x).sum()
    y.backward()          # x.grad == [[2., 4.]]
"""
from . import backend, ops, utils
from .tensor import Function, Tensor, Variable, as_tensor, is_grad_enabled, no_grad

__version__ = "0.1.0"

__all__ = ["Tensor", "Variable", "Function", "no_grad", "is_grad_enabled", "as_tensor",
           "backend", "ops", "utils", "__version__"]
