"""Stand-ins for Gymnasium's spaces and a 4-state chain env, so the unit tests need no Gymnasium."""
import numpy as np


class Discrete:
    def __init__(self, n):
        self.n = n
        self.shape = ()


class Box:
    def __init__(self, low, high, shape):
        self.low = np.full(shape, low, np.float32)
        self.high = np.full(shape, high, np.float32)
        self.shape = shape


class ChainEnv:
    """States 0 1 2 3 in a row; action 0 = left (stays at 0 at the wall), 1 = right.

    Reaching state 3 gives reward 1 and ends the episode; every other step gives 0.
    """

    observation_space = Discrete(4)
    action_space = Discrete(2)

    def reset(self, seed=None):
        self.state = 0
        return self.state, {}

    def step(self, action):
        self.state = max(self.state - 1, 0) if action == 0 else self.state + 1
        done = self.state == 3
        return self.state, float(done), done, False, {}


