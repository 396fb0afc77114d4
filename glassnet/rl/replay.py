"""Experience replay: a fixed-size ring buffer of transitions (s, a, r, s', done).

Why: consecutive steps of one episode are strongly correlated, and training on them in
order makes the network chase its latest experience. Storing transitions and training on
random minibatches drawn from many past episodes breaks the correlation and reuses each
transition many times (Mnih et al., 2015).

Ring buffer: slot ``i = count mod capacity`` receives the next transition, so once the
buffer is full every new transition overwrites the oldest one.

    add:    data[i] ← (s, a, r, s', done);  i ← (i + 1) mod capacity;  size ← min(size + 1, capacity)
    sample: B distinct indices drawn uniformly from {0, …, size − 1} (without replacement)
"""
from __future__ import annotations

import numpy as np


class ReplayBuffer:
    """A ring buffer of transitions, sampled uniformly without replacement within a batch.

    Args:
        capacity: the most transitions kept; the oldest is overwritten first.
        seed: seed of the buffer's own random generator (sampling is reproducible).

    Arrays are allocated on the first ``add``, shaped from that transition: states keep
    their shape and dtype float32, actions keep theirs (int64 for a scalar int action).
    """

    def __init__(self, capacity, seed=None):
        if not isinstance(capacity, (int, np.integer)) or capacity < 1:
            raise ValueError(f"ReplayBuffer: capacity must be a positive int, got {capacity!r}")
        self.capacity = int(capacity)
        self.rng = np.random.default_rng(seed)
        self.size = 0            # how many slots hold a transition
        self.position = 0        # the slot the next transition goes to
        self._storage = None

    def __len__(self) -> int:
        return self.size

    def add(self, state, action, reward, next_state, done) -> None:
        """Store one transition, overwriting the oldest when the buffer is full."""
        state, next_state = np.asarray(state, np.float32), np.asarray(next_state, np.float32)
        action = np.asarray(action)
        if self._storage is None:
            action_dtype = np.int64 if np.issubdtype(action.dtype, np.integer) else np.float32
            self._storage = {
                "states": np.zeros((self.capacity,) + state.shape, np.float32),
                "actions": np.zeros((self.capacity,) + action.shape, action_dtype),
                "rewards": np.zeros(self.capacity, np.float32),
                "next_states": np.zeros((self.capacity,) + state.shape, np.float32),
                "dones": np.zeros(self.capacity, np.float32),
            }
        elif state.shape != self._storage["states"].shape[1:]:
            raise ValueError(f"ReplayBuffer.add: state shape {state.shape} differs from the buffer's "
                             f"{self._storage['states'].shape[1:]}")
        i = self.position
        self._storage["states"][i] = state
        self._storage["actions"][i] = action
        self._storage["rewards"][i] = reward
        self._storage["next_states"][i] = next_state
        self._storage["dones"][i] = float(done)
        self.position = (i + 1) % self.capacity
        self.size = min(self.size + 1, self.capacity)

    def sample(self, batch_size) -> dict:
        """A minibatch of ``batch_size`` distinct stored transitions, as a dict of arrays.

        Returns:
            ``{"states", "actions", "rewards", "next_states", "dones", "indices"}``, each with
            ``batch_size`` rows (``indices`` are the slots drawn).

        Raises:
            ValueError: the buffer holds fewer than ``batch_size`` transitions.
        """
        if not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
            raise ValueError(f"ReplayBuffer.sample: batch_size must be a positive int, got {batch_size!r}")
        if self.size < batch_size:
            raise ValueError(f"ReplayBuffer.sample: the buffer holds {self.size} transitions, fewer than "
                             f"batch_size={batch_size}; add more transitions before sampling (e.g. wait "
                             f"learning_starts steps)")
        indices = self.rng.choice(self.size, size=batch_size, replace=False)
        batch = {name: array[indices] for name, array in self._storage.items()}
        batch["indices"] = indices
        return batch
