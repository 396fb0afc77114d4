"""Utilities with Keras's names (``keras.utils``).

=====================  ===========================================================================
file                   what
=====================  ===========================================================================
__init__.py            set_random_seed, plot_model, Progbar (the callbacks' bar: Keras's API and numbers)
sequences.py           pad_sequences, to_categorical, normalize
serialization.py       register_keras_serializable, custom_object_scope, get_custom_objects,
                       serialize_keras_object / deserialize_keras_object
py_dataset.py          PyDataset (= Sequence), unpack_x_y_sample_weight, pack_x_y_sample_weight
dataset_utils.py       split_dataset, timeseries_dataset_from_array
directory_datasets.py  text_dataset_from_directory, image_dataset_from_directory (Pillow)
image_utils.py         load_img, img_to_array, array_to_img, save_img (Pillow)
=====================  ===========================================================================
"""
from __future__ import annotations

from .. import backend
from ..backend import is_keras_tensor, standardize_dtype
from ..io_utils import disable_interactive_logging, enable_interactive_logging, is_interactive_logging_enabled
from .config import Config
from .dataset_utils import split_dataset, timeseries_dataset_from_array
from .file_utils import get_file
from .directory_datasets import image_dataset_from_directory, text_dataset_from_directory
from ..callbacks.progbar import Progbar
from .image_utils import array_to_img, img_to_array, load_img, save_img
from .py_dataset import PyDataset, Sequence, pack_x_y_sample_weight, unpack_x_y_sample_weight
from .sequences import normalize, pad_sequences, to_categorical
from .serialization import (custom_object_scope, deserialize_keras_object, get_custom_objects, get_registered_name,
                            get_registered_object, register_keras_serializable, serialize_keras_object)

CustomObjectScope = custom_object_scope
clear_session = backend.clear_session


def set_random_seed(seed: int) -> None:
    """Seed every random draw in glassnet (initializers, dropout, shuffling, ``glassnet.random``).

    glassnet draws all randomness from one ``numpy.random.Generator``
    (``glassnet.backend.rng()``); this re-creates it from ``seed`` so that runs repeat
    exactly. The global ``np.random`` state is neither used nor changed.
    """
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        raise ValueError(f"set_random_seed: seed must be a non-negative int, got {seed!r}")
    backend.set_seed(seed)


def get_source_inputs(tensor) -> list:
    """The ``Input`` tensors a symbolic tensor of the functional API is computed from, in the
    order they are first reached walking back from it (``keras.utils.get_source_inputs``)."""
    from ..layers.node import SymbolicTensor

    if not isinstance(tensor, SymbolicTensor):
        raise ValueError(f"get_source_inputs: expected a symbolic tensor (from Input or a layer called on one), "
                         f"got {type(tensor).__name__}")
    sources, seen, stack = [], set(), [tensor]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        parents = current.node.input_tensors if current.node is not None else []
        if not parents:
            sources.append(current)
        stack.extend(reversed(parents))
    return sources


def plot_model(model, to_file="model.png", **kwargs):
    """Keras's ``keras.utils.plot_model``: see ``glassnet.plot.plot_model`` (imported on use: matplotlib)."""
    from ..plot import plot_model as draw

    return draw(model, to_file=to_file, **kwargs)


__all__ = ["set_random_seed", "plot_model", "Progbar", "pad_sequences", "to_categorical", "normalize",
           "register_keras_serializable", "custom_object_scope", "CustomObjectScope", "get_custom_objects",
           "get_registered_name", "get_registered_object", "serialize_keras_object", "deserialize_keras_object",
           "PyDataset", "Sequence", "unpack_x_y_sample_weight", "pack_x_y_sample_weight", "split_dataset",
           "timeseries_dataset_from_array", "text_dataset_from_directory", "image_dataset_from_directory", "load_img",
           "img_to_array", "array_to_img", "save_img", "clear_session", "Config", "get_file", "get_source_inputs",
           "is_keras_tensor", "standardize_dtype", "enable_interactive_logging", "disable_interactive_logging",
           "is_interactive_logging_enabled"]
