"""ε-greedy exploration and the schedules that shrink ε over training.

ε-greedy: with probability ε take a uniformly random action (explore), otherwise the
greedy one, argmax_a Q(s, a) (exploit). Early on Q is noise, so ε starts near 1; as Q
improves ε shrinks towards a small floor so the agent keeps trying something new now and then.

    LinearSchedule:       ε(t) = ε_start + (ε_end − ε_start) · min(t / T, 1)
    ExponentialSchedule:  ε(t) = ε_end + (ε_start − ε_end) · decay^t
"""
from __future__ import annotations

import numpy as np


class LinearSchedule:
    """ε falls in a straight line from ``start`` to ``end`` over ``steps`` steps, then stays.

    Formula: ε(t) = start + (end − start) · min(t / steps, 1).

    Args:
        start: ε at t = 0 (e.g. 1.0: all random).
        end: the floor reached at t = steps (e.g. 0.05).
        steps: how many steps the fall takes (> 0).
    """

    def __init__(self, start=1.0, end=0.05, steps=10_000):
        _check_probability("start", start)
        _check_probability("end", end)
        if not steps > 0:
            raise ValueError(f"LinearSchedule: steps must be > 0, got {steps!r}")
        self.start, self.end, self.steps = float(start), float(end), int(steps)

    def __call__(self, t) -> float:
        fraction = min(max(t, 0) / self.steps, 1.0)
        return self.start + (self.end - self.start) * fraction


class ExponentialSchedule:
    """ε decays geometrically from ``start`` towards the floor ``end``.

    Formula: ε(t) = end + (start − end) · decay^t.

    Args:
        start: ε at t = 0.
        end: the floor ε tends to.
        decay: the factor per step, in (0, 1] (e.g. 0.999: ε halves its distance to the
            floor every ~693 steps).
    """

    def __init__(self, start=1.0, end=0.05, decay=0.999):
        _check_probability("start", start)
        _check_probability("end", end)
        if not 0.0 < decay <= 1.0:
            raise ValueError(f"ExponentialSchedule: decay must be in (0, 1], got {decay!r}")
        self.start, self.end, self.decay = float(start), float(end), float(decay)

    def __call__(self, t) -> float:
        return self.end + (self.start - self.end) * self.decay ** max(t, 0)


def epsilon_greedy(q_values, epsilon, rng) -> int:
    """An action by ε-greedy: random with probability ε, else argmax_a Q(s, a).

    Args:
        q_values: the action values Q(s, ·), shape (n_actions,).
        epsilon: the probability of a random action.
        rng: a ``numpy.random.Generator``.
    """
    q_values = np.asarray(q_values)
    if rng.random() < epsilon:
        return int(rng.integers(q_values.shape[-1]))
    return int(np.argmax(q_values))


def as_schedule(epsilon):
    """A schedule from a schedule or a constant (a float ε is ε(t) = ε for every t)."""
    if callable(epsilon):
        return epsilon
    _check_probability("epsilon", epsilon)
    constant = float(epsilon)
    return lambda t: constant


def _check_probability(name, value):
    if not isinstance(value, (int, float, np.floating)) or not 0.0 <= value <= 1.0:
        raise ValueError(f"{name} must be a probability in [0, 1], got {value!r}")
