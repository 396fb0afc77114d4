"""DQN: the target uses the target network and masks `done`; double DQN selects with θ, evaluates with θ′."""
import numpy as np
import pytest

import glassnet
from glassnet import layers
from glassnet.rl import DQNAgent, dqn_targets, hard_update

from .fakes import Box, ChainEnv, Discrete


def linear_q_network():
    return glassnet.Sequential([layers.Input((2,)), layers.Dense(2, use_bias=False)])


def agent_with_kernels(online_kernel, target_kernel, **kwargs):
    agent = DQNAgent(linear_q_network(), Discrete(2), gamma=0.9, batch_size=2, learning_starts=2, **kwargs)
    agent.build(np.zeros(2, np.float32))
    agent.q_network.set_weights([np.array(online_kernel, np.float32)])
    agent.target_network.set_weights([np.array(target_kernel, np.float32)])
    return agent


# A hand-built batch of two transitions, γ = 0.9:
#   row 0: r = 1,   s' = [1, 1], not done
#   row 1: r = 0.5, s' = [2, 0], done (the pole fell: no future)
BATCH = {"states": np.array([[1, 0], [0, 1]], np.float32), "actions": np.array([1, 0]),
         "rewards": np.array([1.0, 0.5], np.float32), "next_states": np.array([[1, 1], [2, 0]], np.float32),
         "dones": np.array([0.0, 1.0], np.float32)}
# Q(s') = s'·W (a linear net without bias).
ONLINE = [[3, 0], [0, 1]]      # Q_online([1, 1]) = [3, 1]: argmax 0
TARGET = [[1, 0], [0, 2]]      # Q_target([1, 1]) = [1, 2]: max 2


def test_dqn_target_uses_the_target_network_and_masks_done():
    agent = agent_with_kernels(ONLINE, TARGET)
    # row 0: y = 1 + 0.9·max(1, 2) = 2.8 (the online net would give 1 + 0.9·3 = 3.7)
    # row 1: y = 0.5 + 0.9·(1 − 1)·… = 0.5
    np.testing.assert_allclose(agent.compute_targets(BATCH), [2.8, 0.5], atol=1e-6)


def test_double_dqn_selects_with_online_evaluates_with_target():
    agent = agent_with_kernels(ONLINE, TARGET, double=True)
    # row 0: a* = argmax Q_online(s') = argmax [3, 1] = 0;  y = 1 + 0.9·Q_target(s', 0) = 1 + 0.9·1 = 1.9
    np.testing.assert_allclose(agent.compute_targets(BATCH), [1.9, 0.5], atol=1e-6)
    np.testing.assert_allclose(
        dqn_targets([0.0], [0.0], [[5.0, 7.0]], 0.5, next_q_online=[[9.0, 1.0]]), [2.5])   # 0.5·Q_target(s', 0)
    np.testing.assert_allclose(dqn_targets([0.0], [0.0], [[5.0, 7.0]], 0.5), [3.5])      # 0.5·max


def test_train_step_moves_only_the_taken_actions_value():
    agent = agent_with_kernels(ONLINE, TARGET, optimizer=glassnet.optimizers.SGD(learning_rate=0.1))
    batch = {name: value[:1] for name, value in BATCH.items()}       # s = [1, 0], a = 1, y = 2.8
    agent.batch_size = 1
    before = agent.q_network.get_weights()[0].copy()
    loss = agent.train_step(batch)
    after = agent.q_network.get_weights()[0]
    # Q(s, 1) = s·W[:, 1] = 0; error 2.8 > δ = 1, so Huber = δ·(|e| − δ/2) = 2.3 and dL/dQ = −1;
    # dQ/dW[0, 1] = s_0 = 1 → W[0, 1] ← 0 − 0.1·(−1) = 0.1; column 0 (action not taken) unchanged.
    assert loss == pytest.approx(2.3, abs=1e-6)
    np.testing.assert_allclose(after[:, 0], before[:, 0], atol=0)
    np.testing.assert_allclose(after[:, 1], [0.1, 1.0], atol=1e-6)
    np.testing.assert_allclose(agent.target_network.get_weights()[0], TARGET, atol=0)   # θ′ untouched
    hard_update(agent.target_network, agent.q_network)
    np.testing.assert_array_equal(agent.target_network.get_weights()[0], after)


def test_target_network_updates_every_n_steps_only():
    agent = agent_with_kernels(ONLINE, TARGET, target_update_every=3)
    s = np.array([1.0, 0.0], np.float32)
    for step in range(1, 4):
        agent.observe(s, 1, 1.0, s, False)
        target = agent.target_network.get_weights()[0]
        if step < 3:
            np.testing.assert_array_equal(target, TARGET)
        else:
            np.testing.assert_array_equal(target, agent.q_network.get_weights()[0])


def test_bad_input():
    with pytest.raises(ValueError, match="DQNAgent needs a discrete action space.*DDPGAgent"):
        DQNAgent(linear_q_network(), Box(-2.0, 2.0, (1,)))
    with pytest.raises(ValueError, match="outputs 2 values per state, the action space has 3"):
        DQNAgent(linear_q_network(), Discrete(3)).build(np.zeros(2))
    with pytest.raises(ValueError, match="the env has 2 actions, the agent was made for 3"):
        DQNAgent(linear_q_network(), Discrete(3)).learn(ChainEnv(), 1)
    with pytest.raises(ValueError, match="learning_starts"):
        DQNAgent(linear_q_network(), Discrete(2), batch_size=64, learning_starts=10)


def test_gymnasium_spaces_are_checked_too():
    spaces = pytest.importorskip("gymnasium.spaces")
    with pytest.raises(ValueError, match="discrete action space"):
        DQNAgent(linear_q_network(), spaces.Box(-1.0, 1.0, (1,)))
    assert DQNAgent(linear_q_network(), spaces.Discrete(2)).n_actions == 2
