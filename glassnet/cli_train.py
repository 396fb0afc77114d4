"""``glassnet train CONFIG.toml``: a model, its data and its training described in one file.

The file is TOML. Every table and key is optional except a model (``[model]`` with
``layers`` or ``model_file``) and a data set (``[data]``). An unknown table or key is an
error naming it (a typo never silently falls back to a default)::

    name = "digits-mlp"                 # the run's name in the monitor (default: the file's name)
    seed = 0                            # glassnet.utils.set_random_seed

    [data]
    dataset = "digits"                  # "digits" (scikit-learn's, offline), "mnist", "fashion_mnist"
    # path = "data/mnist"               #   folder of the IDX files for mnist / fashion_mnist
    # x = "x_train.npy"                 # or your own arrays: .npy or .csv (numbers; a header row is skipped)
    # y = "y_train.npy"
    # x_test = "x_test.npy"             # optional test set, evaluated after training
    # y_test = "y_test.npy"
    # scale = 255.0                     # x is divided by it (default: 16 for digits, 255 for the
                                        #   image sets, 1 for files)
    # reshape = [28, 28, 1]             # each sample's shape, e.g. [784] to flatten MNIST
    validation_split = 0.2              # passed to fit (or validation_x / validation_y files)
    test_fraction = 0.2                 # digits only: the part held out as the test set

    [model]
    layers = [                          # Keras class names and their arguments, in order
      { class = "Input", shape = [64] },          # optional: inferred from the data
      { class = "Dense", units = 64, activation = "relu" },
      { class = "Dropout", rate = 0.2 },
      { class = "Dense", units = 10, activation = "softmax" },
    ]
    # model_file = "model.glassnet"     # or start from a saved model (then no `layers`)

    [compile]
    optimizer = "adam"                  # a name, or a table: { class = "Adam", learning_rate = 1e-3 }
    loss = "sparse_categorical_crossentropy"
    metrics = ["accuracy"]

    [fit]
    epochs = 20
    batch_size = 32
    shuffle = true
    verbose = "auto"                    # 0, 1, 2 or "auto" (one line per epoch when not a terminal)

    [[callbacks]]                       # any glassnet.callbacks class, with its arguments
    class = "EarlyStopping"
    monitor = "val_loss"
    patience = 3
    restore_best_weights = true

    [output]
    model = "digits_mlp.glassnet"       # where to save the trained model (optional)

    [monitor]
    enabled = true                      # record the run (glassnet.monitor); --no-monitor turns it off
    # db = "runs.db"                    # default $GLASSNET_MONITOR_DB or ~/.glassnet/runs.db (--db wins)
    # notify = false                    # false, a webhook URL, or a [notify] table (see glassnet.monitor)
    # hyperparameters = { note = "baseline" }    # extra entries for the dashboard's table

Relative paths (data files, ``model_file``, ``output.model``, a callback's ``filepath``) are
relative to the current directory, as for any command. The run's hyperparameters in
the monitor are the optimizer, its learning rate, loss, batch size, epochs, the layer list
and the ``[monitor] hyperparameters`` table.
"""
from __future__ import annotations

import os
import tomllib
from pathlib import Path

import numpy as np

SCHEMA = {
    "": {"name", "seed", "data", "model", "compile", "fit", "callbacks", "output", "monitor"},
    "data": {"dataset", "path", "x", "y", "x_test", "y_test", "validation_x", "validation_y", "scale", "reshape",
             "validation_split", "test_fraction"},
    "model": {"layers", "model_file"},
    "compile": {"optimizer", "loss", "metrics"},
    "fit": {"epochs", "batch_size", "shuffle", "verbose"},
    "output": {"model"},
    "monitor": {"enabled", "db", "notify", "hyperparameters"},
}
DATASETS = ("digits", "mnist", "fashion_mnist")


class ConfigError(ValueError):
    """A mistake in the user's config or command line: reported as one line, exit status 2."""


