"""Models: ``Model`` (functional or subclassed), ``Sequential``, ``load_model``, ``save_model``,
``clone_model`` and ``model_from_json``.

==================  ==================================================================
file                what
==================  ==================================================================
model.py            Model: a Layer with a training loop; summary, save, get_layer
functional.py       Functional: the graph of layer calls recorded on ``Input``s
sequential.py       Sequential: a stack of layers
trainer.py          compile, fit, evaluate, predict, train_on_batch, ...
steps.py            train_step, test_step, predict_step, compute_loss, the metrics
cloning.py          clone_model, model_from_json, to_json
compile_utils.py    per-output losses, loss weights and metrics
data_adapter.py     arrays, Datasets and generators → batches
data_checks.py      the data's values: no NaN/inf, targets the loss can take
summary.py          the ``summary()`` table
==================  ==================================================================
"""
from .functional import Functional
from .model import Model
from .cloning import clone_model, model_from_json
from .sequential import Sequential


def load_model(filepath, custom_objects=None, compile=True):
    """Load a model saved with ``model.save`` (see ``glassnet.saving.load_model``)."""
    from ..saving import load_model as _load_model
    return _load_model(filepath, custom_objects=custom_objects, compile=compile)


def save_model(model, filepath, overwrite=True, zipped=None):
    """Save ``model`` whole to ``filepath`` (see ``glassnet.saving.save_model``); files are
    always one zip archive (``zipped=False``, Keras's unzipped folder, is refused)."""
    from ..saving import save_model as _save_model
    if zipped is False:
        raise ValueError("save_model: zipped=False (an unzipped folder) is not supported; glassnet writes one archive")
    return _save_model(model, filepath, overwrite=overwrite)


__all__ = ["Model", "Sequential", "Functional", "load_model", "save_model", "clone_model", "model_from_json"]
