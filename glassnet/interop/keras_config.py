"""Keras 3's ``config.json`` to glassnet's, and back.

glassnet's configs already follow Keras 3's layout — ``{"class_name", "config"}`` objects,
``inbound_nodes`` of ``__keras_tensor__`` histories, ``build_config`` and
``compile_config`` — so translating is a walk over the JSON tree that changes only what
Keras adds around that layout:

======================================  ===================================================
Keras 3 writes                           glassnet reads
======================================  ===================================================
``"module"``, ``"shared_object_id"``     dropped (never imported, never used)
``"registered_name": "Pkg>Name"``        the name looked up (``"Pkg>Name"``, glassnet's
                                         ``register_serializable`` names), else class_name
``{"class_name": "DTypePolicy",          ``"float32"`` (a mixed policy such as
"config": {"name": "float32"}}``         "mixed_float16" is refused)
``InputLayer`` ``batch_shape``           ``shape`` + ``batch_size``
any other Keras op node (``x + y``)      an ``OpLayer`` calling the glassnet.ops function of
                                         that name (``ValueError`` if glassnet.ops lacks it)
an option glassnet lacks, at the value   dropped (``quantization_config: None``,
that leaves it off                       ``use_ema: False``, ``input_axes: None``, ...)
an option glassnet lacks, set otherwise  ``ValueError`` naming the class, option and file
the mask op nodes of an ``Embedding``    dropped with the ``mask=`` arguments that read them:
(mask_zero) or a ``Masking`` layer       glassnet carries masks on the tensors themselves
======================================  ===================================================

Every ``class_name`` met is resolved against glassnet alone — its layer and model classes,
``register_serializable``'s registry, ``custom_objects``, and the name tables of
initializers, regularizers, constraints, optimizers, losses and metrics. A name found in
none of them (``"os.system"``, a Keras op, a class the user did not register) stops the load
with a ``ValueError`` naming it and the file; nothing a file names is imported or run.

Writing (``to_keras``) is the reverse walk: every object gets Keras's ``"module"`` and
``"registered_name"``, ``shape`` becomes ``batch_shape``, dtypes stay plain strings (which
Keras 3 accepts as policies).
"""
from __future__ import annotations

import inspect

from ..layers import registry as layer_registry
from ..layers.base import Layer
from ..saving import serialization

_TENSOR = "__keras_tensor__"
_POLICIES = ("DTypePolicy", "FloatDTypePolicy")
_DTYPES = ("float16", "float32", "float64", "bfloat16", "int8", "int16", "int32", "int64", "uint8", "bool",
           "string")

# Keras-only options and the value at which they change nothing: dropped on reading when the
# glassnet class has no such argument. Any other value is refused (the model would differ).
NEUTRAL = {
    "quantization_config": None, "sparse": False, "ragged": False, "optional": False, "input_axes": None,
    "output_axes": None, "use_gate": False, "sliding_window": None, "lora_rank": None, "lora_alpha": None,
    "synchronized": False, "rms_scaling": False, "flash_attention": None, "activity_regularizer": None,
    "use_ema": False, "ema_momentum": 0.99, "ema_overwrite_frequency": None, "loss_scale_factor": None,
    "gradient_accumulation_steps": None, "ignore_class": None, "use_cudnn": "auto", "groups": 1,
    "data_format": "channels_last", "lora_enabled": False, "seed": None, "autocast": True,
    "reduction": "sum_over_batch_size", "run_eagerly": False, "steps_per_execution": 1, "jit_compile": False,
    "auto_scale_loss": True, "keepdims": False, "renorm": False, "renorm_clipping": None, "renorm_momentum": 0.99,
}
# Where a key holds a non-layer object, the name table (module) that resolves its class.
_NAMESPACES = (("_initializer", "initializers"), ("_regularizer", "regularizers"),
               ("_constraint", "constraints"), ("optimizer", "optimizers"), ("learning_rate", "schedules"),
               ("loss", "losses"), ("metrics", "metrics"), ("weighted_metrics", "metrics"))
# Layers whose Keras ``build`` takes several shapes (``shapes_dict``): written without a
# build_config, so Keras builds them when the functional graph calls them.
_BUILT_ON_CALL = ("MultiHeadAttention", "Attention", "AdditiveAttention")
_KERAS_MODULES = {"layers": "keras.layers", "initializers": "keras.initializers",
                  "regularizers": "keras.regularizers", "constraints": "keras.constraints",
                  "optimizers": "keras.optimizers", "schedules": "keras.optimizers.schedules",
                  "losses": "keras.losses", "metrics": "keras.metrics"}


