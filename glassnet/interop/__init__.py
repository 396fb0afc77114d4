"""Interoperability with Keras 3's own files.

* ``load_keras_model("m.keras")`` / ``save_keras_model(model, "m.keras")`` — Keras 3's
  ``.keras`` archive (config.json, metadata.json, model.weights.h5), read into glassnet and
  written so that Keras loads it;
* ``load_keras_weights(model, "w.weights.h5")`` / ``save_keras_weights(...)`` — Keras 3's
  weights-only HDF5 files.

``glassnet.saving.load_model`` / ``save_model`` / ``load_weights`` / ``save_weights`` (and
``model.save``) call these for the ``.keras`` and ``.weights.h5`` suffixes. Reading resolves
every class through glassnet's registry only and checks every member and dataset before it
is used (see ``keras_format.py``). Needs h5py (``pip install glassnet[interop]``), never Keras.
"""
from .keras_format import (KERAS_VERSION, MODEL_SUFFIX, WEIGHTS_SUFFIX, load_keras_model, load_keras_weights,
                           save_keras_model, save_keras_weights)

__all__ = ["load_keras_model", "save_keras_model", "load_keras_weights", "save_keras_weights", "MODEL_SUFFIX",
           "WEIGHTS_SUFFIX", "KERAS_VERSION"]
