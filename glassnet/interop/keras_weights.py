"""Keras 3's weights layout (``model.weights.h5``), read and written with h5py.

Keras saves a model by walking it as a tree and writing each object's *own* variables,
in creation order (trainable first, then non-trainable), as datasets ``0``, ``1``, ... of a
group ``<path>/vars``. The path of an object is how it is reached from the model::

    vars                                     the model's own variables (usually none)
    layers/dense/vars/0, /1                  Dense kernel, bias
    layers/dense_1/vars/...                  the second Dense of the model
    layers/batch_normalization/vars/0..3     gamma, beta, moving_mean, moving_variance
    layers/lstm/cell/vars/0..2               an LSTM's weights live in its cell
    layers/bidirectional/forward_layer/cell/vars/...   and backward_layer/cell/...
    layers/multi_head_attention/query_dense/vars/0, /1  (key_dense, value_dense, output_dense)
    layers/sequential/layers/dense/vars/...  a model used as a layer
    optimizer/vars/0, /1, 2...               iterations, learning_rate (unless it is a
                                             schedule), then the slots

A model's layers (``model.layers``; a functional model's include its ``InputLayer``) are
named by their class in snake_case, numbered in order when a class repeats
(``dense``, ``dense_1``, ...) — not by the layers' own names, which are not reproducible. A
layer's sublayers are named by the attribute holding them (``cell``, ``forward_layer``);
a list attribute numbers its items by class. glassnet keeps weights where Keras keeps
them, except ``MultiHeadAttention``, which holds its projections directly: they are mapped
to Keras's ``query_dense`` ... ``output_dense`` sublayers here.

Reading is bounded: the file's tree is walked once (hard links only, at most
``MAX_OBJECTS`` objects), every dataset must sit at a path the model expects, with the
shape and a numeric dtype of the weight it fills, its data inside the file (no external or
virtual storage) and compressed, if at all, by HDF5's built-in filters (no plugin is ever
loaded) — all checked from the dataset's header before any data is read — and every
weight must be found. Anything else raises a ``ValueError`` naming the file and the
member. Groups without datasets are allowed (Keras writes one for each layer that has no
weights, e.g. ``dropout/vars``).

The optimizer's state is Keras 3.15's: per trainable variable, its slots side by side
(Adam: m₀, v₀, m₁, v₁, ...). A file whose slots do not line up with glassnet's optimizer
(another optimizer, amsgrad, momentum in RMSprop, an older Keras order) loads its weights
and starts the optimizer fresh, with a warning.
"""
from __future__ import annotations

import io
import warnings

import numpy as np

from ..layers.base import Layer, snake_case

_BUILTIN_FILTERS = (1, 2, 3, 4, 5, 6, 32000)
"""HDF5 filter ids read: deflate, shuffle, fletcher32, szip, nbit, scaleoffset, lzf (h5py's)."""
MAX_OBJECTS = 100_000
"""The most groups and datasets a weights file may hold (a bound on the walk)."""

# Keras's optimizer slots, per variable, in the order Keras 3 writes them, for the
# optimizers whose layout matches glassnet's slot_names() one for one.
_KERAS_SLOTS = {"Adam": [("m", "v")], "AdamW": [("m", "v")], "SGD": [(), ("v",)], "RMSprop": [("s",)],
                "Adagrad": [("s",)], "Lion": [("m",)]}


# --- where each weight lives -----------------------------------------------------------
def _own(layer) -> list:
    return list(layer._trainable_variables) + list(layer._non_trainable_variables)


def _is_model_container(layer) -> bool:
    """Whether ``layer`` keeps its sublayers as Keras saves them, under ``layers/<snake_case name>``:
    a model, or a Pipeline (Keras walks its ``layers`` property)."""
    return any(klass.__name__ in ("Sequential", "Functional", "Pipeline") for klass in type(layer).__mro__)


def _sublayer_attributes(layer) -> list:
    """``[(attribute, layer or list of layers)]``: the public attributes holding sublayers, sorted."""
    out = []
    for name, value in sorted(vars(layer).items()):
        if name.startswith("_"):
            continue
        if isinstance(value, Layer) and value is not layer:
            out.append((name, value))
        elif isinstance(value, (list, tuple)) and value and all(isinstance(v, Layer) for v in value):
            out.append((name, list(value)))
    return out