def _namespace_of(key) -> str:
    """The name table for the objects held under ``key`` ("layers" if none matches)."""
    for suffix, namespace in _NAMESPACES:
        if isinstance(key, str) and (key == suffix or key.endswith(suffix)):
            return namespace
    return "layers"


def _table(namespace: str):
    """The ``Registry`` of a glassnet namespace (its ``_REGISTRY``)."""
    import importlib

    module = importlib.import_module(f"glassnet.{namespace}" if namespace != "schedules"
                                     else "glassnet.optimizers.schedules")
    return module._REGISTRY


def resolve_class(name, namespace: str, custom_objects, filepath: str):
    """The glassnet class or function ``name`` stands for in ``namespace``.

    Raises:
        ValueError: naming the class and the file, if glassnet has no such name.
    """
    if namespace == "layers":
        return serialization.lookup_class(name, custom_objects, filepath)
    found = layer_registry.get_registered_object(name, custom_objects) if isinstance(name, str) else None
    if found is not None:
        return found
    table = _table(namespace)
    try:
        return table.lookup(name, custom_objects)
    except (ValueError, KeyError, TypeError):
        raise ValueError(f"{filepath!r}: unknown {table.kind} class {name!r}: glassnet has no such class and "
                         "none was registered (loading never imports what a file names)") from None


def _arguments(cls) -> set | None:
    """The keyword arguments ``cls(...)`` takes, following ``**kwargs`` up the MRO (None: unknown)."""
    names = set()
    for klass in getattr(cls, "__mro__", (cls,)):
        init = klass.__dict__.get("__init__") if inspect.isclass(klass) else None
        if init is None:
            continue
        try:
            parameters = inspect.signature(init).parameters.values()
        except (TypeError, ValueError):
            return None
        names.update(p.name for p in parameters if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
                     and p.name != "self")
        if not any(p.kind == p.VAR_KEYWORD for p in parameters):
            return names
    return names or None


def _drop_neutral(class_name: str, cls, config: dict, filepath: str) -> dict:
    """``config`` without the Keras-only options ``cls`` lacks, if they are at their neutral value.

    Raises:
        ValueError: for a Keras-only option set to anything else.
    """
    accepted = _arguments(cls)
    if accepted is None or not inspect.isclass(cls):
        return config
    # a layer with its own from_config may read keys its constructor does not take
    # (TextVectorization's vocabulary_size): those are left to it
    own_reader = issubclass(cls, Layer) and cls.from_config.__func__ is not Layer.from_config.__func__
    out = {}
    for key, value in config.items():
        if key in accepted:
            out[key] = value
        elif key in NEUTRAL and value == NEUTRAL[key]:
            continue
        elif own_reader:
            out[key] = value
        else:
            raise ValueError(f"{filepath!r}: {class_name} option {key}={value!r} is not supported by glassnet's "
                             f"{cls.__name__} (it takes {sorted(accepted)})")
    return out


def _policy_name(value, filepath: str) -> str:
    name = value.get("config", {}).get("name") if isinstance(value.get("config"), dict) else None
    if name not in _DTYPES:
        raise ValueError(f"{filepath!r}: dtype policy {name!r} is not supported (glassnet computes in one dtype: "
                         f"one of {', '.join(_DTYPES)}; mixed precision policies are Keras's)")
    return name


