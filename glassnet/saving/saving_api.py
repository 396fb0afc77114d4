"""save_model / load_model / save_weights / load_weights.

Resuming training exactly
-------------------------
A model file holds everything ``fit`` needs to continue as if never interrupted: the
weights, the optimizer's slots (m, v, ...) and step counter, the compile settings, and the
state of glassnet's random generator (``backend.rng()``, which shuffling and dropout draw
from). ``load_model`` restores that generator state too — **loading a model file re-seeds
glassnet's random stream to where it was when the file was saved** (after the weights are
created, so building the model does not disturb it). So::

    set_random_seed(0); model = make(); model.fit(x, y, epochs=2); model.save("m.glassnet")
    model = load_model("m.glassnet"); model.fit(x, y, epochs=3)

ends with weights bit-for-bit equal to ``set_random_seed(0); model = make();
model.fit(x, y, epochs=5)``. Call ``glassnet.utils.set_random_seed`` after loading if you
want a fresh stream instead. To resume a run killed mid-epoch without writing code, use
``glassnet.callbacks.BackupAndRestore`` (``training_state.py``).

Opening a file from anyone
--------------------------
Loading runs no code named in a file (``serialization.py``) and costs about the file's own
size: every member, declared size and array header is checked before anything is inflated
(``bounded_reading.py``); every field of ``metadata.json`` and ``config.json`` is
type-checked before any class is looked up (``file_format.check_metadata``,
``serialization.check_spec``, ``random_state.check``); the model is built under a budget of
the file's own weight count (``weight_budget.py``). Anything wrong is a ``ValueError``
naming the file and the member, raised before the model, the optimizer or the random stream
changes.
"""
from __future__ import annotations

import os
import warnings

import numpy as np

from .. import backend
from . import file_format as ff
from . import random_state, serialization, weight_budget


def _weight_name(variable, index: int) -> str:
    return getattr(variable, "path", None) or getattr(variable, "name", None) or f"weight_{index}"


def _check_built(model, function: str) -> list:
    weights = list(getattr(model, "weights", None) or [])
    if not getattr(model, "built", True):
        raise ValueError(f"{function}: model {getattr(model, 'name', '')!r} has no weights yet; build it first "
                         "(call it on data, fit it, or give its first layer an input shape)")
    return weights


def weights_arrays(weights) -> dict:
    return {ff.weight_key(i, _weight_name(w, i)): np.array(w.data) for i, w in enumerate(weights)}


def _assign_weights(weights, saved: list, filepath: str) -> None:
    """Check every saved array against the model's weights, then assign them all.

    Raises:
        ValueError: naming the file and the weight, for a count or shape mismatch
            (nothing is assigned then).
    """
    check_weights(weights, saved, filepath)
    for (_, array), variable in zip(saved, weights):
        variable.assign(array)


def check_weights(weights, saved: list, filepath: str) -> None:
    """Raise ``ValueError`` (naming the file and the weight) unless ``saved`` fits ``weights``
    one for one: same count, same shapes, numeric dtypes."""
    if len(saved) != len(weights):
        raise ValueError(f"{filepath!r}: holds {len(saved)} weights, the model has {len(weights)} "
                         f"({[_weight_name(w, i) for i, w in enumerate(weights)][:8]}...); the file was saved from a "
                         "different architecture")
    for i, ((key, array), variable) in enumerate(zip(saved, weights)):
        if tuple(array.shape) != tuple(variable.shape):
            raise ValueError(f"{filepath!r}: weight {i} {key.partition(':')[2]!r} has shape {tuple(array.shape)}, but "
                             f"the model's weight {_weight_name(variable, i)!r} has shape {tuple(variable.shape)}")
        if array.dtype.kind not in "fiub":
            raise ValueError(f"{filepath!r}: weight {i} {key.partition(':')[2]!r} has dtype {array.dtype}; "
                             "expected a numeric array")


