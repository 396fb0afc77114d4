"""Five optimizers on one 2-D loss surface: gradient descent, momentum, Adagrad, RMSprop, Adam.

The drawing and the hand-driven optimisation loop live in the library,
``glassnet.plot.optimizer_paths`` (read its docstring for the loop: forward, ``backward()``,
``optimizer.step``). The default surface here is the elongated bowl f(x, y) = x²/10 + y²:
steep across (y), shallow along (x), the shape that makes plain gradient descent zigzag.

What to look for in the picture:
  * GD with a large step zigzags across the valley (y flips sign every step);
  * momentum smooths the zigzag and speeds up along the valley, overshooting a little;
  * Adagrad, RMSprop and Adam divide each coordinate by its own gradient history, so
    their first steps are diagonal (about the same size in x and y) rather than along
    the gradient; Adam's momentum then carries it past the minimum and back.
Try ``--surface rosenbrock`` (a curved flat valley) and ``--surface beale`` (plateaus and ridges).

Run:  python examples/optimizers_on_a_surface.py [--surface bowl] [--steps 60] [--out glassnet_output/optimizers_on_a_surface.png]
"""
from __future__ import annotations

import argparse
import os

from glassnet import plot


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--surface", default="bowl", choices=sorted(plot.optimizer_paths_surfaces))
    parser.add_argument("--steps", type=int, default=60)
    parser.add_argument("--out", default=os.path.join("glassnet_output", "optimizers_on_a_surface.png"))
    args = parser.parse_args()
    figure = plot.optimizer_paths(args.surface, steps=args.steps, to_file=args.out)
    surface = plot.optimizer_paths_surfaces[args.surface][0]
    for label, path in figure.paths.items():
        ends = " → ".join(f"({x:+.2f}, {y:+.2f})" for x, y in path[:: max(1, args.steps // 6)])
        print(f"{label:28s} f = {surface(*path[-1]):.2e}   {ends}")
    print(f"saved {args.out}")


if __name__ == "__main__":
    main()
