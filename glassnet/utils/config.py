"""``Config``: a dictionary of named settings read and written as attributes, that can be frozen."""
from __future__ import annotations

import copy
import difflib
import json


class Config:
    """Named settings, as ``keras.utils.Config``::

        config = Config(learning_rate=0.1, momentum=0.9)
        config.seed = 123              # same as config["seed"] = 123
        config.freeze()                # from here on, changing it raises ValueError
        config.to_json()               # '{"learning_rate": 0.1, "momentum": 0.9, "seed": 123}'

    It behaves as a dict (``keys``, ``values``, ``items``, ``get``, ``pop``, ``update``,
    ``[key]``); iterating gives the keys in sorted order, as Keras's does.

    Raises:
        ValueError: on any change while frozen.
        AttributeError: reading an unknown name (with the closest known name, if any).
    """

    _OWN = frozenset({"_config", "_frozen"})

    def __init__(self, **kwargs):
        object.__setattr__(self, "_config", dict(kwargs))
        object.__setattr__(self, "_frozen", False)

    @property
    def frozen(self) -> bool:
        """Whether changes are refused."""
        return self._frozen

    def freeze(self) -> None:
        """Refuse every change from now on (until ``unfreeze``)."""
        object.__setattr__(self, "_frozen", True)

    def unfreeze(self) -> None:
        """Accept changes again."""
        object.__setattr__(self, "_frozen", False)

    def _raise_if_frozen(self) -> None:
        if self._frozen:
            raise ValueError("Config: cannot change a frozen config (call unfreeze() first)")

    def as_dict(self) -> dict:
        """A shallow copy of the settings as a plain dict."""
        return copy.copy(self._config)

    def to_json(self) -> str:
        """The settings as a JSON string."""
        return json.dumps(self._config)

    def keys(self):
        return self._config.keys()

    def values(self):
        return self._config.values()

    def items(self):
        return self._config.items()

    def get(self, keyname, value=None):
        return self._config.get(keyname, value)

    def pop(self, *args):
        self._raise_if_frozen()
        return self._config.pop(*args)

    def update(self, *args, **kwargs):
        self._raise_if_frozen()
        return self._config.update(*args, **kwargs)

    def __setattr__(self, name, value):
        if name in self._OWN or name in type(self).__dict__:
            raise AttributeError(f"Config: {name!r} is a Config attribute, not a setting")
        self[name] = value

    def __getattr__(self, name):
        config = object.__getattribute__(self, "_config")
        if name in config:
            return config[name]
        message = f"Config: unknown attribute {name!r}."
        closest = difflib.get_close_matches(name, list(config), n=1, cutoff=0.7)
        if closest:
            message += f" Did you mean {closest[0]!r}?"
        raise AttributeError(message)

    def __setitem__(self, key, item):
        self._raise_if_frozen()
        self._config[key] = item

    def __getitem__(self, key):
        return self._config[key]

    def __contains__(self, item) -> bool:
        return item in self._config

    def __len__(self) -> int:
        return len(self._config)

    def __iter__(self):
        return iter(sorted(self._config))

    def __repr__(self) -> str:
        return f"<Config {self._config}>"
