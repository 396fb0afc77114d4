"""Deep Deterministic Policy Gradient (Lillicrap et al., 2016): actor–critic for continuous actions.

A DQN takes argmax_a over a list of actions; with a continuous action there is no list.
DDPG learns a deterministic *actor* μ(s; φ) that outputs the action, and a *critic*
Q(s, a; θ) that scores it. The critic learns like DQN; the actor climbs the critic's
gradient in the action (the deterministic policy gradient, Silver et al., 2014).

Algorithm::

    initialise actor μ(·; φ), critic Q(·, ·; θ), targets φ′ ← φ, θ′ ← θ, replay buffer D
    for t = 1, 2, …:
        a_t = clip(μ(s_t; φ) + n_t, −1, 1)       n_t: Gaussian or Ornstein–Uhlenbeck noise
        step the env with the action scaled to [low, high]; store (s_t, a_t, r_t, s_{t+1}, done_t)
        once D holds learning_starts transitions, sample a minibatch (s, a, r, s', done):
            y      = r + γ · (1 − done) · Q(s', μ(s'; φ′); θ′)                  (critic target)
            L(θ)   = mean (y − Q(s, a; θ))²                                      critic step
            J(φ)   = −mean Q(s, μ(s; φ); θ)                                      actor step
            θ′ ← τ·θ + (1 − τ)·θ′,   φ′ ← τ·φ + (1 − τ)·φ′                  (soft updates)

Actions inside the agent live in [−1, 1] (end the actor with ``tanh``); the env receives
``low + (a + 1)/2 · (high − low)``. The critic is a glassnet model on the concatenation
[s, a] (shape (B, obs_dim + action_dim)) → (B, 1), so both networks can be ``Sequential``.
Only the actor's weights move in the actor step: the critic's gradient is computed but not applied.
"""
from __future__ import annotations

import time

import numpy as np

import glassnet
from glassnet import ops

from .episodes import play
from .noise import GaussianNoise
from .replay import ReplayBuffer
from .spaces import continuous_bounds
from .targets import clone_network, soft_update