# --- Keras -> glassnet ---------------------------------------------------------------------
def from_keras(value, filepath: str, custom_objects=None, key=None):
    """A copy of Keras's config tree, in glassnet's terms (see the module docstring).

    Args:
        value: a parsed ``config.json`` (or any part of one).
        filepath: the file, for error messages.
        custom_objects: ``{name: class}`` the user passed to ``load_model``.
        key: the key ``value`` was found under (selects the name table for its classes).

    Raises:
        ValueError: for an unknown class, an unsupported dtype policy, or a Keras option
            glassnet cannot honour.
    """
    if isinstance(value, list):
        return [from_keras(v, filepath, custom_objects, key) for v in value]
    if not isinstance(value, dict):
        return value
    class_name = value.get("class_name")
    if class_name == _TENSOR:
        return value
    if class_name is None or "config" not in value:
        return {k: from_keras(v, filepath, custom_objects, k) for k, v in value.items()
                if k not in ("module", "registered_name", "shared_object_id")}
    if class_name in _POLICIES or key == "dtype":
        return _policy_name(value, filepath)
    registered = value.get("registered_name")
    if isinstance(registered, str) and ">" in registered and not (custom_objects and class_name in custom_objects):
        class_name = registered   # Keras's "Package>Name" of a registered class (unless custom_objects has Name)
    module = value.get("module")
    if isinstance(module, str) and module.startswith(("keras.src.ops.", "keras.ops")):
        return _keras_op(value, class_name, module, filepath)
    if class_name == "function":   # Keras's layout for a plain function (an activation, a loss)
        return {"class_name": "function", "config": value["config"]}
    namespace = _namespace_of(key)
    cls = resolve_class(class_name, namespace, custom_objects, filepath)
    config = value["config"]
    if isinstance(config, dict):
        if class_name == "Functional":
            config = _drop_mask_nodes(config, filepath)
        config = {k: from_keras(v, filepath, custom_objects, k) for k, v in config.items()}
        if class_name == "InputLayer" and "batch_shape" in config:
            batch_shape = config.pop("batch_shape")
            if not isinstance(batch_shape, list) or not batch_shape:
                raise ValueError(f"{filepath!r}: InputLayer batch_shape must be a non-empty list, got {batch_shape!r}")
            config["shape"], config["batch_size"] = batch_shape[1:], batch_shape[0]
        if class_name not in ("Sequential", "Functional"):
            config = _drop_neutral(class_name, cls, config, filepath)
    out = {"class_name": class_name, "config": config}
    for extra in ("name", "build_config", "compile_config", "inbound_nodes"):
        if extra in value:
            out[extra] = from_keras(value[extra], filepath, custom_objects, extra)
    return out


def _keras_op(value: dict, class_name: str, module: str, filepath: str) -> dict:
    """A Keras op node of a functional graph (``x + y`` is ``keras.src.ops.numpy.Add``,
    ``x[:, 1:]`` a ``GetItem``) as glassnet's ``OpLayer`` calling the glassnet.ops function of the
    same name, with the op's config (its axis, keepdims, ...) and the node's constants as arguments."""
    from .. import ops
    from ..layers.base import snake_case
    function = {"GetItem": "getitem"}.get(class_name, snake_case(class_name))
    target = getattr(ops, function, None) if function in ops.__all__ else None
    nodes = value.get("inbound_nodes")
    if target is None or isinstance(target, type) or not callable(target):
        raise ValueError(f"{filepath!r}: the model's graph calls the Keras operation {class_name!r} ({module}), "
                         f"which glassnet.ops does not have")
    if not isinstance(nodes, list) or len(nodes) != 1 or not isinstance(_field(nodes[0], "args"), list):
        raise ValueError(f"{filepath!r}: the Keras operation {class_name!r} must be called once, with arguments")
    tensors = []

    def template(v):
        kind = _field(v, "class_name")
        if kind == _TENSOR:
            tensors.append(v)
            return {"__tensor__": len(tensors) - 1}
        if kind == "__slice__":
            return {"__slice__": [_field(v["config"], k) for k in ("start", "stop", "step")]}
        if kind == "__ellipsis__":
            return {"__ellipsis__": True}
        if isinstance(v, list):
            return [template(x) for x in v]
        if isinstance(v, dict):
            return {"__dict__": {k: template(x) for k, x in v.items()}}
        return v

    args = [template(a) for a in nodes[0]["args"]]
    if function == "getitem" and len(args) == 2 and isinstance(args[1], list):
        args[1] = {"__tuple__": args[1]}                # Keras writes the index tuple as a JSON list
    config = {k: v for k, v in (value.get("config") or {}).items() if k != "name"}
    kwargs = {k: template(v) for k, v in {**config, **(_field(nodes[0], "kwargs") or {})}.items()}
    name = _field(value.get("config"), "name") or value.get("name")
    return {"class_name": "OpLayer", "name": name,
            "config": {"name": name, "function": function, "arguments": {"args": args, "kwargs": kwargs}},
            "inbound_nodes": [{"args": [tensors], "kwargs": {}}]}