# --- optimizer state ------------------------------------------------------------------
def optimizer_arrays(model, weights) -> dict | None:
    optimizer = getattr(model, "optimizer", None)
    if optimizer is None or not hasattr(optimizer, "variables") or not getattr(optimizer, "built", True):
        return None   # no optimizer, or one that has not taken a step yet: nothing to restore
    tracked = list(getattr(optimizer, "_variables", None) or [])
    position = {id(w): i for i, w in enumerate(weights)}
    if any(id(v) not in position for v in tracked):
        warnings.warn("save_model: the optimizer tracks variables that are not the model's weights; its state is "
                      "not saved (training resumes with fresh optimizer slots)", stacklevel=3)
        return None
    arrays = {f"state_{i:04d}": np.asarray(a) for i, a in enumerate(optimizer.variables())}
    arrays["variable_order"] = np.array([position[id(v)] for v in tracked], dtype=np.int64)
    return arrays


def check_optimizer_arrays(arrays: dict, n_weights: int, filepath: str, entry: str = ff.OPTIMIZER) -> list:
    """The state arrays of ``optimizer.npz`` in order, after checking every field.

    ``variable_order`` must be a 1-D integer array of distinct model-weight positions;
    the states must be ``state_0000`` .. ``state_{n-1}``, the first (``iterations``) a
    non-negative integer scalar.

    Raises:
        ValueError: naming the file and the entry, for anything else.
    """
    where = f"{filepath!r}: entry {entry!r}"
    order = arrays.get("variable_order")
    if order is None or order.ndim != 1 or order.dtype.kind not in "iu" or order.size != len(set(order.tolist())) \
            or any(not 0 <= i < n_weights for i in order.tolist()):
        raise ff.BadFileError(f"{where} has a missing or invalid 'variable_order' (distinct positions among the "
                              f"model's {n_weights} weights expected)")
    keys = sorted(k for k in arrays if k.startswith("state_"))
    if keys != [f"state_{i:04d}" for i in range(len(keys))]:
        raise ff.BadFileError(f"{where}: the state arrays must be state_0000..state_{len(keys) - 1:04d}, got "
                              f"{keys[:6]}")
    states = [arrays[k] for k in keys]
    if not states or states[0].ndim != 0 or states[0].dtype.kind not in "iu" or int(states[0]) < 0:
        raise ff.BadFileError(f"{where}: 'state_0000' (the iteration count) must be a non-negative integer scalar")
    for key, array in zip(keys, states):
        if array.dtype.kind not in "fiub":
            raise ff.BadFileError(f"{where}: array {key!r} has dtype {array.dtype}; expected a numeric array")
    return states


def restore_optimizer(model, arrays: dict, filepath: str) -> None:
    """Build ``model.optimizer`` on the saved variables and load its saved state (checked first)."""
    optimizer = getattr(model, "optimizer", None)
    if optimizer is None:
        return
    weights = list(model.weights)
    states = check_optimizer_arrays(arrays, len(weights), filepath)
    tracked = [weights[int(i)] for i in arrays["variable_order"]]
    current = list(getattr(optimizer, "_variables", None) or [])
    if current and [id(v) for v in current] != [id(v) for v in tracked]:
        raise ValueError(f"{filepath!r}: entry {ff.OPTIMIZER!r}: the optimizer already tracks other variables (or "
                         "the same in another order) than the saved state; restore into a fresh optimizer")
    if hasattr(optimizer, "build"):
        optimizer.build(tracked)
    try:
        optimizer.load_own_variables(states)
    except (ValueError, TypeError, OverflowError) as error:
        raise ff.BadFileError(f"{filepath!r}: entry {ff.OPTIMIZER!r}: the saved optimizer state does not fit the "
                              f"optimizer ({error})") from None


# --- public API ------------------------------------------------------------------------
def _keras_file(filepath, suffix: str) -> bool:
    """Whether ``filepath`` names one of Keras 3's own files (read and written by glassnet.interop)."""
    return isinstance(filepath, (str, os.PathLike)) and os.fspath(filepath).endswith(suffix)


