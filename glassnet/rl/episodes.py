"""Playing whole episodes with a fixed policy: what ``evaluate`` of every agent does."""
from __future__ import annotations


def play(env, policy, episodes: int, seed=None) -> list:
    """The returns Σ_t r_t of ``episodes`` episodes of ``env`` acting by ``policy(state)``
    (no exploration, no learning); ``seed`` resets the environment's stream before the first."""
    returns = []
    for episode in range(episodes):
        state, _ = env.reset(seed=seed if episode == 0 else None)
        total, done = 0.0, False
        while not done:
            state, reward, terminated, truncated, _ = env.step(policy(state))
            total, done = total + float(reward), terminated or truncated
        returns.append(total)
    return returns
