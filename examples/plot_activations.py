"""Plot every activation f(x) and its derivative f'(x) in one grid of small plots.

The derivative is not written out by hand: ``glassnet.plot.activations`` takes it from
``backward()``, so the picture shows what a network trained with glassnet actually uses (for
an element-wise f, backward with an upstream gradient of ones gives f'(x) at every point).

Run:  python examples/plot_activations.py [output.png]
"""
from __future__ import annotations

import sys

from glassnet import plot


def main(path: str) -> str:
    plot.activations(to_file=path)
    return path


if __name__ == "__main__":
    print("saved", main(sys.argv[1] if len(sys.argv) > 1 else "activations.png"))