def save_model(model, filepath, overwrite=True) -> None:
    """Save the whole model to one ``.glassnet`` file (a zip archive; see ``file_format``).

    It holds the architecture (``get_config`` of the model and its layers, registered
    class names), the input shapes, the compile settings, every weight, the optimizer's
    state and the random generator's state, so ``load_model`` gives a model that
    predicts identically and trains on exactly as this one would. The file is written
    to a temporary file and renamed: an error or crash mid-save keeps any previous file.

    Args:
        model: a built model (``Sequential``, functional ``Model``, or a registered subclass).
        filepath: a path ending in ".glassnet".
        overwrite: if False and the file exists, raise ``FileExistsError``.

    Raises:
        ValueError: for a wrong suffix, an unbuilt model, or a config that is not JSON.
        FileExistsError: if ``overwrite`` is False and ``filepath`` exists.
    """
    if _keras_file(filepath, ".keras"):
        from ..interop import save_keras_model
        return save_keras_model(model, filepath, overwrite=overwrite)
    path = ff.check_path(filepath, "save_model", ff.MODEL_SUFFIX)
    if not overwrite and os.path.exists(path):
        raise FileExistsError(f"save_model: {path!r} exists and overwrite=False")
    weights = _check_built(model, "save_model")
    entries = {
        ff.METADATA: ff.dumps(ff.metadata(random_state.current()), path, "metadata"),
        ff.CONFIG: ff.dumps(serialization.serialize_model(model, path), path, "model config"),
        ff.WEIGHTS: ff.npz_bytes(weights_arrays(weights)),
    }
    optimizer_state = optimizer_arrays(model, weights)
    if optimizer_state is not None:
        entries[ff.OPTIMIZER] = ff.npz_bytes(optimizer_state)
    ff.write_archive(path, entries)


def load_model(filepath, custom_objects=None, compile=True):
    """Load a model saved with ``save_model`` / ``model.save``.

    Classes are looked up only in glassnet, in ``register_serializable``'s registry and in
    ``custom_objects``; nothing named in the file is imported or executed. The whole file
    is read and checked before any model is built. Restores the random generator's state
    saved in the file (see the module docstring).

    Args:
        filepath: a ".glassnet" file.
        custom_objects: ``{"Name": class_or_function}`` for custom layers, losses,
            metrics or models that were not registered.
        compile: re-compile with the saved settings and restore the optimizer's state
            (False: an uncompiled model, e.g. for inference).

    Returns:
        The model.

    Raises:
        FileNotFoundError: if the file does not exist.
        ValueError: naming the file and the problem, for a corrupt, truncated or foreign
            file, a missing entry, an unknown class, or weights that do not fit.
    """
    if _keras_file(filepath, ".keras"):
        from ..interop import load_keras_model
        return load_keras_model(filepath, custom_objects=custom_objects, compile=compile)
    path = ff.check_path(filepath, "load_model", ff.MODEL_SUFFIX)
    if custom_objects is not None and not isinstance(custom_objects, dict):
        raise TypeError(f"load_model: `custom_objects` must be a dict of name -> class or function, "
                        f"got {type(custom_objects).__name__}")
    entries = ff.read_archive(path)
    meta = ff.parse_json(entries[ff.METADATA], path, ff.METADATA)
    ff.check_metadata(meta, path)
    random_state.check(meta.get("rng_state"), path)
    spec = ff.parse_json(entries[ff.CONFIG], path, ff.CONFIG)
    serialization.check_spec(spec, path)
    saved = ff.ordered_weights(ff.load_npz(entries.pop(ff.WEIGHTS), path, ff.WEIGHTS, ff.is_weight_key), path,
                               ff.WEIGHTS)
    optimizer_state = None
    if ff.OPTIMIZER in entries:
        optimizer_state = ff.load_npz(entries.pop(ff.OPTIMIZER), path, ff.OPTIMIZER, ff.is_optimizer_key)
        check_optimizer_arrays(optimizer_state, len(saved), path)

    state_before = backend.rng().bit_generator.state   # building draws initial weights from the stream
    try:
        with weight_budget.limited_to(weight_budget.allowance(sum(a.size for _, a in saved)), path):
            model = serialization.deserialize_model(spec, custom_objects, path)   # no bigger than the file
        _assign_weights(list(model.weights), saved, path)
        if compile and spec.get("compile_config"):
            serialization.compile_from_config(model, spec["compile_config"], custom_objects, path)
            if optimizer_state is not None:
                restore_optimizer(model, optimizer_state, path)
    except BaseException:
        backend.rng().bit_generator.state = state_before   # a failed load leaves the stream as it was
        raise
    random_state.restore(meta.get("rng_state"), path)
    return model