def _multi_head_attention(layer, path: str, groups: dict) -> None:
    """Keras's MultiHeadAttention keeps W_q, W_k, W_v, W_o in four EinsumDense sublayers."""
    groups[path] = (layer.name, [])
    for keras_attribute, prefix, keras_name in (("query_dense", "query", "query"), ("key_dense", "key", "key"),
                                                ("value_dense", "value", "value"),
                                                ("output_dense", "output", "attention_output")):
        variables = [getattr(layer, f"{prefix}_kernel", None)]
        if layer.use_bias:
            variables.append(getattr(layer, f"{prefix}_bias", None))
        groups[f"{path}/{keras_attribute}"] = (keras_name, [v for v in variables if v is not None])


_SPECIAL = {"MultiHeadAttention": _multi_head_attention}


def _walk(layer, path: str, groups: dict, visited: set) -> None:
    """Add ``{h5 path: (layer name, [variables])}`` for ``layer`` and all below it (Keras's walk)."""
    if id(layer) in visited:     # a shared layer is saved once, where the walk first meets it
        return
    visited.add(id(layer))
    special = next((_SPECIAL[k.__name__] for k in type(layer).__mro__ if k.__name__ in _SPECIAL), None)
    if special is not None:
        special(layer, path, groups)
        return
    groups[path] = (layer.name, _own(layer))
    children = [("layers", list(layer.layers))] if _is_model_container(layer) else _sublayer_attributes(layer)
    for attribute, child in children:
        child_path = f"{path}/{attribute}" if path else attribute
        if isinstance(child, list):   # items named by class: dense, dense_1, ...; lstm_cell, ...
            used = {}
            for item in child:
                name = snake_case(type(item).__name__)
                used[name] = used.get(name, -1) + 1
                _walk(item, f"{child_path}/{name}" + (f"_{used[name]}" if used[name] else ""), groups, visited)
        else:
            _walk(child, child_path, groups, visited)


def layout(model) -> dict:
    """``{h5 group path: (name, [variables])}`` of ``model`` in Keras's layout ("" is the model).

    Raises:
        ValueError: if a weight of the model is not reached by the walk (held somewhere
            Keras would not look), so it could not be written or read.
    """
    groups = {}
    _walk(model, "", groups, set())
    placed = {id(v) for _, variables in groups.values() for v in variables}
    missing = [getattr(w, "path", w.name) for w in model.weights if id(w) not in placed]
    if missing:
        raise ValueError(f"model {model.name!r}: weights {missing[:5]} are not reachable the way Keras walks a "
                         "model (through public attributes holding layers); they cannot be written in Keras's layout")
    return groups


def _vars_path(path: str) -> str:
    return f"{path}/vars" if path else "vars"


# --- the optimizer ---------------------------------------------------------------------
def optimizer_arrays(model) -> list | None:
    """Keras's ``optimizer/vars`` for ``model``'s optimizer: iterations, learning_rate, slots.

    None when there is no optimizer or its slots do not map onto Keras's. An optimizer that
    has not taken a step yet is written as a fresh one (iterations 0, initial slots).
    """
    optimizer = getattr(model, "optimizer", None)
    if optimizer is None or not hasattr(optimizer, "slot_names"):
        return None
    names = tuple(optimizer.slot_names())
    if names not in _KERAS_SLOTS.get(type(optimizer).__name__, ()) or optimizer.global_state():
        return None
    trainable = list(model.trainable_weights)
    if optimizer.built:
        if [id(v) for v in optimizer._variables] != [id(w) for w in trainable]:
            return None
        iterations, *slots = optimizer.variables()
    else:
        iterations = 0
        extra = _n_option_arrays(optimizer)      # the EMA's w̄ and the gradient accumulators, before the slots
        slots = [np.zeros_like(np.asarray(w.data)) for _ in range(extra) for w in trainable]
        slots += [slot for w in trainable for slot in optimizer.create_slots(np.asarray(w.data)).values()]
    head = [np.array(iterations, dtype=np.int32)]
    if not _has_schedule(optimizer):   # Keras keeps a constant learning rate as a variable, a schedule not
        head.append(np.array(optimizer.learning_rate, dtype=np.float32))
    return head + [np.asarray(a) for a in slots]


def _n_option_arrays(optimizer) -> int:
    """How many arrays per variable the Keras options keep ahead of the slots (w̄, accumulator)."""
    return bool(getattr(optimizer, "use_ema", False)) + bool(getattr(optimizer, "gradient_accumulation_steps", None))


