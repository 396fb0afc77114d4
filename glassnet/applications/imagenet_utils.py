"""The ImageNet models' input preprocessing and output decoding (``keras.applications.imagenet_utils``).

Each family was trained on images scaled its own way, so each has its ``preprocess_input``:

=======  ==============================================================  ==========================
mode     formula (x: pixels in [0, 255], RGB)                            families
=======  ==============================================================  ==========================
"caffe"  x' = BGR(x) − (103.939, 116.779, 123.68)  (no scaling)          VGG, ResNet (v1)
"tf"     x' = x / 127.5 − 1  ∈ [−1, 1]                                   ResNetV2, MobileNet,
                                                                         Inception, Xception
"torch"  x' = (x / 255 − (0.485, 0.456, 0.406)) / (0.229, 0.224, 0.225)  DenseNet
(none)   x' = x: the model rescales its [0, 255] input itself             EfficientNet, MobileNetV3
=======  ==============================================================  ==========================

(the means and deviations are ImageNet's, per channel; "caffe" reverses the channels to
BGR first and subtracts in BGR order). As in Keras, a floating NumPy array is changed in
place (pass ``np.copy(x)`` to keep it), other arrays are converted to floatx first; a
glassnet Tensor gives a new Tensor; a symbolic tensor (``Input``) gets a ``Lambda`` layer.

``decode_predictions`` turns (samples, 1000) probabilities into the top classes'
(WordNet id, name, score). Keras downloads the class index ``imagenet_class_index.json``;
glassnet never downloads: it reads the file from ``class_index_path``, or from Keras's
cache (``$KERAS_HOME/models`` or ``~/.keras/models``) where Keras put it.
"""
from __future__ import annotations

import json
import os

import numpy as np

from .. import backend
from ..layers import Lambda
from ..layers.node import SymbolicTensor
from ..layers.registry import register_serializable
from ..tensor import Tensor

MODES = ("caffe", "tf", "torch")
CAFFE_MEAN = (103.939, 116.779, 123.68)          # B, G, R
TORCH_MEAN = (0.485, 0.456, 0.406)               # R, G, B
TORCH_STD = (0.229, 0.224, 0.225)
CLASS_INDEX_FILE = "imagenet_class_index.json"
_class_index_cache = {}


def _channel_shape(ndim: int, data_format: str) -> tuple:
    """The shape that broadcasts a 3-vector along the channel axis."""
    if data_format == "channels_last":
        return (1,) * (ndim - 1) + (3,)
    return (3, 1, 1) if ndim == 3 else (1, 3) + (1,) * (ndim - 2)


def _reverse_channels(x, data_format: str):
    if data_format == "channels_last":
        return x[..., ::-1]
    return x[::-1] if len(x.shape) == 3 else x[:, ::-1]


def _preprocess(x, data_format: str, mode: str):
    """The formula of ``mode`` on an array or Tensor x (in place on a floating NumPy array)."""
    if mode == "tf":
        x /= 127.5
        x -= 1.0
        return x
    if mode == "torch":
        x /= 255.0
        mean, std = TORCH_MEAN, TORCH_STD
    else:
        x = _reverse_channels(x, data_format)
        mean, std = CAFFE_MEAN, None
    shape = _channel_shape(len(x.shape), data_format)
    x -= np.asarray(mean, dtype=x.dtype).reshape(shape)
    if std is not None:
        x /= np.asarray(std, dtype=x.dtype).reshape(shape)
    return x


def _graph_function(mode: str, data_format: str):
    """The function a Lambda layer applies for ``mode`` (registered, so the model can be saved)."""
    def preprocess(x):
        return _preprocess(x, data_format, mode)
    name = f"preprocess_input_{mode}_{data_format}"
    preprocess.__name__ = name
    return register_serializable(package="glassnet.applications", name=name)(preprocess)


_GRAPH_FUNCTIONS = {(mode, fmt): _graph_function(mode, fmt) for mode in MODES
                    for fmt in ("channels_last", "channels_first")}


