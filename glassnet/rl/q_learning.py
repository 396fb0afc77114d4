"""Tabular Q-learning (Watkins, 1989): a table Q[s, a] learned from single transitions.

Target and update, for a transition (s, a, r, s', done):

    y        = r + γ · (1 − done) · max_a' Q(s', a')
    Q(s, a) ← Q(s, a) + α · (y − Q(s, a))

Q-learning is off-policy: the target uses the greedy action in s' whatever the agent
actually does next, so it learns the optimal Q* while behaving ε-greedily (random with
probability ε, else argmax_a Q(s, a)). With every (s, a) tried infinitely often and a
suitable α it converges to Q*, the solution of the Bellman optimality equation
Q*(s, a) = E[r + γ · max_a' Q*(s', a')].
"""
from __future__ import annotations

import numpy as np

from .schedules import as_schedule, epsilon_greedy
from .spaces import discrete_actions


class QLearningAgent:
    """A Q-table trained by Q-learning with ε-greedy exploration.

    Args:
        n_states: the number of states (observations 0..n_states-1).
        n_actions: the number of actions (0..n_actions-1).
        learning_rate: α, the step towards the target.
        gamma: γ, the discount factor in [0, 1].
        epsilon: ε, a float or a schedule t ↦ ε(t) (see ``glassnet.rl.schedules``).
        seed: seed of the agent's random generator.

    Attributes:
        q_table: the table Q, shape (n_states, n_actions), zeros at the start.
        steps: how many updates have been made (the t of the ε schedule).
    """

    def __init__(self, n_states, n_actions, learning_rate=0.1, gamma=0.99, epsilon=0.1, seed=None):
        for name, value in (("n_states", n_states), ("n_actions", n_actions)):
            if not isinstance(value, (int, np.integer)) or value < 1:
                raise ValueError(f"QLearningAgent: {name} must be a positive int, got {value!r}")
        if not 0.0 < learning_rate <= 1.0:
            raise ValueError(f"QLearningAgent: learning_rate must be in (0, 1], got {learning_rate!r}")
        if not 0.0 <= gamma <= 1.0:
            raise ValueError(f"QLearningAgent: gamma must be in [0, 1], got {gamma!r}")
        self.n_states, self.n_actions = int(n_states), int(n_actions)
        self.learning_rate, self.gamma = float(learning_rate), float(gamma)
        self.epsilon = as_schedule(epsilon)
        self.rng = np.random.default_rng(seed)
        self.q_table = np.zeros((self.n_states, self.n_actions))
        self.steps = 0

    def act(self, state, greedy=False) -> int:
        """ε-greedy action in ``state`` (the greedy argmax when ``greedy``; ties go to the first)."""
        epsilon = 0.0 if greedy else self.epsilon(self.steps)
        return epsilon_greedy(self.q_table[state], epsilon, self.rng)

    def target(self, reward, next_state, done) -> float:
        """y = r + γ · (1 − done) · max_a' Q(s', a')."""
        return reward + self.gamma * (1.0 - float(done)) * np.max(self.q_table[next_state])

    def update(self, state, action, reward, next_state, done) -> float:
        """Q(s, a) ← Q(s, a) + α · (y − Q(s, a)); returns the TD error y − Q(s, a)."""
        td_error = self.target(reward, next_state, done) - self.q_table[state, action]
        self.q_table[state, action] += self.learning_rate * td_error
        self.steps += 1
        return float(td_error)

    def train(self, env, episodes, max_steps=None, seed=None) -> list:
        """Run ``episodes`` episodes of ε-greedy play, updating after every step.

        Args:
            env: a Gymnasium-style environment with a discrete observation and action space
                (``reset(seed=...) -> (s, info)``, ``step(a) -> (s', r, terminated, truncated, info)``).
            episodes: how many episodes.
            max_steps: stop an episode after this many steps (None: when the env ends it).
            seed: seed of the first ``reset`` (the env's own generator continues after that).

        Returns:
            the return (sum of rewards) of every episode.
        """
        n_actions = discrete_actions(env.action_space, "QLearningAgent")
        if n_actions != self.n_actions:
            raise ValueError(f"QLearningAgent: the env has {n_actions} actions, the agent {self.n_actions}")
        returns = []
        for episode in range(episodes):
            state, _ = env.reset(seed=seed if episode == 0 else None)
            total, t, done = 0.0, 0, False
            while not done and (max_steps is None or t < max_steps):
                action = self.act(state)
                next_state, reward, terminated, truncated, _ = env.step(action)
                # only a true terminal state has no future; a time-limit cut still does
                self.update(state, action, reward, next_state, terminated)
                state, total, t, done = next_state, total + reward, t + 1, terminated or truncated
            returns.append(total)
        return returns

    def greedy_policy(self) -> np.ndarray:
        """π(s) = argmax_a Q(s, a) for every state."""
        return np.argmax(self.q_table, axis=1)