def _drop_mask_nodes(config: dict, filepath: str) -> dict:
    """Remove the padding-mask computations Keras 3 records in a functional graph.

    Keras records the mask a masking layer makes as op nodes on that layer's input, passed
    as ``mask=`` to the layers after it:

    * ``Embedding(mask_zero=True)`` on x:  ``not_equal(x, 0)``;
    * ``Masking(mask_value=v)`` on x:       ``any(not_equal(x, v), axis=-1)``.

    glassnet carries masks on its tensors (``compute_mask``), so exactly these nodes, and
    the ``mask=`` arguments that read them, are dropped. Any other op node (another
    ``NotEqual``, an ``Any`` of something else) stays, and is refused as an unknown class.
    """
    layers = config.get("layers")
    if not isinstance(layers, list):
        return config
    producers = {}   # (history of a masking layer's input, the value it masks) -> "Embedding" / "Masking"
    for layer in layers:
        name, layer_config = _field(layer, "class_name"), _field(layer, "config")
        if name == "Embedding" and _field(layer_config, "mask_zero"):
            value = 0
        elif name == "Masking":
            value = _field(layer_config, "mask_value")
        else:
            continue
        for node in _field(layer, "inbound_nodes") or []:
            args = _field(node, "args") or [None]
            producers[(_history(args[0]), value)] = name
    dropped = {}     # op node name -> the layer whose mask it computes
    kept = []
    for layer in layers:
        nodes = _field(layer, "inbound_nodes") or []
        args = _field(nodes[0], "args") if len(nodes) == 1 else None
        args = args if isinstance(args, list) else []
        kind = None
        if _field(layer, "class_name") == "NotEqual" and len(args) == 2 and _history(args[0]) is not None:
            kind = producers.get((_history(args[0]), args[1]))
        elif _field(layer, "class_name") == "Any" and len(args) == 1 and \
                _field(_field(layer, "config"), "axis") == -1 and not _field(_field(layer, "config"), "keepdims"):
            source = (_history(args[0]) or (None,))[0]
            kind = "Masked" if dropped.get(source) == "Masking" else None
        if kind is None:
            kept.append(layer)
        else:
            dropped[layer.get("name")] = kind
    if not dropped:
        return config
    for layer in kept:
        nodes = _field(layer, "inbound_nodes")
        for i, node in enumerate(nodes if isinstance(nodes, list) else []):
            kwargs = _field(node, "kwargs")
            if isinstance(kwargs, dict) and (_history(kwargs.get("mask")) or (None,))[0] in dropped:
                nodes[i] = {**node, "kwargs": {k: v for k, v in kwargs.items() if k != "mask"}}
    return {**config, "layers": kept}


def _field(value, key):
    """``value[key]`` if ``value`` is a dict, else None (for walking JSON of unknown shape)."""
    return value.get(key) if isinstance(value, dict) else None


def _history(tensor):
    """The ``(layer, node, index)`` a ``__keras_tensor__`` comes from, as a tuple; None if not one."""
    history = _field(_field(tensor, "config"), "keras_history")
    if _field(tensor, "class_name") != _TENSOR or not isinstance(history, list):
        return None
    return tuple(v if isinstance(v, (str, int)) else repr(v) for v in history)


# --- glassnet -> Keras ---------------------------------------------------------------------
def to_keras(value, key=None, keras_layers=None):
    """A copy of glassnet's config tree in Keras 3's layout (``module``, ``registered_name``,
    ``batch_shape``), for a ``.keras`` file Keras can load.

    Args:
        value: ``serialize_model``'s dict (or any part of it).
        key: the key ``value`` was found under.
        keras_layers: set to collect the names of layer classes written (the caller warns
            about those Keras does not have).
    """
    if isinstance(value, list):
        return [to_keras(v, key, keras_layers) for v in value]
    if not isinstance(value, dict):
        return value
    class_name = value.get("class_name")
    if class_name == _TENSOR or class_name is None or "config" not in value:
        return {k: to_keras(v, k, keras_layers) for k, v in value.items()}
    if class_name == "function":
        return {"module": "builtins", "class_name": "function", "config": value["config"],
                "registered_name": "function"}
    namespace = _namespace_of(key)
    config = value["config"]
    if isinstance(config, dict):
        config = {k: to_keras(v, k, keras_layers) for k, v in config.items()}
        if class_name == "InputLayer" and "shape" in config:
            shape = config.pop("shape")
            batch_size = config.pop("batch_size", None)
            config["batch_shape"] = None if shape is None else [batch_size, *shape]
    custom = ">" in class_name
    if namespace == "layers" and keras_layers is not None and not custom:
        keras_layers.add(class_name)
    module = {"Sequential": "keras", "Functional": "keras.src.models.functional"}.get(
        class_name, _KERAS_MODULES[namespace])
    out = {"module": None if custom else module, "class_name": class_name.split(">")[-1] if custom else class_name,
           "config": config, "registered_name": class_name if custom else None}
    if class_name == "Functional":
        out["registered_name"] = "Functional"
    for extra in ("name", "build_config", "compile_config", "inbound_nodes"):
        if extra in value and not (extra == "build_config" and class_name in _BUILT_ON_CALL):
            out[extra] = to_keras(value[extra], extra, keras_layers)
    return out
