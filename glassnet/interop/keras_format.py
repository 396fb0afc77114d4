"""Keras 3's own model files: ``.keras`` archives and ``.weights.h5`` weights, both ways.

``glassnet.saving.load_model("m.keras")`` and ``model.save("m.keras")`` come here (so do
``save_weights`` / ``load_weights`` with a ``.weights.h5`` path); glassnet's own
``.glassnet`` format is unchanged and stays what its own suffix means.

Loading a ``.keras`` file, step by step — each step finishes before the next begins, and
any failure is a ``ValueError`` naming the file and the member:

1. the archive: exactly ``metadata.json``, ``config.json``, ``model.weights.h5``, no
   duplicates, sizes bounded (``keras_archive.py``);
2. the JSON: nesting bounded, ``metadata.json`` naming Keras 3;
3. the config: translated into glassnet's (``keras_config.py``), every class looked up
   in glassnet's registry only — never imported, never evaluated;
4. the model: rebuilt from the config and built from its ``build_config``, under a budget
   of the weights the HDF5 member holds (``saving/weight_budget.py``: a config asking for
   ``Dense(10**8)`` in a small file is refused before the weight is allocated);
5. the weights: every HDF5 dataset checked — path, shape, dtype, from its header — against
   the built model's weights, then read, then assigned (``keras_weights.py``);
6. compiling (``compile=True``, when the file has a ``compile_config``): optimizer, loss and
   metrics from glassnet's name tables, and the optimizer's slots where their layout is
   Keras's (Adam, AdamW, SGD, RMSprop without momentum, Adagrad, Lion).

glassnet's random stream is left where it was: building the model draws initial weights
from it (then overwritten by the file's), and the stream is put back afterwards, whether
the load succeeds or fails — a ``.keras`` file carries no random state of glassnet's.

Writing is the reverse: glassnet's config with Keras's ``module``/``registered_name``
added, the weights in Keras's HDF5 layout, the optimizer's state under ``optimizer/vars``.
Keras 3 loads the file when every class in it is one Keras has; a glassnet-only layer
(``TransformerBlock``, ...) is written under its glassnet name with a warning — glassnet
reads such a file back, Keras needs an equivalent registered class.

h5py is needed for both directions (``pip install glassnet[interop]``); Keras is not.
"""
from __future__ import annotations

import datetime
import os
import warnings

from .. import __version__, backend
from ..saving import file_format as ff
from ..saving import serialization, weight_budget
from . import keras_archive as archive
from . import keras_config, keras_weights

MODEL_SUFFIX = ".keras"
WEIGHTS_SUFFIX = ".weights.h5"
KERAS_VERSION = "3.15.1"
"""The Keras version whose layout glassnet writes (and records in ``metadata.json``)."""

# Keras 3 layer classes glassnet has under the same name, with the same config (Lambda is
# not one: Keras stores its function as bytecode, glassnet by registered name).
KERAS_LAYERS = frozenset("""
Activation ActivityRegularization Add AdditiveAttention Attention Average AveragePooling1D AveragePooling2D
BatchNormalization Bidirectional CenterCrop Concatenate Conv1D Conv1DTranspose Conv2D Conv2DTranspose Cropping1D
Cropping2D Dense DepthwiseConv1D DepthwiseConv2D Dot Dropout ELU Embedding Flatten Functional GRU GRUCell
GaussianNoise GlobalAveragePooling1D GlobalAveragePooling2D GlobalMaxPooling1D GlobalMaxPooling2D InputLayer LSTM
LSTMCell LayerNormalization LeakyReLU Masking MaxPooling1D MaxPooling2D Maximum Minimum MultiHeadAttention Multiply
Normalization PReLU Permute RNN RandomBrightness RandomContrast RandomCrop RandomFlip RandomRotation
RandomTranslation RandomZoom ReLU RepeatVector Rescaling Reshape Resizing SeparableConv1D SeparableConv2D Sequential
SimpleRNN SimpleRNNCell Softmax SpatialDropout1D SpatialDropout2D StackedRNNCells Subtract TextVectorization
TimeDistributed UpSampling1D UpSampling2D ZeroPadding1D ZeroPadding2D
CategoryEncoding Discretization HashedCrossing Hashing IntegerLookup StringLookup
Conv3D Conv3DTranspose MaxPooling3D AveragePooling3D GlobalMaxPooling3D GlobalAveragePooling3D Cropping3D ZeroPadding3D
UpSampling3D AdaptiveAveragePooling1D AdaptiveAveragePooling2D AdaptiveAveragePooling3D AdaptiveMaxPooling1D
AdaptiveMaxPooling2D AdaptiveMaxPooling3D
AlphaDropout EinsumDense GaussianDropout GroupNormalization Identity Pipeline RMSNormalization ReversibleEmbedding
SpatialDropout3D SpectralNormalization UnitNormalization
AugMix AutoContrast CutMix Equalization MixUp RandAugment RandomColorDegeneration RandomColorJitter
RandomElasticTransform RandomErasing RandomGaussianBlur RandomGrayscale RandomHue RandomInvert RandomPerspective
RandomPosterization RandomSaturation RandomSharpness Solarization
ConvLSTM1D ConvLSTM2D ConvLSTM3D""".split())
# compile() options of Keras that change only how Keras runs, not what it computes
_KERAS_RUN_OPTIONS = ("run_eagerly", "steps_per_execution", "jit_compile", "auto_scale_loss")
_COMPILE_KEYS = ("optimizer", "loss", "loss_weights", "metrics", "weighted_metrics")


