"""Tabular Q-learning on a 4-state chain converges to the Q-table computed by hand."""
import numpy as np
import pytest

from glassnet.rl import QLearningAgent

from .fakes import Box, ChainEnv

# The chain 0 – 1 – 2 – 3 (terminal, reward 1 on arrival), actions 0 = left, 1 = right, γ = 0.9.
# Q*(s, a) = r + γ·max_a' Q*(s', a'):
#   Q*(2, right) = 1                                  (arrive at 3: reward 1, no future)
#   Q*(1, right) = γ·V(2) = 0.9·1       = 0.9
#   Q*(0, right) = γ·V(1) = 0.9·0.9     = 0.81
#   Q*(2, left)  = γ·V(1) = 0.9·0.9     = 0.81
#   Q*(1, left)  = γ·V(0) = 0.9·0.81    = 0.729
#   Q*(0, left)  = γ·V(0) = 0.9·0.81    = 0.729       (bump into the wall, stay at 0)
#   Q*(3, ·)     = 0                                  (terminal, never updated)
Q_STAR = np.array([[0.729, 0.81],
                   [0.729, 0.9],
                   [0.81, 1.0],
                   [0.0, 0.0]])


def test_one_update_by_hand():
    agent = QLearningAgent(4, 2, learning_rate=0.5, gamma=0.9, epsilon=0.0)
    agent.q_table[2] = [0.2, 0.4]
    td = agent.update(1, 1, 0.0, 2, False)          # y = 0 + 0.9·max(0.2, 0.4) = 0.36; Q ← 0 + 0.5·0.36
    assert td == pytest.approx(0.36) and agent.q_table[1, 1] == pytest.approx(0.18)
    agent.update(2, 1, 1.0, 3, True)                # done: y = 1;  Q ← 0.4 + 0.5·(1 − 0.4) = 0.7
    assert agent.q_table[2, 1] == pytest.approx(0.7)


def test_sweeps_converge_to_the_hand_computed_table():
    agent = QLearningAgent(4, 2, learning_rate=0.5, gamma=0.9, epsilon=0.0)
    env = ChainEnv()
    for _ in range(200):                            # every (s, a) once per sweep
        for s in range(3):
            for a in range(2):
                env.state = s
                s_next, r, terminated, _, _ = env.step(a)
                agent.update(s, a, r, s_next, terminated)
    np.testing.assert_allclose(agent.q_table, Q_STAR, atol=1e-6)
    np.testing.assert_array_equal(agent.greedy_policy()[:3], [1, 1, 1])


def test_episodes_with_exploration_converge_too():
    # ε = 1: a random walk; Q-learning is off-policy, so it still learns Q* (the greedy values)
    agent = QLearningAgent(4, 2, learning_rate=0.5, gamma=0.9, epsilon=1.0, seed=0)
    returns = agent.train(ChainEnv(), episodes=400)
    assert returns == [1.0] * 400                   # every walk ends at 3
    np.testing.assert_allclose(agent.q_table, Q_STAR, atol=1e-6)


def test_bad_input():
    with pytest.raises(ValueError, match="learning_rate"):
        QLearningAgent(4, 2, learning_rate=0.0)
    agent = QLearningAgent(4, 2)
    env = ChainEnv()
    env.action_space = Box(-1.0, 1.0, (1,))
    with pytest.raises(ValueError, match="needs a discrete action space"):
        agent.train(env, 1)