def _has_schedule(optimizer) -> bool:
    return callable(getattr(optimizer, "_learning_rate", None))


def restore_optimizer(model, arrays: list, filepath: str) -> bool:
    """Load Keras's ``optimizer/vars`` into ``model.optimizer``; False (with a warning) if the layout differs."""
    optimizer = getattr(model, "optimizer", None)
    if optimizer is None:
        return False
    keys = tuple(optimizer.slot_names())
    trainable = list(model.trainable_weights)
    if keys in _KERAS_SLOTS.get(type(optimizer).__name__, ()) and not optimizer.global_state():
        optimizer.build(trainable)
        expected = [()] + [tuple(w.shape) for _ in range(_n_option_arrays(optimizer)) for w in trainable]
        expected += [tuple(w.shape) for w in trainable for _ in keys]
        state = [arrays[0]] + list(arrays[1 if _has_schedule(optimizer) else 2:])
        if [tuple(np.shape(a)) for a in state] == expected:
            optimizer.load_own_variables(state)
            return True
    warnings.warn(f"load_model: {filepath!r}: the saved {type(optimizer).__name__} state does not map onto "
                  "glassnet's optimizer slots; the optimizer starts fresh (the weights are loaded)", stacklevel=4)
    return False


# --- writing ----------------------------------------------------------------------------
def h5_bytes(model, include_optimizer: bool = True) -> bytes:
    """The bytes of a Keras 3 ``model.weights.h5`` for ``model``."""
    import h5py

    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as h5:
        for path, (name, variables) in layout(model).items():
            group = h5.create_group(_vars_path(path))
            group.attrs["name"] = name
            for i, variable in enumerate(variables):
                group.create_dataset(str(i), data=np.asarray(variable.data))
        arrays = optimizer_arrays(model) if include_optimizer else None
        if arrays is not None:
            group = h5.create_group("optimizer/vars")
            group.attrs["name"] = model.optimizer.name
            for i, array in enumerate(arrays):
                group.create_dataset(str(i), data=array)
    return buffer.getvalue()


# --- reading ----------------------------------------------------------------------------
def _datasets(h5, filepath: str, member: str) -> dict:
    """``{path: dataset}`` of every dataset in the file, walking hard links only.

    Raises:
        ValueError: for a soft or external link, more than ``MAX_OBJECTS`` objects, or an
            object h5py cannot open (a corrupt file).
    """
    import h5py

    found, count, stack = {}, 0, [("", h5)]
    while stack:
        prefix, group = stack.pop()
        for name in group:
            path = f"{prefix}/{name}" if prefix else name
            count += 1
            if count > MAX_OBJECTS:
                raise ValueError(f"{filepath!r}: member {member!r} holds more than {MAX_OBJECTS} objects")
            link = group.get(name, getlink=True)
            if not isinstance(link, h5py.HardLink):
                raise ValueError(f"{filepath!r}: member {member!r} has a {type(link).__name__} at {path!r}; "
                                 "a Keras weights file holds only groups and datasets")
            item = group[name]
            if isinstance(item, h5py.Group):
                stack.append((path, item))
            elif isinstance(item, h5py.Dataset):
                found[path] = item
            else:
                raise ValueError(f"{filepath!r}: member {member!r}: {path!r} is neither a group nor a dataset")
    return found


def _open(data: bytes, filepath: str, member: str):
    import h5py

    try:
        return h5py.File(io.BytesIO(data), "r")
    except (OSError, ValueError) as error:
        raise ValueError(f"{filepath!r}: member {member!r} is not a readable HDF5 file ({error}); the file may be "
                         "corrupt or truncated") from None


def weight_elements(data: bytes, filepath: str, member: str) -> int:
    """How many weight elements the file's datasets hold (from their headers; optimizer excluded).

    The model a config describes may be no larger than this (``saving.weight_budget``): a
    ``Dense(10**8)`` in the config of a small file is refused before it is allocated.
    """
    try:
        with _open(data, filepath, member) as h5:
            return sum(int(np.prod(d.shape, dtype=object)) for path, d in _datasets(h5, filepath, member).items()
                       if not path.startswith("optimizer/"))
    except (OSError, KeyError, RuntimeError) as error:
        raise ValueError(f"{filepath!r}: member {member!r} is corrupt ({type(error).__name__}: {error})") from None