class DDPGAgent:
    """A DDPG agent for a continuous (Box) action space.

    Args:
        actor: a glassnet model, states (B, obs_dim) → actions (B, action_dim) in [−1, 1]
            (``tanh`` output).
        critic: a glassnet model, [state, action] concatenated (B, obs_dim + action_dim) → (B, 1).
        action_space: the env's ``action_space``; must be continuous (``Box``) with finite bounds.
        gamma: γ, the discount factor.
        tau: τ of the soft target updates.
        actor_optimizer: default ``Adam(learning_rate=1e-3)``.
        critic_optimizer: default ``Adam(learning_rate=1e-3)``.
        noise: exploration noise in the actor's [−1, 1] units, an object with ``__call__()`` and
            ``reset()`` (default ``GaussianNoise(action_dim, sigma=0.1)``).
        buffer_size: the replay buffer's capacity.
        batch_size: the minibatch size.
        learning_starts: steps before the first update; until then actions are uniform random.
        seed: seed of the agent's generators.

    Raises:
        ValueError: a discrete action space, or networks whose widths do not fit it.
    """

    def __init__(self, actor, critic, action_space, gamma=0.99, tau=0.005, actor_optimizer=None,
                 critic_optimizer=None, noise=None, buffer_size=100_000, batch_size=64, learning_starts=1_000,
                 seed=None):
        self.low, self.high = continuous_bounds(action_space, "DDPGAgent")
        self.action_shape = self.low.shape
        if not 0.0 <= gamma <= 1.0:
            raise ValueError(f"DDPGAgent: gamma must be in [0, 1], got {gamma!r}")
        if not 0.0 < tau <= 1.0:
            raise ValueError(f"DDPGAgent: tau must be in (0, 1], got {tau!r}")
        if learning_starts < batch_size:
            raise ValueError(f"DDPGAgent: learning_starts ({learning_starts}) must be >= batch_size ({batch_size})")
        self.actor, self.critic = actor, critic
        self.actor_target = self.critic_target = None        # cloned on the first state seen
        self.gamma, self.tau = float(gamma), float(tau)
        self.actor_optimizer = actor_optimizer or glassnet.optimizers.Adam(learning_rate=1e-3)
        self.critic_optimizer = critic_optimizer or glassnet.optimizers.Adam(learning_rate=1e-3)
        self.noise = noise if noise is not None else GaussianNoise(self.action_shape, 0.1, seed=seed)
        self.batch_size, self.learning_starts = int(batch_size), int(learning_starts)
        self.rng = np.random.default_rng(seed)
        self.buffer = ReplayBuffer(buffer_size, seed=None if seed is None else seed + 1)
        self.steps = 0

    # -- the networks ---------------------------------------------------------------------
    def build(self, state) -> None:
        """Build both networks on one state and make the targets φ′ ← φ, θ′ ← θ."""
        state = np.asarray(state, np.float32)[None]
        self.actor_target = clone_network(self.actor, state)
        action = self.actor_target(state).numpy()
        if action.shape[1:] != self.action_shape:
            raise ValueError(f"DDPGAgent: the actor outputs actions of shape {action.shape[1:]}, the action space "
                             f"has shape {self.action_shape}")
        self.critic_target = clone_network(self.critic, np.concatenate([state, action], axis=1))

    def to_env(self, action) -> np.ndarray:
        """The agent's a ∈ [−1, 1] mapped to the env's [low, high]: low + (a + 1)/2 · (high − low)."""
        return self.low + (np.asarray(action, np.float32) + 1.0) * 0.5 * (self.high - self.low)

    def act(self, state, explore=True) -> np.ndarray:
        """The action in [−1, 1]: μ(s) (+ noise, clipped, when ``explore``)."""
        if self.actor_target is None:
            self.build(state)
        if explore and self.steps < self.learning_starts:
            return self.rng.uniform(-1.0, 1.0, self.action_shape).astype(np.float32)
        with glassnet.no_grad():
            action = self.actor(np.asarray(state, np.float32)[None]).numpy()[0]
        if explore:
            action = np.clip(action + self.noise(), -1.0, 1.0)
        return action.astype(np.float32)

    # -- learning -------------------------------------------------------------------------
    def compute_targets(self, batch) -> np.ndarray:
        """y = r + γ · (1 − done) · Q(s', μ(s'; φ′); θ′), shape (B,)."""
        with glassnet.no_grad():
            next_actions = self.actor_target(batch["next_states"]).numpy()
            next_q = self.critic_target(np.concatenate([batch["next_states"], next_actions], axis=1)).numpy()
        return batch["rewards"] + self.gamma * (1.0 - batch["dones"]) * next_q[:, 0]

    def train_step(self, batch) -> tuple:
        """One critic step, one actor step, then the soft updates; returns (critic loss, actor loss)."""
        states = batch["states"]
        y = self.compute_targets(batch).astype(np.float32)[:, None]
        critic_weights = self.critic.trainable_weights
        with glassnet.GradientTape() as tape:
            q = self.critic(np.concatenate([states, batch["actions"]], axis=1), training=True)
            critic_loss = ops.mean(ops.square(y - q))                                  # L(θ)
        self.critic_optimizer.apply(tape.gradient(critic_loss, critic_weights), critic_weights)

        actor_weights = self.actor.trainable_weights
        with glassnet.GradientTape() as tape:
            actions = self.actor(states, training=True)
            actor_loss = -ops.mean(self.critic(ops.concatenate([states, actions], axis=1)))   # J(φ)
        self.actor_optimizer.apply(tape.gradient(actor_loss, actor_weights), actor_weights)

        soft_update(self.critic_target, self.critic, self.tau)
        soft_update(self.actor_target, self.actor, self.tau)
        return float(critic_loss.numpy()), float(actor_loss.numpy())

    def observe(self, state, action, reward, next_state, terminated) -> None:
        """Store a transition (action in [−1, 1]), count the step, and train when due."""
        self.buffer.add(state, action, reward, next_state, terminated)
        self.steps += 1
        if self.steps >= self.learning_starts:
            self.train_step(self.buffer.sample(self.batch_size))

    def learn(self, env, episodes, target_return=None, window=10, seed=None, log_every=0) -> dict:
        """Play and learn for up to ``episodes`` episodes.

        Args:
            env: a Gymnasium-style environment with a Box action space.
            episodes: the most episodes to play.
            target_return: stop once the mean return of the last ``window`` episodes reaches it.
            window: the window of that mean.
            seed: seed of the first ``reset``.
            log_every: print a line every this many episodes (0: silent).

        Returns:
            ``{"returns": [...], "steps": ..., "seconds": ..., "solved_at": episode count or None}``.
        """
        low, high = continuous_bounds(env.action_space, "DDPGAgent")
        if low.shape != self.action_shape:
            raise ValueError(f"DDPGAgent: the env's actions have shape {low.shape}, the agent was made for "
                             f"{self.action_shape}")
        returns, start, solved_at = [], time.perf_counter(), None
        for episode in range(episodes):
            state, _ = env.reset(seed=seed if episode == 0 else None)
            self.noise.reset()
            total, done = 0.0, False
            while not done:
                action = self.act(state)
                next_state, reward, terminated, truncated, _ = env.step(self.to_env(action))
                self.observe(state, action, reward, next_state, terminated)
                state, total, done = next_state, total + float(reward), terminated or truncated
            returns.append(total)
            mean = float(np.mean(returns[-window:]))
            if log_every and (episode + 1) % log_every == 0:
                print(f"episode {episode + 1:4d}  steps {self.steps:6d}  return {total:8.1f}  "
                      f"mean({min(window, len(returns))}) {mean:8.1f}  {time.perf_counter() - start:6.1f} s",
                      flush=True)
            if target_return is not None and len(returns) >= window and mean >= target_return:
                solved_at = episode + 1
                break
        return {"returns": returns, "steps": self.steps, "seconds": time.perf_counter() - start,
                "solved_at": solved_at}

    def evaluate(self, env, episodes, seed=None) -> list:
        """Returns of ``episodes`` episodes with the deterministic actor μ(s) (no noise, no learning)."""
        return play(env, lambda state: self.to_env(self.act(state, explore=False)), episodes, seed)