# --- reading and checking the file -------------------------------------------------------------
def read_config(path) -> dict:
    """The parsed and checked TOML file (raises ConfigError naming the problem)."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"no such config file: {str(path)!r}")
    try:
        config = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not a text file") from None
    check_config(config, str(path))
    return config


def check_config(config: dict, where: str = "config") -> None:
    """Unknown tables and keys, wrong types and missing sections, each as a ConfigError."""
    for key in config:
        if key not in SCHEMA[""]:
            raise ConfigError(f"{where}: unknown key {key!r}; known: {', '.join(sorted(SCHEMA['']))}")
    for table, known in SCHEMA.items():
        if not table or table not in config:
            continue
        if not isinstance(config[table], dict):
            raise ConfigError(f"{where}: [{table}] must be a table, got {type(config[table]).__name__}")
        for key in config[table]:
            if key not in known:
                raise ConfigError(f"{where}: unknown key {table}.{key!r}; known: {', '.join(sorted(known))}")
    if "model" not in config or not ({"layers", "model_file"} & set(config["model"])):
        raise ConfigError(f"{where}: missing [model] with `layers` (a list of layer tables) or `model_file`")
    if {"layers", "model_file"} <= set(config["model"]):
        raise ConfigError(f"{where}: [model] takes `layers` or `model_file`, not both")
    if "data" not in config:
        raise ConfigError(f"{where}: missing [data] (a `dataset` name or `x`/`y` files)")
    data = config["data"]
    if ("dataset" in data) == ("x" in data):
        raise ConfigError(f"{where}: [data] needs either `dataset` ({', '.join(DATASETS)}) or `x` and `y` files")
    for x_key, y_key in (("x", "y"), ("x_test", "y_test"), ("validation_x", "validation_y")):
        if (x_key in data) != (y_key in data):
            raise ConfigError(f"{where}: [data] needs `{x_key}` and `{y_key}` together")
    if "dataset" in data and data["dataset"] not in DATASETS:
        raise ConfigError(f"{where}: unknown data.dataset {data['dataset']!r}; use one of {', '.join(DATASETS)} "
                          "or give x/y files")
    callbacks = config.get("callbacks", [])
    if not isinstance(callbacks, list) or not all(isinstance(c, dict) and "class" in c for c in callbacks):
        raise ConfigError(f"{where}: callbacks must be [[callbacks]] tables, each with a `class`")


def check_fit(fit: dict, validation_split) -> None:
    """fit's settings, checked before any work is done."""
    for key in ("epochs", "batch_size"):
        value = fit[key]
        if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
            raise ConfigError(f"fit.{key} must be a positive integer, got {value!r}")
    if fit["verbose"] not in (0, 1, 2, "auto") or isinstance(fit["verbose"], bool):
        raise ConfigError(f"fit.verbose must be 0, 1, 2 or \"auto\", got {fit['verbose']!r}")
    if not isinstance(fit["shuffle"], bool):
        raise ConfigError(f"fit.shuffle must be true or false, got {fit['shuffle']!r}")
    if isinstance(validation_split, bool) or not isinstance(validation_split, (int, float)) \
            or not 0 <= validation_split < 1:
        raise ConfigError(f"data.validation_split must be a number in [0, 1), got {validation_split!r}")


