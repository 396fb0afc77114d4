"""glassnet: a deep-learning framework you can see through.

Every idea of a classic deep-learning course is a short piece of code whose
docstring states its formula; together they train real models with the Keras API.

Low level (PyTorch-like)::

    import glassnet as gn
    x = gn.Tensor([[1.0, 2.0]], requires_grad=True)
    y = (x * x).sum()
    y.backward()          # x.grad == [[2., 4.]]
"""
__version__ = "0.1.0"

from . import allocator, backend, ops, subnormals, utils  # noqa: E402
from .tensor import Function, Tensor, Variable, as_tensor, is_grad_enabled, no_grad

from . import activations, constraints, initializers, regularizers  # noqa: E402,I001  (nn blocks)
from . import losses, metrics, optimizers  # noqa: E402
from . import layers  # noqa: E402
from . import callbacks, data, datasets, models, saving  # noqa: E402
from . import applications  # noqa: E402
from .models import Model, Sequential  # noqa: E402
from . import config, random, tree  # noqa: E402
from .autodiff import GradientTape, value_and_grad  # noqa: E402
from .devices import device  # noqa: E402

# Keras's top-level names (``keras.Input``, ``keras.Layer``, ...): the same classes as in the submodules
from .layers import Input  # noqa: E402
from .layers.base import Layer  # noqa: E402
from .layers.input_spec import InputSpec  # noqa: E402
from .losses import Loss  # noqa: E402
from .metrics import Metric  # noqa: E402
from .optimizers import Optimizer  # noqa: E402
from .initializers import Initializer  # noqa: E402
from .regularizers import Regularizer  # noqa: E402
from .constraints import Constraint  # noqa: E402
from .layers.node import SymbolicTensor as KerasTensor  # noqa: E402  (what keras.Input returns)


def version() -> str:
    """glassnet's version (``keras.version()``)."""
    return __version__


__all__ = ["Tensor", "Variable", "Function", "no_grad", "is_grad_enabled", "as_tensor", "Model", "Sequential",
           "backend", "ops", "subnormals", "utils", "activations", "constraints", "initializers", "regularizers", "losses",
           "metrics", "optimizers", "layers", "callbacks", "data", "datasets", "text", "models", "saving", "__version__",
           "random", "config", "tree", "device", "version", "KerasTensor", "GradientTape", "value_and_grad", "Input", "Layer", "InputSpec",
           "Loss", "Metric", "Optimizer", "Initializer", "Regularizer", "Constraint"]


def __getattr__(name):
    """``glassnet.text``, ``seq2seq``, ``sklearn``, ``tuning``, ``plot``, ``convert``, ``monitor``,
    ``rl``, ``wrappers`` and ``preprocessing`` are imported on first use.

    ``text`` and ``sklearn`` pull in scikit-learn (~0.6 s); ``tuning`` needs Optuna (the
    ``glassnet[tuning]`` extra); ``plot`` loads matplotlib; ``wrappers`` is scikit-learn's too;
    ``seq2seq`` is needed only for
    translation models. After the
    first access the subpackage is an ordinary attribute of ``glassnet``
    (the import system sets it), so this runs once per name.
    """
    if name in ("text", "seq2seq", "sklearn", "tuning", "plot", "convert", "monitor", "rl", "wrappers", "preprocessing"):
        import importlib

        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'glassnet' has no attribute {name!r}")
