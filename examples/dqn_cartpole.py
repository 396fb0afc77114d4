"""DQN on CartPole-v1: experience replay, a target network, ε-greedy, Huber loss (glassnet.rl.DQNAgent).

CartPole: push a cart left or right (2 actions) to keep a pole upright; +1 per step, at most
500 steps. The classic "solved" bar is an average return ≥ 195 over 100 consecutive episodes.

The example trains until the mean of the last 100 *training* episodes (ε-greedy, still
learning) reaches 195, then freezes the network and plays 100 consecutive *greedy* episodes
and reports their mean too. It prints episodes, env steps and wall time, and saves the return
curve as a PNG.

Run: ``python examples/dqn_cartpole.py`` (needs ``pip install gymnasium``). Measured with the
defaults (seed 0, double DQN, on two cores shared with other jobs, load average ~12): the
training mean reached 195 at episode 180 (21 888 env steps, 80.5 s); the frozen greedy network
then averaged 488.0 over 100 consecutive episodes (min 196); 87 s in all. The same run when
the load average was ~4: identical returns, 25.1 s of training, 29.9 s in all. ``--no-double`` uses
the plain DQN target.

How the defaults were chosen (seed 0, same machine, Adam with clipnorm 10, double DQN):
  lr 5e-4, θ′ ← θ every 1000 steps, ε over 20 000 steps: training mean near 90 after 590 episodes;
  lr 1e-3, every 500, ε over 10 000: ~45 after 390 episodes (it had reached ~115, then fell back);
  lr 1e-3, every 100, ε over 5 000: solved at episode 262 (greedy mean 429.1);
  lr 1e-3, every 200, ε over 5 000 (the defaults): solved at episode 180.
Other seeds with the defaults: seed 1 solved at episode 290 (greedy mean 500.0), seed 2 at 339
(greedy mean 204.4, min 183). DQN on CartPole is known to be sensitive to these settings.
"""
import argparse
import os
import time

# Small matrices (a batch of 64 through 64-unit layers): one BLAS thread is faster than a pool
# that fights for the cores, much faster on a busy machine (measured here: ~6.5 vs ~10 ms per env step).
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

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


def q_network(n_inputs, n_actions, units):
    return glassnet.Sequential([layers.Input((n_inputs,)), layers.Dense(units, activation="relu"),
                                layers.Dense(units, activation="relu"), layers.Dense(n_actions)])


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
    parser.add_argument("--double", action=argparse.BooleanOptionalAction, default=True,
                        help="double-DQN target (--no-double: the plain DQN max)")
    parser.add_argument("--learning-rate", type=float, default=1e-3)
    parser.add_argument("--target-update-every", type=int, default=200, help="env steps between θ′ ← θ")
    parser.add_argument("--epsilon-steps", type=int, default=5_000, help="steps for ε to fall from 1 to 0.02")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--units", type=int, default=64, help="width of the two hidden layers")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", default="dqn_cartpole_returns.png")
    args = parser.parse_args()

    glassnet.utils.set_random_seed(args.seed)
    env = gym.make("CartPole-v1")
    env.action_space.seed(args.seed)
    agent = DQNAgent(q_network(env.observation_space.shape[0], env.action_space.n, args.units), env.action_space,
                     gamma=0.99, optimizer=glassnet.optimizers.Adam(learning_rate=args.learning_rate, clipnorm=10.0),
                     buffer_size=50_000, batch_size=args.batch_size, learning_starts=1_000, train_every=1,
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
