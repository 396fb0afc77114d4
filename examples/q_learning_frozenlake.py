"""Tabular Q-learning on FrozenLake-v1 (4×4, slippery) with an ε-greedy schedule (glassnet.rl.QLearningAgent).

FrozenLake: walk from S to G over frozen tiles F without falling into a hole H; the ice is
slippery (the intended move happens with probability 1/3, each perpendicular one with 1/3),
reward 1 only on reaching G, episodes end at a hole, at G, or after 100 steps::

    S F F F
    F H F H
    F F F H
    H F F G

Update after every step:  Q(s, a) ← Q(s, a) + α·(r + γ·(1 − done)·max_a' Q(s', a') − Q(s, a)).
Even the optimal policy reaches G only about 74 % of the time on this map (the ice pushes you).

The example trains, then plays 1000 greedy episodes and reports the success rate, prints the
greedy policy as arrows, and saves the success-rate curve as a PNG.

Run: ``python examples/q_learning_frozenlake.py`` (needs ``pip install gymnasium``; 20 000 episodes took
101 s on a busy two-core machine: greedy success rate 0.717).
"""
import argparse
import time

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from glassnet.rl import ExponentialSchedule, QLearningAgent  # noqa: E402

try:
    import gymnasium as gym
except ImportError as error:  # pragma: no cover - an optional dependency
    raise SystemExit("this example needs Gymnasium: pip install 'gymnasium>=0.29'") from error

ARROWS = "←↓→↑"    # FrozenLake's actions 0..3: left, down, right, up


def greedy_success_rate(agent, env, episodes, seed):
    wins = 0
    for episode in range(episodes):
        state, _ = env.reset(seed=seed if episode == 0 else None)
        done = False
        while not done:
            state, reward, terminated, truncated, _ = env.step(agent.act(state, greedy=True))
            done = terminated or truncated
        wins += reward > 0
    return wins / episodes


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--episodes", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", default="q_learning_frozenlake.png")
    args = parser.parse_args()

    env = gym.make("FrozenLake-v1", map_name="4x4", is_slippery=True)
    env.action_space.seed(args.seed)
    agent = QLearningAgent(env.observation_space.n, env.action_space.n, learning_rate=0.05, gamma=0.99,
                           epsilon=ExponentialSchedule(start=1.0, end=0.05, decay=0.99995), seed=args.seed)
    start = time.perf_counter()
    returns = agent.train(env, args.episodes, seed=args.seed)
    seconds = time.perf_counter() - start
    rate = greedy_success_rate(agent, env, 1000, seed=args.seed + 1000)

    print(f"trained {args.episodes} episodes ({agent.steps} steps) in {seconds:.1f} s; "
          f"success rate while training (last 1000, ε-greedy) {np.mean(returns[-1000:]):.3f}")
    print(f"greedy policy: success rate {rate:.3f} over 1000 episodes (the optimum on this map is about 0.74)")
    desc = env.unwrapped.desc.astype(str)
    policy = agent.greedy_policy().reshape(desc.shape)
    for row_desc, row_policy in zip(desc, policy):
        print("  " + " ".join(c if c in "HG" else ARROWS[a] for c, a in zip(row_desc, row_policy)))
    print("V(s) = max_a Q(s, a):\n" + np.array2string(agent.q_table.max(axis=1).reshape(desc.shape), precision=3))

    fig, ax = plt.subplots(figsize=(8, 4))
    window = 500
    rolling = np.convolve(returns, np.ones(window) / window, mode="valid")
    ax.plot(np.arange(window, len(returns) + 1), rolling, label=f"training success rate (mean of {window})")
    ax.axhline(rate, color="tab:green", ls="--", label=f"greedy policy {rate:.3f}")
    ax.set_xlabel("episode")
    ax.set_ylabel("success rate")
    ax.set_ylim(0, 1)
    ax.set_title("Q-learning on FrozenLake-v1 4×4 slippery (glassnet)")
    ax.legend(loc="upper left")
    fig.tight_layout()
    fig.savefig(args.out, dpi=100)
    plt.close(fig)
    print(f"curve: {args.out}")


if __name__ == "__main__":
    main()