# --- data ------------------------------------------------------------------------------------
def load_array(path) -> np.ndarray:
    """A .npy file, or a .csv of numbers (comma-separated; a non-numeric first row is a header)."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"no such file: {str(path)!r}")
    suffix = path.suffix.lower()
    try:
        if suffix == ".npy":
            return np.load(path, allow_pickle=False)
        if suffix == ".csv":
            with open(path, encoding="utf-8") as file:
                first = file.readline()
            try:
                [float(v) for v in first.strip().split(",") if v.strip()]
                header = 0
            except ValueError:
                header = 1
            return np.loadtxt(path, delimiter=",", skiprows=header, ndmin=2 if "," in first else 1)
    except (ValueError, OSError) as error:
        raise ConfigError(f"{path}: cannot read it as {suffix[1:]}: {error}") from None
    raise ConfigError(f"{path}: expected a .npy or .csv file")


def load_data(data: dict, seed: int) -> dict:
    """``{"x", "y", "x_test", "y_test", "validation"}`` as float32 features and labels."""
    name = data.get("dataset")
    x_test = y_test = None
    if name == "digits":
        from sklearn.datasets import load_digits
        from sklearn.model_selection import train_test_split

        digits = load_digits()
        x, x_test, y, y_test = train_test_split(digits.data, digits.target, test_size=data.get("test_fraction", 0.2),
                                                random_state=seed, stratify=digits.target)
        scale = 16.0
    elif name in ("mnist", "fashion_mnist"):
        import importlib

        loader = importlib.import_module(f"glassnet.datasets.{name}")
        path = data.get("path")
        try:
            (x, y), (x_test, y_test) = loader.load_data(path=path)
        except FileNotFoundError as error:
            raise ConfigError(" ".join(line.strip() for line in str(error).splitlines())) from None
        scale = 255.0
    else:
        x, y = load_array(data["x"]), load_array(data["y"])
        if "x_test" in data:
            x_test, y_test = load_array(data["x_test"]), load_array(data["y_test"])
        scale = 1.0
    scale = float(data.get("scale", scale))
    shape = data.get("reshape")

    def features(array):
        array = np.asarray(array, dtype=np.float32) / scale
        if shape is not None:
            try:
                array = array.reshape((len(array), *shape))
            except ValueError:
                raise ConfigError(f"data.reshape: cannot reshape samples of shape {array.shape[1:]} to "
                                  f"{shape}") from None
        return array

    def labels(array):
        array = np.asarray(array)
        return array.reshape(-1) if array.ndim == 2 and array.shape[1] == 1 else array

    if len(x) != len(y):
        raise ConfigError(f"data: x has {len(x)} samples but y has {len(y)}")
    validation = None
    if "validation_x" in data:
        validation = (features(load_array(data["validation_x"])),
                      labels(load_array(data["validation_y"])))
    return {"x": features(x), "y": labels(y), "validation": validation,
            "x_test": None if x_test is None else features(x_test),
            "y_test": None if y_test is None else labels(y_test)}


# --- model, optimizer, callbacks ------------------------------------------------------------------
def _instantiate(module, spec: dict, where: str, base):
    """``module.<class>(**arguments)`` for a ``{class = ..., ...}`` table, with a clear error."""
    arguments = dict(spec)
    name = arguments.pop("class", None)
    if not isinstance(name, str):
        raise ConfigError(f"{where}: needs `class` (a {base.__name__} class name), got {spec!r}")
    cls = getattr(module, name, None)
    if not (isinstance(cls, type) and issubclass(cls, base)):
        raise ConfigError(f"{where}: unknown class {name!r} (not a glassnet {base.__name__})")
    try:
        return cls(**arguments)
    except (TypeError, ValueError) as error:
        raise ConfigError(f"{where}: {name}: {error}") from None


def build_model(model_config: dict, input_shape: tuple):
    from . import layers as layer_module
    from .layers.base import Layer
    from .models import Sequential, load_model

    if "model_file" in model_config:
        path = Path(model_config["model_file"])
        if not path.is_file():
            raise ConfigError(f"model.model_file: no such file: {str(path)!r}")
        try:
            return load_model(str(path), compile=False)
        except (ValueError, OSError) as error:
            raise ConfigError(f"model.model_file: {error}") from None
    specs = model_config["layers"]
    if not isinstance(specs, list) or not specs:
        raise ConfigError("model.layers must be a non-empty list of layer tables")
    stack = []
    for i, spec in enumerate(specs):
        if not isinstance(spec, dict):
            raise ConfigError(f"model.layers[{i}] must be a table like {{ class = \"Dense\", units = 10 }}")
        if spec.get("class") == "Input":
            arguments = {k: v for k, v in spec.items() if k != "class"}
            try:
                stack.append(layer_module.Input(**{**arguments, "shape": tuple(arguments.get("shape", ()))}))
            except (TypeError, ValueError) as error:
                raise ConfigError(f"model.layers[{i}]: Input: {error}") from None
            continue
        stack.append(_instantiate(layer_module, spec, f"model.layers[{i}]", Layer))
    if not (specs[0].get("class") == "Input"):
        stack.insert(0, layer_module.Input(input_shape))
    try:
        return Sequential(stack)
    except (TypeError, ValueError) as error:
        raise ConfigError(f"model.layers: {error}") from None


def build_optimizer(spec):
    from . import optimizers

    if isinstance(spec, dict):
        return _instantiate(optimizers, spec, "compile.optimizer", optimizers.Optimizer)
    try:
        return optimizers.get(spec)
    except ValueError as error:
        raise ConfigError(f"compile.optimizer: {error}") from None


def build_callbacks(specs: list) -> list:
    from . import callbacks

    built = []
    for i, spec in enumerate(specs):
        built.append(_instantiate(callbacks, spec, f"callbacks[{i}]", callbacks.Callback))
    return built


def make_monitor(config: dict, name: str, db, hyperparameters: dict):
    """The ``glassnet.monitor.Monitor`` callback, or a ConfigError if the monitor is missing."""
    try:
        from .monitor import Monitor
    except ImportError as error:
        raise ConfigError(f"the monitor is not available ({error}); run with --no-monitor") from None
    settings = config.get("monitor", {})
    extra = settings.get("hyperparameters", {})
    if not isinstance(extra, dict):
        raise ConfigError("monitor.hyperparameters must be a table")
    return Monitor(name=name, db=db or settings.get("db"), hyperparameters={**hyperparameters, **extra},
                   notify=settings.get("notify"))


# --- the whole command ------------------------------------------------------------------------
def run(config_path, use_monitor: bool = True, db=None, epochs=None, verbose=None, out=print) -> dict:
    """Read the config, build, train, evaluate, save. Returns ``{"model", "history", "test", "run_id"}``.

    Raises:
        ConfigError: anything wrong in the file or the data it names (one line).
    """
    from . import utils

    config_path = Path(config_path)
    config = read_config(config_path)
    seed = config.get("seed", 0)
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        raise ConfigError(f"seed must be a non-negative integer, got {seed!r}")
    fit = {"epochs": 10, "batch_size": 32, "shuffle": True, "verbose": "auto", **config.get("fit", {})}
    if epochs is not None:
        fit["epochs"] = epochs
    if verbose is not None:
        fit["verbose"] = verbose
    check_fit(fit, config["data"].get("validation_split", 0.0))
    saved = config.get("output", {}).get("model")
    if saved is not None and (not isinstance(saved, str) or not saved.endswith(".glassnet")):
        raise ConfigError(f"output.model must be a path ending in .glassnet, got {saved!r}")

    utils.set_random_seed(seed)
    data = load_data(config["data"], seed)
    model = build_model(config["model"], data["x"].shape[1:])
    compile_config = config.get("compile", {})
    optimizer = build_optimizer(compile_config.get("optimizer", "adam"))
    loss = compile_config.get("loss", "sparse_categorical_crossentropy")
    try:
        model.compile(optimizer=optimizer, loss=loss, metrics=compile_config.get("metrics", ["accuracy"]))
    except (TypeError, ValueError) as error:
        raise ConfigError(f"compile: {error}") from None
    callbacks = build_callbacks(config.get("callbacks", []))
    monitor = None
    if use_monitor and config.get("monitor", {}).get("enabled", True):
        hyperparameters = {"optimizer": type(optimizer).__name__, "learning_rate": optimizer.learning_rate,
                           "loss": str(loss), "batch_size": fit["batch_size"], "epochs": fit["epochs"], "seed": seed,
                           "config": str(config_path),
                           "layers": ", ".join(type(layer).__name__ for layer in model.layers)}
        monitor = make_monitor(config, config.get("name") or config_path.stem, db, hyperparameters)
        callbacks.append(monitor)
    model.summary(print_fn=out)
    validation = {"validation_data": data["validation"]} if data["validation"] is not None else {
        "validation_split": float(config["data"].get("validation_split", 0.0))}
    history = model.fit(data["x"], data["y"], callbacks=callbacks, **fit, **validation)
    test = None
    if data["x_test"] is not None:
        test = model.evaluate(data["x_test"], data["y_test"], verbose=0, return_dict=True)
        out("Test: " + ", ".join(f"{k}: {v:.4f}" for k, v in test.items()))
    if saved:
        path = Path(saved)
        os.makedirs(path.parent, exist_ok=True)
        model.save(str(path))
        out(f"Saved the model to {path}")
    run_id = getattr(monitor, "run_id", None)
    if run_id:
        out(f"Run {run_id} recorded in {monitor.store.path} (see it with: glassnet monitor, or glassnet runs show "
            f"{run_id})")
    return {"model": model, "history": history, "test": test, "run_id": run_id}
