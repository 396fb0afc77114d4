"""Reinforcement learning: tabular Q-learning, DQN (+ double DQN) and DDPG on Gymnasium-style envs.

Each agent states its target and update in its module docstring:

- ``q_learning``: Q(s, a) ← Q(s, a) + α·(r + γ·(1 − done)·max_a' Q(s', a') − Q(s, a))
- ``dqn``: y = r + γ·(1 − done)·max_a' Q_target(s', a'); Huber loss; hard target updates
- ``ddpg``: y = r + γ·(1 − done)·Q′(s', μ′(s')); the actor ascends Q(s, μ(s));
  soft updates θ′ ← τθ + (1 − τ)θ′

Gymnasium is optional (``pip install gymnasium``): the agents only use ``reset``/``step`` and
the action space's ``n`` or ``low``/``high``.
"""
from .ddpg import DDPGAgent
from .dqn import DQNAgent, dqn_targets
from .noise import GaussianNoise, OrnsteinUhlenbeckNoise
from .q_learning import QLearningAgent
from .replay import ReplayBuffer
from .schedules import ExponentialSchedule, LinearSchedule, epsilon_greedy
from .targets import clone_network, hard_update, soft_update

__all__ = ["DDPGAgent", "DQNAgent", "ExponentialSchedule", "GaussianNoise", "LinearSchedule",
           "OrnsteinUhlenbeckNoise", "QLearningAgent", "ReplayBuffer", "clone_network", "dqn_targets",
           "epsilon_greedy", "hard_update", "soft_update"]
