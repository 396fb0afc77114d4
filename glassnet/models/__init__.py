"""Models: ``Model`` (functional or subclassed), ``Sequential``, and ``load_model``.

==================  ==================================================================
file                what
==================  ==================================================================
model.py            Model: a Layer with a training loop; summary, save, get_layer
functional.py       Functional: the graph of layer calls recorded on ``Input``s
sequential.py       Sequential: a stack of layers
trainer.py          compile, fit, evaluate, predict, train_on_batch, ...
compile_utils.py    per-output losses, loss weights and metrics
data_adapter.py     arrays, Datasets and generators → batches
data_checks.py      the data's values: no NaN/inf, targets the loss can take
summary.py          the ``summary()`` table
==================  ==================================================================
"""
from .functional import Functional
from .model import Model
from .sequential import Sequential


def load_model(filepath, custom_objects=None, compile=True):
    """Load a model saved with ``model.save`` (see ``glassnet.saving.load_model``)."""
    from ..saving import load_model as _load_model
    return _load_model(filepath, custom_objects=custom_objects, compile=compile)


__all__ = ["Model", "Sequential", "Functional", "load_model"]
