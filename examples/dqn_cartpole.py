"""DQN on CartPole-v1: experience replay, a target network, ε-greedy, Huber loss (glassnet.rl.DQNAgent).

CartPole: push a cart left or right (2 actions) to keep a pole upright; +1 per step, at most
500 steps. The classic "solved" bar is an average return ≥ 195 over 100 consecutive episodes.

The example trains until the mean of the last 100 *training* episodes (ε-greedy, still
learning) reaches 195, then freezes the network and plays 100 consecutive *greedy* episodes
and reports their mean too. It prints episodes, env steps and wall time, and saves the return
curve as a PNG.

Run: ``python examples/dqn_cartpole.py`` (needs ``pip install gymnasium``; a few minutes on two
cores). ``--double`` uses the double-DQN target.
"""
import argparse
import time

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import glassnet  # noqa: E402
from glassnet import layers  # noqa: E402
from glassnet.rl import DQNAgent, LinearSchedule  # noqa: E402

try:
    import gymnasium as gym
except ImportError as error:  # pragma: no cover - an optional dependency
    raise SystemExit("this example needs Gymnasium: pip install 'gymnasium>=0.29'") from error


def q_network(n_inputs, n_actions):
    return glassnet.Sequential([layers.Input((n_inputs,)), layers.Dense(64, activation="relu"),
                                layers.Dense(64, activation="relu"), layers.Dense(n_actions)])


def plot_returns(returns, evaluation, target, path):
    fig, ax = plt.subplots(figsize=(8, 4.5))
    episodes = np.arange(1, len(returns) + 1)
    ax.plot(episodes, returns, lw=0.8, alpha=0.5, label="training return (ε-greedy)")
    mean = [np.mean(returns[max(0, i - 99):i + 1]) for i in range(len(returns))]
    ax.plot(episodes, mean, lw=2, label="mean of the last 100")
    eval_x = np.arange(len(returns) + 1, len(returns) + len(evaluation) + 1)
    ax.plot(eval_x, evaluation, lw=0.8, color="tab:green", label=f"greedy evaluation (mean {np.mean(evaluation):.1f})")
    ax.axhline(target, color="k", ls="--", lw=1, label=f"target {target}")
    ax.set_xlabel("episode")
    ax.set_ylabel("return")
    ax.set_title("DQN on CartPole-v1 (glassnet)")
    ax.legend(loc="upper left")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--episodes", type=int, default=600, help="the most training episodes")
    parser.add_argument("--target", type=float, default=195.0)
    parser.add_argument("--double", action="store_true", help="double-DQN target")
    parser.add_argument("--learning-rate", type=float, default=5e-4)
    parser.add_argument("--target-update-every", type=int, default=1000, help="env steps between θ′ ← θ")
    parser.add_argument("--epsilon-steps", type=int, default=20_000, help="steps for ε to fall from 1 to 0.02")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", default="dqn_cartpole_returns.png")
    args = parser.parse_args()

    glassnet.utils.set_random_seed(args.seed)
    env = gym.make("CartPole-v1")
    env.action_space.seed(args.seed)
    agent = DQNAgent(q_network(env.observation_space.shape[0], env.action_space.n), env.action_space,
                     gamma=0.99, optimizer=glassnet.optimizers.Adam(learning_rate=args.learning_rate, clipnorm=10.0),
                     buffer_size=50_000, batch_size=64, learning_starts=1_000, train_every=1,
                     target_update_every=args.target_update_every,
                     epsilon=LinearSchedule(1.0, 0.02, args.epsilon_steps),
                     double=args.double, seed=args.seed)
    start = time.perf_counter()
    history = agent.learn(env, args.episodes, target_return=args.target, window=100, seed=args.seed,
                          log_every=10)
    train_seconds = time.perf_counter() - start
    evaluation = agent.evaluate(env, 100, seed=args.seed + 1000)
    total_seconds = time.perf_counter() - start

    returns = history["returns"]
    print(f"training: {len(returns)} episodes, {history['steps']} env steps, {train_seconds:.1f} s; "
          f"mean of the last 100 training episodes {np.mean(returns[-100:]):.1f}"
          + (f" (target {args.target} reached at episode {history['solved_at']})" if history["solved_at"]
             else f" (target {args.target} NOT reached)"))
    print(f"greedy evaluation: mean return {np.mean(evaluation):.1f} over 100 consecutive episodes "
          f"(min {np.min(evaluation):.0f}); total wall time {total_seconds:.1f} s")
    plot_returns(returns, evaluation, args.target, args.out)
    print(f"return curve: {args.out}")


if __name__ == "__main__":
    main()