def read_h5(data: bytes, model, filepath: str, member: str, optimizer: bool = False):
    """Check ``member``'s datasets against ``model``'s weights, then return the arrays.

    Returns:
        ``(assignments, optimizer_arrays)``: ``[(variable, array)]`` covering every weight
        of ``model``, and the ``optimizer/vars`` arrays in order (None if absent or not asked).

    Raises:
        ValueError: naming the file and the dataset, for a corrupt h5 file, a dataset at
            a path the model has no weight for, a shape or dtype that does not fit, or a
            weight the file lacks.
    """
    expected = {}
    for path, (_, variables) in layout(model).items():
        for i, variable in enumerate(variables):
            expected[f"{_vars_path(path)}/{i}"] = variable
    h5 = _open(data, filepath, member)
    try:
        with h5:
            datasets = _datasets(h5, filepath, member)
            opt = {}
            for path, dataset in datasets.items():
                if path.startswith("optimizer/vars/") and path.rsplit("/", 1)[-1].isdigit():
                    opt[int(path.rsplit("/", 1)[-1])] = dataset
                    continue
                variable = expected.get(path)
                if variable is None:
                    raise ValueError(f"{filepath!r}: member {member!r} holds dataset {path!r}, which is no weight of "
                                     "this model (the file's config and weights disagree, or it is not Keras 3's "
                                     "layout)")
                _check_dataset(dataset, tuple(variable.shape), path, filepath, member)
            missing = [p for p in expected if p not in datasets]
            if missing:
                raise ValueError(f"{filepath!r}: member {member!r} lacks weights {missing[:5]} "
                                 f"({[getattr(expected[p], 'path', '') for p in missing[:5]]})")
            assignments = [(variable, _read(datasets[path], path, filepath, member))
                           for path, variable in expected.items()]
            arrays = None
            if optimizer and opt:
                if sorted(opt) != list(range(len(opt))):
                    raise ValueError(f"{filepath!r}: member {member!r}: optimizer/vars are not numbered 0..n-1")
                arrays = []
                for i in range(len(opt)):
                    _check_dataset(opt[i], None, f"optimizer/vars/{i}", filepath, member)
                    arrays.append(_read(opt[i], f"optimizer/vars/{i}", filepath, member))
            return assignments, arrays
    except (OSError, KeyError, RuntimeError) as error:
        raise ValueError(f"{filepath!r}: member {member!r} is corrupt ({type(error).__name__}: {error})") from None


def _check_dataset(dataset, shape, path: str, filepath: str, member: str) -> None:
    """Raise unless ``dataset`` (its header only) has ``shape`` and a numeric dtype."""
    if dataset.dtype.kind not in "fiub" or dataset.dtype.fields is not None:
        raise ValueError(f"{filepath!r}: member {member!r}: dataset {path!r} has dtype {dataset.dtype}; weights are "
                         "numeric arrays")
    plist = dataset.id.get_create_plist()
    if dataset.is_virtual or plist.get_external_count():
        raise ValueError(f"{filepath!r}: member {member!r}: dataset {path!r} keeps its data in other files "
                         "(virtual or external storage); refusing to read outside the archive")
    filters = [plist.get_filter(i)[0] for i in range(plist.get_nfilters())]
    if any(f not in _BUILTIN_FILTERS for f in filters):
        raise ValueError(f"{filepath!r}: member {member!r}: dataset {path!r} uses HDF5 filters {filters}; only the "
                         "built-in ones (deflate, shuffle, fletcher32, szip, nbit, scaleoffset, lzf) are read, never "
                         "a plugin")
    if "dtype" in dataset.attrs:
        raise ValueError(f"{filepath!r}: member {member!r}: dataset {path!r} is stored as "
                         f"{dataset.attrs['dtype']!r}, which glassnet does not read")
    if shape is not None and tuple(dataset.shape) != shape:
        raise ValueError(f"{filepath!r}: member {member!r}: dataset {path!r} has shape {tuple(dataset.shape)}, but "
                         f"the model's weight there has shape {shape}")


def _read(dataset, path: str, filepath: str, member: str) -> np.ndarray:
    try:
        return np.asarray(dataset[()])
    except (OSError, ValueError, RuntimeError) as error:
        raise ValueError(f"{filepath!r}: member {member!r}: dataset {path!r} cannot be read ({error}); the file is "
                         "corrupt") from None


def assign(assignments: list) -> None:
    """Assign every checked array to its weight (after all were read)."""
    for variable, array in assignments:
        variable.assign(array.astype(variable.dtype, copy=False))
