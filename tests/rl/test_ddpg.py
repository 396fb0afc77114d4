"""DDPG: soft update θ′ ← τθ + (1 − τ)θ′, the critic target, the actor step, and bad input."""
import numpy as np
import pytest

import glassnet
from glassnet import layers
from glassnet.rl import DDPGAgent, soft_update

from .fakes import Box, Discrete


def actor():
    return glassnet.Sequential([layers.Input((3,)), layers.Dense(8, activation="relu"),
                                layers.Dense(1, activation="tanh")])


def critic():
    return glassnet.Sequential([layers.Input((4,)), layers.Dense(8, activation="relu"), layers.Dense(1)])


def test_soft_update_equals_the_formula():
    glassnet.utils.set_random_seed(0)
    online, target = critic(), critic()
    online(np.zeros((1, 4), np.float32))
    target(np.zeros((1, 4), np.float32))
    theta = [w.copy() for w in online.get_weights()]
    theta_target = [w.copy() for w in target.get_weights()]
    assert not np.allclose(theta[0], theta_target[0])
    soft_update(target, online, tau=0.1)
    for new, w, w_target in zip(target.get_weights(), theta, theta_target):
        np.testing.assert_allclose(new, 0.1 * w + 0.9 * w_target, rtol=1e-6, atol=1e-7)   # float32
    for unchanged, w in zip(online.get_weights(), theta):
        np.testing.assert_array_equal(unchanged, w)
    with pytest.raises(ValueError, match="tau must be in"):
        soft_update(target, online, tau=1.5)
    other = actor()
    other(np.zeros((1, 3), np.float32))
    with pytest.raises(ValueError, match="same architecture"):
        soft_update(target, other, tau=0.1)


def test_critic_target_uses_target_actor_and_critic_and_masks_done():
    agent = DDPGAgent(glassnet.Sequential([layers.Input((1,)), layers.Dense(1, use_bias=False)]),
                      glassnet.Sequential([layers.Input((2,)), layers.Dense(1, use_bias=False)]),
                      Box(-1.0, 1.0, (1,)), gamma=0.5, batch_size=2, learning_starts=2)
    agent.build(np.zeros(1, np.float32))
    agent.actor_target.set_weights([np.array([[2.0]], np.float32)])          # μ′(s') = 2·s'
    agent.critic_target.set_weights([np.array([[1.0], [3.0]], np.float32)])  # Q′(s', a) = s' + 3a
    agent.critic.set_weights([np.array([[100.0], [100.0]], np.float32)])     # the online nets must not be used
    agent.actor.set_weights([np.array([[100.0]], np.float32)])
    batch = {"rewards": np.array([1.0, 1.0], np.float32), "next_states": np.array([[1.0], [1.0]], np.float32),
             "dones": np.array([0.0, 1.0], np.float32)}
    # row 0: y = 1 + 0.5·Q′(1, μ′(1)) = 1 + 0.5·(1 + 3·2) = 4.5;  row 1 (done): y = 1
    np.testing.assert_allclose(agent.compute_targets(batch), [4.5, 1.0], atol=1e-6)


def test_train_step_moves_the_actor_uphill_on_the_critic():
    glassnet.utils.set_random_seed(1)
    agent = DDPGAgent(actor(), critic(), Box(-2.0, 2.0, (1,)), tau=0.5, batch_size=8, learning_starts=8, seed=0,
                      actor_optimizer=glassnet.optimizers.SGD(learning_rate=0.05),
                      critic_optimizer=glassnet.optimizers.SGD(learning_rate=0.0))   # freeze the critic
    states = np.random.default_rng(0).normal(size=(8, 3)).astype(np.float32)
    agent.build(states[0])
    critic_before = [w.copy() for w in agent.critic.get_weights()]
    target_before = [w.copy() for w in agent.critic_target.get_weights()]

    def mean_q():
        with glassnet.no_grad():
            return float(agent.critic(np.concatenate([states, agent.actor(states).numpy()], axis=1)).numpy().mean())

    batch = {"states": states, "actions": np.zeros((8, 1), np.float32), "rewards": np.zeros(8, np.float32),
             "next_states": states, "dones": np.zeros(8, np.float32)}
    q0 = mean_q()
    agent.train_step(batch)
    assert mean_q() > q0                                  # J(φ) = −mean Q(s, μ(s)) went down
    for w, w0 in zip(agent.critic.get_weights(), critic_before):
        np.testing.assert_array_equal(w, w0)              # the actor step does not touch the critic
    for w, w0, w_online in zip(agent.critic_target.get_weights(), target_before, critic_before):
        np.testing.assert_allclose(w, 0.5 * w_online + 0.5 * w0, rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(agent.to_env(np.array([-1.0, 0.0, 1.0])), [-2.0, 0.0, 2.0])


def test_bad_input():
    with pytest.raises(ValueError, match="DDPGAgent needs a continuous action space.*DQNAgent"):
        DDPGAgent(actor(), critic(), Discrete(2))
    with pytest.raises(ValueError, match="finite action bounds"):
        DDPGAgent(actor(), critic(), Box(-np.inf, np.inf, (1,)))
    with pytest.raises(ValueError, match="actor outputs actions of shape"):
        DDPGAgent(actor(), critic(), Box(-1.0, 1.0, (2,))).build(np.zeros(3))


def test_gymnasium_spaces_are_checked_too():
    spaces = pytest.importorskip("gymnasium.spaces")
    with pytest.raises(ValueError, match="continuous action space"):
        DDPGAgent(actor(), critic(), spaces.Discrete(3))