def _h5py(function: str):
    try:
        import h5py
    except ImportError:
        raise ImportError(f"{function}: Keras's files hold HDF5 weights, which need h5py: "
                          "pip install 'glassnet[interop]' (or pip install h5py)") from None
    return h5py


def _check_path(filepath, function: str, suffix: str) -> str:
    if not isinstance(filepath, (str, os.PathLike)):
        raise TypeError(f"{function}: `filepath` must be a str or os.PathLike, got {type(filepath).__name__}")
    path = os.fspath(filepath)
    if not path.endswith(suffix):
        raise ValueError(f"{function}: `filepath` must end in {suffix!r}, got filepath={path!r}")
    return path


def _compile_config(config, filepath: str):
    """Keras's compile_config reduced to glassnet's ``compile`` arguments (None: not compiled)."""
    if not config:
        return None
    unknown = [k for k in config if k not in _COMPILE_KEYS + _KERAS_RUN_OPTIONS]
    if unknown:
        raise ValueError(f"{filepath!r}: member {archive.CONFIG!r}: compile_config has options glassnet does not "
                         f"know: {unknown}")
    return {k: v for k, v in config.items() if k in _COMPILE_KEYS}


# --- .keras -----------------------------------------------------------------------------
def load_keras_model(filepath, custom_objects=None, compile=True):
    """Load a ``.keras`` file written by Keras 3 (or by ``save_keras_model``).

    Args:
        filepath: a path ending in ".keras".
        custom_objects: ``{"Name": class_or_function}`` for custom classes the file names.
        compile: compile with the file's settings and restore the optimizer's state.

    Returns:
        The glassnet model, with the file's weights.

    Raises:
        FileNotFoundError: if the file does not exist.
        ValueError: naming the file and the member, for a corrupt, foreign or unsafe
            archive, an unknown class, or weights that do not fit the model.
    """
    path = _check_path(filepath, "load_model", MODEL_SUFFIX)
    _h5py("load_model")
    if custom_objects is not None and not isinstance(custom_objects, dict):
        raise TypeError(f"load_model: `custom_objects` must be a dict, got {type(custom_objects).__name__}")
    members = archive.read_members(path)
    archive.check_metadata(archive.parse_json(members[archive.METADATA], path, archive.METADATA), path)
    raw = archive.parse_json(members[archive.CONFIG], path, archive.CONFIG)
    serialization.check_spec(raw, path)   # the top-level fields and saved input shapes, as for glassnet's files
    if not compile:   # then the compile settings are not read at all (an unknown loss does not matter)
        raw.pop("compile_config", None)
    stream = backend.rng().bit_generator.state   # building draws initial weights: loading must not move the stream
    try:
        spec = keras_config.from_keras(raw, path, custom_objects)
        compile_config = _compile_config(spec.get("compile_config"), path)
        elements = keras_weights.weight_elements(members[archive.WEIGHTS], path, archive.WEIGHTS)
        with weight_budget.limited_to(weight_budget.allowance(elements), path):   # no model bigger than its file
            model = serialization.deserialize_model(spec, custom_objects, path)
        assignments, optimizer_arrays = keras_weights.read_h5(members[archive.WEIGHTS], model, path,
                                                              archive.WEIGHTS, optimizer=compile)
        keras_weights.assign(assignments)
        if compile and compile_config:
            serialization.compile_from_config(model, compile_config, custom_objects, path)
            if optimizer_arrays:
                keras_weights.restore_optimizer(model, optimizer_arrays, path)
    except ValueError as error:
        raise ValueError(str(error) if path in str(error) else f"{path!r}: {error}") from None
    except (TypeError, KeyError, IndexError, AttributeError) as error:   # JSON of an unexpected shape
        raise ValueError(f"{path!r}: member {archive.CONFIG!r} is malformed ({type(error).__name__}: {error})") \
            from None
    finally:
        backend.rng().bit_generator.state = stream
    return model


