"""Deep Q-Network (Mnih et al., 2015), with the double-DQN option (van Hasselt et al., 2016).

A neural network Q(s, ·; θ) replaces the Q-table: it maps a state to one value per action.
It is trained by regression on bootstrapped targets, with three stabilisers — experience
replay, a target network θ′, and the Huber loss.

Algorithm::

    initialise Q(·; θ), target θ′ ← θ, an empty replay buffer D
    for t = 1, 2, …:
        a_t = random with probability ε(t), else argmax_a Q(s_t, a; θ)        (ε-greedy)
        step the env: r_t, s_{t+1}, done_t;  store (s_t, a_t, r_t, s_{t+1}, done_t) in D
        every train_every steps, once D holds learning_starts transitions:
            sample a minibatch (s, a, r, s', done) from D
            y = r + γ · (1 − done) · max_a' Q(s', a'; θ′)                       (DQN target)
            y = r + γ · (1 − done) · Q(s', argmax_a' Q(s', a'; θ); θ′)          (double DQN)
            L(θ) = mean Huber_δ(y − Q(s, a; θ))
            θ ← optimizer step on ∇_θ L          (y is a constant: no gradient through it)
        every target_update_every steps:  θ′ ← θ                                   (hard update)

Huber_δ(e) = ½e² for |e| ≤ δ, δ·(|e| − ½δ) otherwise: squared near zero, linear for large
errors, so one surprising transition cannot blow up the gradient.

Double DQN: max_a' Q(s', a'; θ′) is biased upwards (the max of noisy estimates picks the
lucky ones). Choosing a' with the online net and *evaluating* it with the target net
decouples selection from evaluation and removes most of that bias.

``done`` here means *terminated* (a true end, e.g. the pole fell): a time-limit cut
(truncated) is not an end of the task, so its target still bootstraps from s'.
"""
from __future__ import annotations

import time

import numpy as np

import glassnet
from glassnet import ops

from .episodes import play
from .replay import ReplayBuffer
from .schedules import LinearSchedule, as_schedule, epsilon_greedy
from .spaces import discrete_actions
from .targets import clone_network, hard_update


def dqn_targets(rewards, dones, next_q_target, gamma, next_q_online=None) -> np.ndarray:
    """The regression targets y for a minibatch.

    DQN:         y = r + γ · (1 − done) · max_a' Q_target(s', a')
    Double DQN:  y = r + γ · (1 − done) · Q_target(s', argmax_a' Q_online(s', a'))

    Args:
        rewards: r, shape (B,).
        dones: 1.0 where s' is terminal, shape (B,).
        next_q_target: Q_target(s', ·), shape (B, n_actions).
        gamma: γ.
        next_q_online: Q_online(s', ·), shape (B, n_actions): given, the double-DQN target.
    """
    rewards, dones = np.asarray(rewards, np.float64), np.asarray(dones, np.float64)
    next_q_target = np.asarray(next_q_target, np.float64)
    if next_q_online is None:
        next_value = next_q_target.max(axis=1)
    else:
        best_actions = np.argmax(np.asarray(next_q_online), axis=1)                 # select with θ
        next_value = next_q_target[np.arange(len(best_actions)), best_actions]      # evaluate with θ′
    return rewards + gamma * (1.0 - dones) * next_value


