"""Reading an environment's action space: discrete (a count n) or continuous (a box [low, high]).

Works with Gymnasium's ``Discrete`` and ``Box`` and with any object shaped like them
(a ``Discrete`` has ``n``; a ``Box`` has ``low``, ``high`` and ``shape``), so glassnet.rl does
not import Gymnasium.
"""
from __future__ import annotations

import numpy as np


def discrete_actions(space, agent) -> int:
    """The number of actions of a discrete space; a clear error for anything else.

    Args:
        space: the environment's ``action_space``.
        agent: the agent's name, for the message.
    """
    n = getattr(space, "n", None)
    if n is None or hasattr(space, "low"):
        raise ValueError(f"{agent} needs a discrete action space (gymnasium.spaces.Discrete, actions 0..n-1), got "
                         f"{_describe(space)}; for continuous actions (a Box) use glassnet.rl.DDPGAgent")
    return int(n)


def continuous_bounds(space, agent) -> tuple:
    """``(low, high)`` float32 arrays of a continuous (Box) space; a clear error for anything else."""
    if hasattr(space, "n") or not (hasattr(space, "low") and hasattr(space, "high")):
        raise ValueError(f"{agent} needs a continuous action space (gymnasium.spaces.Box), got {_describe(space)}; "
                         f"for discrete actions use glassnet.rl.DQNAgent")
    low, high = np.asarray(space.low, np.float32), np.asarray(space.high, np.float32)
    if not (np.all(np.isfinite(low)) and np.all(np.isfinite(high)) and np.all(low < high)):
        raise ValueError(f"{agent} needs finite action bounds with low < high, got low={low}, high={high}")
    return low, high


def _describe(space) -> str:
    return f"{type(space).__name__}({space!r})" if space is not None else "None"
