"""The ``glassnet`` command line (also ``python -m glassnet``).

    glassnet demo                 train an MLP on the bundled digits; plot the curves
    glassnet demo --low-level     the same data with the raw Tensor API and a hand-written loop
    glassnet --version
"""
from __future__ import annotations

import argparse
import sys


def _verbose(value: str):
    if value == "auto":
        return value
    if value in ("0", "1", "2"):
        return int(value)
    raise argparse.ArgumentTypeError(f"verbose must be 0, 1, 2 or auto, got {value!r}")


def _demo(args) -> int:
    from . import demo

    if args.low_level:
        demo.run_low_level(epochs=args.epochs or 30, seed=args.seed)
    else:
        demo.run_keras_style(output_dir=args.output_dir, epochs=args.epochs or 100, seed=args.seed,
                             verbose=args.verbose)
    return 0


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
    return parser


def main(argv=None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "handler", None) is None:
        parser.print_help()
        return 2
    if getattr(args, "epochs", None) is not None and args.epochs <= 0:
        parser.error(f"--epochs must be a positive int, got {args.epochs}")
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