class DQNAgent:
    """A DQN agent for a discrete action space; the Q-network is any glassnet model.

    Args:
        q_network: a glassnet model mapping a batch of states (B, *obs_shape) to Q-values
            (B, n_actions), e.g. ``Sequential([Input((4,)), Dense(64, "relu"), Dense(2)])``.
        action_space: the env's ``action_space``; must be discrete (``Discrete(n)``).
        gamma: γ, the discount factor.
        optimizer: a glassnet optimizer (default ``Adam(learning_rate=1e-3)``).
        buffer_size: the replay buffer's capacity.
        batch_size: the minibatch size.
        learning_starts: steps of play before the first update (the buffer fills first).
        train_every: one gradient step every this many env steps.
        target_update_every: hard update θ′ ← θ every this many env steps.
        epsilon: ε as a float or a schedule t ↦ ε(t) (default linear 1 → 0.05 over 10 000 steps).
        double: use the double-DQN target.
        huber_delta: δ of the Huber loss.
        seed: seed of the agent's generators (exploration, replay sampling).

    Raises:
        ValueError: a continuous action space, or a network whose output width is not n_actions.
    """

    def __init__(self, q_network, action_space, gamma=0.99, optimizer=None, buffer_size=50_000, batch_size=64,
                 learning_starts=1_000, train_every=1, target_update_every=500, epsilon=None, double=False,
                 huber_delta=1.0, seed=None):
        self.n_actions = discrete_actions(action_space, "DQNAgent")
        if not 0.0 <= gamma <= 1.0:
            raise ValueError(f"DQNAgent: gamma must be in [0, 1], got {gamma!r}")
        for name, value in (("batch_size", batch_size), ("train_every", train_every),
                            ("target_update_every", target_update_every)):
            if not isinstance(value, (int, np.integer)) or value < 1:
                raise ValueError(f"DQNAgent: {name} must be a positive int, got {value!r}")
        if learning_starts < batch_size:
            raise ValueError(f"DQNAgent: learning_starts ({learning_starts}) must be >= batch_size ({batch_size})")
        self.q_network = q_network
        self.target_network = None                    # cloned from q_network on the first state seen
        self.gamma, self.double = float(gamma), bool(double)
        self.optimizer = optimizer if optimizer is not None else glassnet.optimizers.Adam(learning_rate=1e-3)
        self.loss_fn = glassnet.losses.Huber(delta=huber_delta)
        self.batch_size, self.learning_starts = int(batch_size), int(learning_starts)
        self.train_every, self.target_update_every = int(train_every), int(target_update_every)
        self.epsilon = as_schedule(epsilon if epsilon is not None else LinearSchedule(1.0, 0.05, 10_000))
        self.rng = np.random.default_rng(seed)
        self.buffer = ReplayBuffer(buffer_size, seed=None if seed is None else seed + 1)
        self.steps = 0

    # -- the networks ---------------------------------------------------------------------
    def build(self, state) -> None:
        """Build the Q-network on one state and make the target network θ′ ← θ."""
        example = np.asarray(state, np.float32)[None]
        self.target_network = clone_network(self.q_network, example)
        width = self.target_network(example).shape[-1]
        if width != self.n_actions:
            raise ValueError(f"DQNAgent: the Q-network outputs {width} values per state, the action space has "
                             f"{self.n_actions} actions")

    def q_values(self, states, network=None) -> np.ndarray:
        """Q(s, ·) for a batch of states, as a NumPy array (no graph recorded)."""
        network = self.q_network if network is None else network
        with glassnet.no_grad():
            return network(np.asarray(states, np.float32)).numpy()

    def act(self, state, greedy=False) -> int:
        """ε-greedy action (the greedy argmax_a Q(s, a) when ``greedy``)."""
        if self.target_network is None:
            self.build(state)
        epsilon = 0.0 if greedy else self.epsilon(self.steps)
        if epsilon > 0.0 and self.rng.random() < epsilon:        # skip the forward pass when random
            return int(self.rng.integers(self.n_actions))
        return epsilon_greedy(self.q_values(np.asarray(state)[None])[0], 0.0, self.rng)

    # -- learning -------------------------------------------------------------------------
    def compute_targets(self, batch) -> np.ndarray:
        """y for a minibatch dict (``rewards``, ``next_states``, ``dones``), with θ′ (and θ for double)."""
        next_q_target = self.q_values(batch["next_states"], self.target_network)
        next_q_online = self.q_values(batch["next_states"]) if self.double else None
        return dqn_targets(batch["rewards"], batch["dones"], next_q_target, self.gamma, next_q_online)

    def train_step(self, batch) -> float:
        """One gradient step on L(θ) = mean Huber(y − Q(s, a; θ)); returns the loss."""
        y = self.compute_targets(batch).astype(np.float32)[:, None]
        chosen = np.eye(self.n_actions, dtype=np.float32)[batch["actions"]]      # one-hot of a, (B, n)
        weights = self.q_network.trainable_weights
        with glassnet.GradientTape() as tape:
            q = self.q_network(batch["states"], training=True)
            q_sa = ops.sum(q * chosen, axis=1, keepdims=True)                    # Q(s, a; θ)
            loss = self.loss_fn(y, q_sa)
        grads = tape.gradient(loss, weights)
        self.optimizer.apply(grads, weights)
        return float(loss.numpy())

    def observe(self, state, action, reward, next_state, terminated) -> None:
        """Store a transition, count the step, and train / update the target when due."""
        self.buffer.add(state, action, reward, next_state, terminated)
        self.steps += 1
        if self.steps >= self.learning_starts and self.steps % self.train_every == 0:
            self.train_step(self.buffer.sample(self.batch_size))
        if self.steps % self.target_update_every == 0:
            hard_update(self.target_network, self.q_network)

    def learn(self, env, episodes, target_return=None, window=100, seed=None, log_every=0) -> dict:
        """Play and learn for up to ``episodes`` episodes.

        Args:
            env: a Gymnasium-style environment with a discrete action space.
            episodes: the most episodes to play.
            target_return: stop once the mean return of the last ``window`` episodes reaches it.
            window: the window of that mean.
            seed: seed of the first ``reset``.
            log_every: print a line every this many episodes (0: silent).

        Returns:
            ``{"returns": [...], "steps": total env steps, "seconds": wall time,
            "solved_at": the episode count when the target was reached, or None}``.
        """
        if discrete_actions(env.action_space, "DQNAgent") != self.n_actions:
            raise ValueError(f"DQNAgent: the env has {env.action_space.n} actions, the agent was made for "
                             f"{self.n_actions}")
        returns, start, solved_at = [], time.perf_counter(), None
        for episode in range(episodes):
            state, _ = env.reset(seed=seed if episode == 0 else None)
            total, done = 0.0, False
            while not done:
                action = self.act(state)
                next_state, reward, terminated, truncated, _ = env.step(action)
                self.observe(state, action, reward, next_state, terminated)
                state, total, done = next_state, total + reward, terminated or truncated
            returns.append(total)
            mean = float(np.mean(returns[-window:]))
            if log_every and (episode + 1) % log_every == 0:
                print(f"episode {episode + 1:4d}  steps {self.steps:6d}  return {total:7.1f}  "
                      f"mean({min(window, len(returns))}) {mean:7.1f}  ε {self.epsilon(self.steps):.3f}  "
                      f"{time.perf_counter() - start:6.1f} s", flush=True)
            if target_return is not None and len(returns) >= window and mean >= target_return:
                solved_at = episode + 1
                break
        return {"returns": returns, "steps": self.steps, "seconds": time.perf_counter() - start,
                "solved_at": solved_at}

    def evaluate(self, env, episodes, seed=None) -> list:
        """Returns of ``episodes`` greedy episodes (no exploration, no learning)."""
        return play(env, lambda state: self.act(state, greedy=True), episodes, seed)
