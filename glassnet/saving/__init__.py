"""Saving and loading models: one file, no pickle, no code run on load.

* ``save_model(model, "m.glassnet")`` / ``model.save(...)`` — architecture, weights,
  compile settings, optimizer state, random state, in one zip archive.
* ``load_model("m.glassnet", custom_objects=None, compile=True)`` — the model back, ready
  to predict or to continue training exactly where it stopped.
* ``save_weights(model, "w.weights.npz")`` / ``load_weights(model, ...)`` — weights only.
* ``register_serializable(package="Custom", name=None)`` — make your own layer or model
  class loadable by name.

See ``file_format.py`` for what is in the files and ``serialization.py`` for how classes
are found; ``atomic.py`` for crash-safe writing (temp file, fsync, rename, fsync the
directory, stale temp files of killed saves removed); ``bounded_reading.py``,
``random_state.py`` and ``weight_budget.py`` for how a file from anyone is read without
costing more than its size; ``training_state.py`` for the file behind
``glassnet.callbacks.BackupAndRestore``.
"""
from ..layers.registry import register_serializable
from ..utils.serialization import (custom_object_scope, deserialize_keras_object, get_custom_objects,
                                   get_registered_name, get_registered_object, register_keras_serializable,
                                   serialize_keras_object)
from .file_format import MODEL_SUFFIX, WEIGHTS_SUFFIX
from .saving_api import load_model, load_weights, save_model, save_weights

__all__ = ["save_model", "load_model", "save_weights", "load_weights", "register_serializable",
           "MODEL_SUFFIX", "WEIGHTS_SUFFIX", "register_keras_serializable", "custom_object_scope", "CustomObjectScope",
           "get_custom_objects", "get_registered_name", "get_registered_object", "serialize_keras_object",
           "deserialize_keras_object"]

CustomObjectScope = custom_object_scope
