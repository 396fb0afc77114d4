"""Short runs on the real environments (skipped without Gymnasium): everything is wired end to end."""
import numpy as np
import pytest

import glassnet
from glassnet import layers
from glassnet.rl import DDPGAgent, DQNAgent, LinearSchedule, OrnsteinUhlenbeckNoise

gym = pytest.importorskip("gymnasium")


def test_dqn_cartpole_a_few_hundred_steps():
    glassnet.utils.set_random_seed(0)
    env = gym.make("CartPole-v1")
    net = glassnet.Sequential([layers.Input((4,)), layers.Dense(16, activation="relu"), layers.Dense(2)])
    agent = DQNAgent(net, env.action_space, batch_size=16, learning_starts=50, target_update_every=50,
                     epsilon=LinearSchedule(1.0, 0.1, 200), double=True, seed=0)
    history = agent.learn(env, episodes=12, seed=0)          # ~20 steps an episode while random: ~250 steps
    assert history["steps"] == sum(history["returns"])        # +1 per step in CartPole
    assert history["steps"] > agent.learning_starts and agent.buffer.size == history["steps"]
    returns = agent.evaluate(env, 2, seed=1)
    assert len(returns) == 2 and all(r >= 1 for r in returns)


def test_dqn_cartpole_stops_at_its_step_count():
    env = gym.make("CartPole-v1")
    net = glassnet.Sequential([layers.Input((4,)), layers.Dense(8, activation="relu"), layers.Dense(2)])
    agent = DQNAgent(net, env.action_space, batch_size=8, learning_starts=8, seed=0)
    history = agent.learn(env, episodes=3, seed=0)
    assert len(history["returns"]) == 3 and history["solved_at"] is None


def test_ddpg_pendulum_a_few_hundred_steps():
    glassnet.utils.set_random_seed(0)
    env = gym.make("Pendulum-v1")
    actor = glassnet.Sequential([layers.Input((3,)), layers.Dense(16, activation="relu"),
                                 layers.Dense(1, activation="tanh")])
    critic = glassnet.Sequential([layers.Input((4,)), layers.Dense(16, activation="relu"), layers.Dense(1)])
    agent = DDPGAgent(actor, critic, env.action_space, batch_size=16, learning_starts=100,
                      noise=OrnsteinUhlenbeckNoise(1, sigma=0.2, dt=1.0, seed=0), seed=0)
    history = agent.learn(env, episodes=2, seed=0)            # 2 × 200 steps, 300 of them training
    assert history["steps"] == 400 and len(history["returns"]) == 2
    assert all(-2000 < r <= 0 for r in history["returns"])
    action = agent.to_env(agent.act(np.zeros(3, np.float32), explore=False))
    assert action.shape == (1,) and -2.0 <= action[0] <= 2.0