def save_keras_model(model, filepath, overwrite=True, include_optimizer=True) -> None:
    """Save ``model`` as a ``.keras`` archive in Keras 3's layout, atomically.

    Args:
        model: a built glassnet model.
        filepath: a path ending in ".keras".
        overwrite: if False and the file exists, raise ``FileExistsError``.
        include_optimizer: also write the optimizer's state (when its layout is Keras's).

    Raises:
        ValueError: for an unbuilt model or a config that is not JSON.
        FileExistsError: if ``overwrite`` is False and ``filepath`` exists.
    """
    path = _check_path(filepath, "save_model", MODEL_SUFFIX)
    _h5py("save_model")
    if not overwrite and os.path.exists(path):
        raise FileExistsError(f"save_model: {path!r} exists and overwrite=False")
    if not getattr(model, "built", True):
        raise ValueError(f"save_model: model {getattr(model, 'name', '')!r} has no weights yet; build it first "
                         "(call it on data, fit it, or give its first layer an input shape)")
    written = set()
    config = keras_config.to_keras(serialization.serialize_model(model, path), keras_layers=written)
    if config.get("compile_config") is None:
        config["compile_config"] = {}
    foreign = sorted(written - KERAS_LAYERS)
    if foreign:
        warnings.warn(f"save_model: {path!r} holds layers Keras 3 cannot rebuild from glassnet's config "
                      f"({', '.join(foreign)}: glassnet-only, or a Lambda, whose function Keras stores as code); "
                      "glassnet loads the file, Keras only with equivalent classes registered", stacklevel=3)
    metadata = {"keras_version": KERAS_VERSION, "date_saved": datetime.datetime.now().strftime("%Y-%m-%d@%H:%M:%S"),
                "saved_by": f"glassnet {__version__}"}
    weights = keras_weights.h5_bytes(model, include_optimizer=include_optimizer)
    archive.write(path, ff.dumps(config, path, "model config"), ff.dumps(metadata, path, "metadata"), weights)


# --- .weights.h5 ------------------------------------------------------------------------
def save_keras_weights(model, filepath, overwrite=True) -> None:
    """Save ``model``'s weights as a Keras 3 ``.weights.h5`` file (Keras's ``save_weights``)."""
    path = _check_path(filepath, "save_weights", WEIGHTS_SUFFIX)
    _h5py("save_weights")
    if not overwrite and os.path.exists(path):
        raise FileExistsError(f"save_weights: {path!r} exists and overwrite=False")
    if not model.weights:
        raise ValueError(f"save_weights: model {model.name!r} has no weights yet; build it first")
    data = keras_weights.h5_bytes(model, include_optimizer=False)
    ff.atomic_write(path, lambda file: file.write(data))


def load_keras_weights(model, filepath) -> None:
    """Load a Keras 3 ``.weights.h5`` file (from Keras's ``save_weights`` or ours) into ``model``.

    Every dataset is checked against the model's weights before any weight changes.

    Raises:
        FileNotFoundError: if there is no such file.
        ValueError: naming the file and dataset, for a corrupt file or a weight that does not fit.
    """
    path = _check_path(filepath, "load_weights", WEIGHTS_SUFFIX)
    _h5py("load_weights")
    if not os.path.isfile(path):
        raise FileNotFoundError(f"load_weights: no weights file at {path!r}")
    if os.path.getsize(path) > archive.MAX_MEMBER_BYTES:
        raise ValueError(f"{path!r}: larger than {archive.MAX_MEMBER_BYTES} bytes; refusing it")
    if not model.weights:
        raise ValueError(f"load_weights: model {model.name!r} has no weights yet; build it first")
    with open(path, "rb") as file:
        data = file.read()
    assignments, _ = keras_weights.read_h5(data, model, path, os.path.basename(path))
    keras_weights.assign(assignments)