def save_weights(model, filepath, overwrite=True) -> None:
    """Save the model's weights (only) to a ``.weights.npz`` file, atomically.

    The arrays are in ``model.weights`` order (Keras's order), keyed
    ``"0003:dense_1/kernel"``; load them into a model of the same architecture with
    ``load_weights``.

    Raises:
        ValueError: for a wrong suffix (".weights.h5" is Keras's HDF5 format) or an unbuilt model.
        FileExistsError: if ``overwrite`` is False and the file exists.
    """
    if _keras_file(filepath, ".weights.h5"):
        from ..interop import save_keras_weights
        return save_keras_weights(model, filepath, overwrite=overwrite)
    path = ff.check_path(filepath, "save_weights", ff.WEIGHTS_SUFFIX)
    if not overwrite and os.path.exists(path):
        raise FileExistsError(f"save_weights: {path!r} exists and overwrite=False")
    weights = _check_built(model, "save_weights")
    arrays = weights_arrays(weights)
    arrays[ff.WEIGHTS_MARKER] = np.array(ff.WEIGHTS_MARKER_VALUE)
    data = ff.npz_bytes(arrays)
    ff.atomic_write(path, lambda file: file.write(data))


def load_weights(model, filepath) -> None:
    """Load weights saved by ``save_weights`` (or the weights inside a ``.glassnet`` file).

    Every array is checked (count, shapes) before any weight changes.

    Raises:
        FileNotFoundError: if the file does not exist.
        ValueError: for a wrong suffix, a corrupt or foreign file, or a weight whose
            shape differs (the weight is named).
    """
    if _keras_file(filepath, ".weights.h5"):
        from ..interop import load_keras_weights
        return load_keras_weights(model, filepath)
    if isinstance(filepath, (str, os.PathLike)) and os.fspath(filepath).endswith(ff.MODEL_SUFFIX):
        path = os.fspath(filepath)
        entries = ff.read_archive(path)
        ff.check_metadata(ff.parse_json(entries[ff.METADATA], path, ff.METADATA), path)
        arrays, entry = ff.load_npz(entries[ff.WEIGHTS], path, ff.WEIGHTS, ff.is_weight_key), ff.WEIGHTS
    else:
        path = ff.check_path(filepath, "load_weights", ff.WEIGHTS_SUFFIX)
        if not os.path.exists(path):
            raise FileNotFoundError(f"load_weights: no weights file at {path!r}")
        arrays, entry = ff.load_npz(path, path), None      # sizes bounded; keys checked below, marker first
        marker = arrays.get(ff.WEIGHTS_MARKER)
        if marker is None or marker.shape != () or marker.dtype.kind != "U" or str(marker) != ff.WEIGHTS_MARKER_VALUE:
            raise ValueError(f"{path!r}: not a glassnet weights file (no {ff.WEIGHTS_MARKER!r} marker "
                             f"{ff.WEIGHTS_MARKER_VALUE!r}); save it with model.save_weights")
    saved = ff.ordered_weights(arrays, path, entry)
    weights = _check_built(model, "load_weights")
    _assign_weights(weights, saved, path)