def preprocess_input(x, data_format=None, mode="caffe"):
    """Scales a batch of images (pixels in [0, 255]) as an ImageNet model was trained on.

    Formulas (per channel c): "caffe": x'_c = BGR(x)_c − mean_c with mean = (103.939,
    116.779, 123.68); "tf": x' = x / 127.5 − 1; "torch": x'_c = (x_c / 255 − μ_c) / σ_c with
    μ = (0.485, 0.456, 0.406), σ = (0.229, 0.224, 0.225).

    Args:
        x: 3-D or 4-D images with 3 channels: a NumPy array (a floating one is overwritten),
            a glassnet Tensor, or a symbolic tensor.
        data_format: "channels_last" or "channels_first"; None: ``backend.image_data_format()``.
        mode: "caffe", "tf" or "torch".

    Returns:
        the preprocessed images (floatx for a non-floating array).

    Raises:
        ValueError: for an unknown ``mode`` or ``data_format``.
    """
    if mode not in MODES:
        raise ValueError(f"preprocess_input: mode must be one of 'caffe', 'tf' or 'torch', got {mode!r}")
    if data_format is None:
        data_format = backend.image_data_format()
    elif data_format not in ("channels_first", "channels_last"):
        raise ValueError(f"preprocess_input: data_format must be 'channels_first' or 'channels_last', "
                         f"got {data_format!r}")
    if isinstance(x, SymbolicTensor):
        return Lambda(_GRAPH_FUNCTIONS[mode, data_format])(x)
    if isinstance(x, Tensor):
        return _preprocess(x * 1.0, data_format, mode)
    x = np.asarray(x)
    if not np.issubdtype(x.dtype, np.floating):
        x = x.astype(backend.floatx())
    return _preprocess(x, data_format, mode)


def _default_class_index_path():
    home = os.environ.get("KERAS_HOME", os.path.join(os.path.expanduser("~"), ".keras"))
    return os.path.join(home, "models", CLASS_INDEX_FILE)


def load_class_index(class_index_path=None) -> dict:
    """ImageNet's class index {"0": [wnid, name], ...} from a local JSON file (never downloaded)."""
    path = os.fspath(class_index_path) if class_index_path is not None else _default_class_index_path()
    if path not in _class_index_cache:
        if not os.path.isfile(path):
            raise ValueError(
                f"decode_predictions: ImageNet's class index {CLASS_INDEX_FILE} was not found at {path!r}; glassnet "
                f"never downloads. Fetch it yourself (Keras gets it from https://storage.googleapis.com/"
                f"download.tensorflow.org/data/imagenet_class_index.json) and pass class_index_path=..., or put "
                f"it in $KERAS_HOME/models (default ~/.keras/models) where Keras keeps it")
        with open(path, encoding="utf-8") as f:
            index = json.load(f)
        if not isinstance(index, dict) or len(index) != 1000:
            raise ValueError(f"decode_predictions: {path!r} is not ImageNet's class index "
                             f"(a JSON object of 1000 classes)")
        _class_index_cache[path] = index
    return _class_index_cache[path]


def decode_predictions(preds, top=5, class_index_path=None):
    """The ``top`` classes of each prediction, best first: lists of (wnid, name, score).

    Args:
        preds: (samples, 1000) scores (NumPy array or Tensor).
        top: how many classes per sample.
        class_index_path: the local ``imagenet_class_index.json`` (glassnet's addition; None
            reads it from Keras's cache directory).

    Raises:
        ValueError: if ``preds`` is not (samples, 1000), or the class index file is missing.
    """
    preds = np.asarray(preds.numpy() if isinstance(preds, Tensor) else preds)
    if preds.ndim != 2 or preds.shape[1] != 1000:
        raise ValueError(f"decode_predictions expects a batch of predictions (a 2-D array of shape "
                         f"(samples, 1000)); got an array of shape {preds.shape}")
    index = load_class_index(class_index_path)
    results = []
    for pred in preds:
        best = pred.argsort()[-top:][::-1]
        results.append([tuple(index[str(i)]) + (pred[i],) for i in best])
    return results
