"""Copying an online network into its target network: hard (DQN) and soft (DDPG) updates.

A bootstrapped target y = r + γ·Q(s', ·) computed with the very network being trained moves
every time that network moves — the regression chases its own tail. A *target network* θ′
is a lagged copy of the online weights θ used only to compute y:

    hard update (DQN, every N steps):      θ′ ← θ
    soft update (DDPG, every step):        θ′ ← τ·θ + (1 − τ)·θ′     (τ ≪ 1, e.g. 0.005)
"""
from __future__ import annotations

import glassnet


def clone_network(model, example_input):
    """A new model with ``model``'s architecture and a copy of its weights (both built on ``example_input``)."""
    with glassnet.no_grad():
        model(example_input)
        target = glassnet.models.clone_model(model)
        target(example_input)
    hard_update(target, model)
    return target


def hard_update(target, online) -> None:
    """θ′ ← θ for every weight (trainable or not, e.g. batch-norm statistics)."""
    soft_update(target, online, tau=1.0)


def soft_update(target, online, tau) -> None:
    """θ′ ← τ·θ + (1 − τ)·θ′ for every weight of ``target`` and its twin in ``online``.

    Args:
        target: the target network θ′ (changed in place).
        online: the online network θ (unchanged).
        tau: τ in [0, 1]; 1 is a hard copy, 0 leaves the target as it is.

    Raises:
        ValueError: τ outside [0, 1], or networks whose weights do not pair up in shape.
    """
    if not 0.0 <= tau <= 1.0:
        raise ValueError(f"soft_update: tau must be in [0, 1], got {tau!r}")
    target_weights, online_weights = target.weights, online.weights
    if len(target_weights) != len(online_weights) or any(
            t.shape != o.shape for t, o in zip(target_weights, online_weights)):
        raise ValueError("soft_update: the target and online networks must have the same architecture "
                         f"(weight shapes {[tuple(t.shape) for t in target_weights]} vs "
                         f"{[tuple(o.shape) for o in online_weights]})")
    for theta_target, theta in zip(target_weights, online_weights):
        if tau == 1.0:
            theta_target.assign(theta.numpy().copy())
        else:
            theta_target.assign(tau * theta.numpy() + (1.0 - tau) * theta_target.numpy())
