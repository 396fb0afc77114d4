"""The ``glassnet`` command line (also ``python -m glassnet``).

    glassnet demo                       train an MLP on the bundled digits; plot the curves
    glassnet demo --low-level           the same data with the raw Tensor API and a hand-written loop
    glassnet train CONFIG.toml          train what a config file describes (schema: ``glassnet.cli_train``),
                                        recorded by the monitor unless --no-monitor
    glassnet monitor                    the dashboard of recorded runs, on http://127.0.0.1:8765
    glassnet runs list                  recorded runs, newest first
    glassnet runs show ID               one run: settings, hyperparameters, metrics per epoch, traceback
    glassnet runs delete ID             forget a run
    glassnet summary MODEL_FILE         a saved model's layers, shapes and parameter counts
    glassnet predict MODEL_FILE INPUT   predictions for a .npy or .csv input, to a file or stdout
    glassnet --version

Every subcommand has ``--help``. A mistake of the user's — a missing file, a typo in a
config key, an unknown run id — is reported as one line on standard error, ``glassnet
<command>: error: ...``, with exit status 2 (argparse's own usage errors exit with 2 as
well); there is no traceback for those. Ctrl-C exits with 130.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path


class UsageError(Exception):
    """A user error: printed as one line, exit status 2."""


def _verbose(value: str):
    if value == "auto":
        return value
    if value in ("0", "1", "2"):
        return int(value)
    raise argparse.ArgumentTypeError(f"verbose must be 0, 1, 2 or auto, got {value!r}")


def _positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive int, got {value!r}")
    return number


# --- demo ------------------------------------------------------------------------------------
def _demo(args) -> int:
    from . import demo

    if args.low_level:
        demo.run_low_level(epochs=args.epochs or 30, seed=args.seed)
    else:
        demo.run_keras_style(output_dir=args.output_dir, epochs=args.epochs or 100, seed=args.seed,
                             verbose=args.verbose)
    return 0


# --- train -------------------------------------------------------------------------------------
def _train(args) -> int:
    from .cli_train import ConfigError, run

    try:
        run(args.config, use_monitor=not args.no_monitor, db=args.db, epochs=args.epochs, verbose=args.verbose)
    except ConfigError as error:
        raise UsageError(str(error)) from None
    return 0


# --- monitor and runs ----------------------------------------------------------------------------
def _monitor(args) -> int:
    from .monitor import serve

    try:
        serve(host=args.host, port=args.port, db=args.db, token=args.token, open_browser=args.open)
    except ValueError as error:
        raise UsageError(str(error)) from None
    except OSError as error:
        raise UsageError(f"cannot serve on {args.host}:{args.port}: {error.strerror or error}") from None
    return 0


def _store(args):
    from .monitor import RunStore

    if args.db is not None and Path(args.db).is_dir():
        raise UsageError(f"--db must be a database file, got the folder {args.db!r}")
    if args.db is not None and not Path(args.db).exists():
        raise UsageError(f"no run database at {args.db!r}")
    return RunStore(args.db)


def _when(seconds) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(seconds)) if seconds else "-"


def _metrics_text(metrics) -> str:
    from .callbacks.progbar import format_value

    return " ".join(f"{k}={format_value(v)}" for k, v in (metrics or {}).items()) or "-"


def _runs_list(args) -> int:
    runs = _store(args).list_runs()
    if not runs:
        print("no runs recorded yet (train with the Monitor callback, or glassnet train CONFIG.toml)")
        return 0
    rows = [(run["id"], run["name"], run["status"], _when(run["started"]), _metrics_text(run.get("final_metrics")))
            for run in runs]
    headers = ("ID", "NAME", "STATUS", "STARTED", "FINAL METRICS")
    widths = [max(len(str(row[i])) for row in rows + [headers]) for i in range(4)]
    for row in [headers] + rows:
        print("  ".join(str(cell).ljust(width) for cell, width in zip(row[:4], widths)) + "  " + str(row[4]))
    return 0


def _run_or_error(store, run_id):
    try:
        return store.get_run(run_id)
    except KeyError:
        raise UsageError(f"no run with id {run_id!r} in {store.path}") from None


def _runs_show(args) -> int:
    store = _store(args)
    run = _run_or_error(store, args.run_id)
    print(f"Run {run['id']}: {run['name']}")
    print(f"  status:   {run['status']}")
    print(f"  started:  {_when(run['started'])}    ended: {_when(run.get('ended'))}")
    for field in ("hyperparameters", "compile_config", "params"):
        if run.get(field):
            print(f"  {field}:")
            for key, value in run[field].items():
                print(f"    {key}: {value}")
    print(f"  final metrics: {_metrics_text(run.get('final_metrics'))}")
    epochs = store.metrics(run["id"], "epoch")
    if epochs:
        names = [k for k in epochs[0] if k not in ("step", "epoch", "time")]
        print("  per epoch:")
        print("    " + "  ".join(["epoch"] + [f"{n:>12s}" for n in names]))
        for row in epochs:
            cells = [f"{row['epoch'] + 1:5d}"] + [f"{row.get(n, float('nan')):12.4f}" for n in names]
            print("    " + "  ".join(cells))
    if run.get("summary") and args.summary:
        print(run["summary"])
    if run.get("traceback"):
        print(f"  exception: {run.get('exception')}")
        print(run["traceback"].rstrip())
    return 0


def _runs_delete(args) -> int:
    store = _store(args)
    try:
        store.delete_run(args.run_id)
    except KeyError:
        raise UsageError(f"no run with id {args.run_id!r} in {store.path}") from None
    print(f"deleted run {args.run_id}")
    return 0


# --- summary and predict -----------------------------------------------------------------------
def _load_model(path: str):
    from .models import load_model

    if not Path(path).is_file():
        raise UsageError(f"no such model file: {path!r}")
    try:
        return load_model(path, compile=False)
    except (ValueError, OSError, KeyError) as error:
        raise UsageError(f"cannot load {path!r} as a glassnet model: {error}") from None


def _summary(args) -> int:
    _load_model(args.model_file).summary()
    return 0


def _predict(args) -> int:
    import numpy as np

    from .cli_train import ConfigError, load_array

    model = _load_model(args.model_file)
    try:
        x = load_array(args.input).astype(np.float32)
    except ConfigError as error:
        raise UsageError(str(error)) from None
    try:
        predictions = np.asarray(model.predict(x, batch_size=args.batch_size, verbose=0))
    except ValueError as error:                  # wrong shape for this model: the user's input
        raise UsageError(f"{args.input}: {error}") from None
    if args.output is None:
        np.savetxt(sys.stdout, predictions.reshape(len(predictions), -1), delimiter=",", fmt="%.7g")
        return 0
    output = Path(args.output)
    if output.suffix.lower() == ".npy":
        np.save(output, predictions)
    elif output.suffix.lower() == ".csv":
        np.savetxt(output, predictions.reshape(len(predictions), -1), delimiter=",", fmt="%.9g")
    else:
        raise UsageError(f"--output must end in .npy or .csv, got {args.output!r}")
    print(f"wrote {predictions.shape} predictions to {output}", file=sys.stderr)
    return 0


# --- the parser ----------------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    from . import __version__

    parser = argparse.ArgumentParser(prog="glassnet", description="glassnet: a deep-learning framework you can "
                                     "see through, with the Keras API.")
    parser.add_argument("--version", action="version", version=f"glassnet {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = commands.add_parser("demo", help="train an MLP on scikit-learn's digits (offline, under a minute)",
                               description="Train a multilayer perceptron on scikit-learn's bundled handwritten "
                               "digits: progress bar, early stopping, test accuracy, loss/accuracy curves as a PNG.")
    demo.add_argument("--low-level", action="store_true",
                      help="fit a 2-layer MLP by hand with the raw Tensor API (no layers, no fit)")
    demo.add_argument("--output-dir", default="./glassnet_output", help="where to save the PNG (default: %(default)s)")
    demo.add_argument("--epochs", type=int, default=None,
                      help="maximum epochs (default 100 with early stopping; 30 with --low-level)")
    demo.add_argument("--seed", type=int, default=0, help="random seed (default: %(default)s)")
    demo.add_argument("--verbose", type=_verbose, default="auto",
                      help="0 silent, 1 progress bar, 2 one line per epoch, auto (default)")
    demo.set_defaults(handler=_demo)

    train = commands.add_parser("train", help="train the model a TOML config file describes",
                                description="Build, train, evaluate and save the model described in CONFIG.toml "
                                "(model layers or a saved model, data set, optimizer, loss, metrics, epochs, "
                                "callbacks, output path); the run is recorded by glassnet.monitor. The file's "
                                "schema, with an example, is in glassnet/cli_train.py; examples/configs/ has one.")
    train.add_argument("config", metavar="CONFIG.toml", help="the training config")
    train.add_argument("--no-monitor", action="store_true", help="do not record the run in the monitor's database")
    train.add_argument("--db", default=None, help="the monitor's database file (default: $GLASSNET_MONITOR_DB or "
                       "~/.glassnet/runs.db)")
    train.add_argument("--epochs", type=_positive_int, default=None, help="override fit.epochs")
    train.add_argument("--verbose", type=_verbose, default=None, help="override fit.verbose (0, 1, 2 or auto)")
    train.set_defaults(handler=_train)

    monitor = commands.add_parser("monitor", help="serve the dashboard of recorded runs",
                                  description="Serve the live dashboard of the runs in the monitor's database "
                                  "(Ctrl-C stops it). Bound to 127.0.0.1 unless --host says otherwise; another "
                                  "host needs --token.")
    monitor.add_argument("--host", default="127.0.0.1", help="address to bind (default: %(default)s)")
    monitor.add_argument("--port", type=int, default=8765, help="port (default: %(default)s; 0 picks a free one)")
    monitor.add_argument("--db", default=None, help="the database file (default: $GLASSNET_MONITOR_DB or "
                         "~/.glassnet/runs.db)")
    monitor.add_argument("--token", default=None, help="access token (at least 16 characters), required off loopback")
    monitor.add_argument("--open", action="store_true", help="open the dashboard in a web browser")
    monitor.set_defaults(handler=_monitor)

    runs = commands.add_parser("runs", help="list, show or delete recorded runs",
                               description="The runs recorded by glassnet.monitor.")
    runs_commands = runs.add_subparsers(dest="runs_command", metavar="ACTION")
    for name, handler, text in (("list", _runs_list, "every run, newest first"),
                                ("show", _runs_show, "one run in detail"),
                                ("delete", _runs_delete, "remove a run and its metrics")):
        action = runs_commands.add_parser(name, help=text, description=text[0].upper() + text[1:] + ".")
        if name != "list":
            action.add_argument("run_id", metavar="ID", help="the run's id (from glassnet runs list)")
        if name == "show":
            action.add_argument("--summary", action="store_true", help="also print the model summary")
        action.add_argument("--db", default=None, help="the database file (default: $GLASSNET_MONITOR_DB or "
                            "~/.glassnet/runs.db)")
        action.set_defaults(handler=handler)
    runs.set_defaults(handler=None, subparser=runs)

    summary = commands.add_parser("summary", help="print a saved model's summary",
                                  description="Load a model saved with model.save and print its summary.")
    summary.add_argument("model_file", metavar="MODEL_FILE", help="a .glassnet file")
    summary.set_defaults(handler=_summary)

    predict = commands.add_parser("predict", help="predict with a saved model",
                                  description="Run a saved model on the samples of a .npy or .csv file (one sample "
                                  "per row for CSV) and write the predictions to --output (.npy or .csv) or, "
                                  "without it, as CSV to standard output.")
    predict.add_argument("model_file", metavar="MODEL_FILE", help="a .glassnet file")
    predict.add_argument("input", metavar="INPUT", help="the inputs: .npy or .csv")
    predict.add_argument("--output", default=None, help="where to write the predictions (.npy or .csv)")
    predict.add_argument("--batch-size", type=_positive_int, default=32, help="samples per batch (default: 32)")
    predict.set_defaults(handler=_predict)
    return parser


def main(argv=None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "handler", None) is None:
        (getattr(args, "subparser", None) or parser).print_help()
        return 2
    if getattr(args, "epochs", None) is not None and args.epochs <= 0:
        parser.error(f"--epochs must be a positive int, got {args.epochs}")
    try:
        return args.handler(args)
    except UsageError as error:
        print(f"glassnet {args.command}: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"glassnet {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
