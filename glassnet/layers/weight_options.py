"""The three options of each weight a layer creates: initializer, regularizer, constraint.

A layer with weights named by prefixes ("kernel", "recurrent", "bias", "depthwise") stores
``{prefix}_initializer``, ``{prefix}_regularizer`` and ``{prefix}_constraint`` (Keras's
argument names), creates each weight with them, and lists them in its config — once, here,
for convolutions and recurrent cells alike.
"""
from __future__ import annotations

from .. import constraints, initializers, regularizers
from .registry import serialize_component


class WeightOptions:
    """Mixin for a ``Layer``: weights named by a prefix, each with its three options."""

    def _set_weight_options(self, prefix, initializer, regularizer, constraint) -> None:
        setattr(self, f"{prefix}_initializer", initializers.get(initializer))
        setattr(self, f"{prefix}_regularizer", regularizers.get(regularizer))
        setattr(self, f"{prefix}_constraint", constraints.get(constraint))

    def _make_weight(self, prefix, shape, name, initializer=None):
        """A weight with the ``prefix`` options (``initializer`` overrides the stored one)."""
        return self.add_weight(shape=shape, initializer=initializer or getattr(self, f"{prefix}_initializer"),
                               regularizer=getattr(self, f"{prefix}_regularizer"),
                               constraint=getattr(self, f"{prefix}_constraint"), name=name)

    def _weight_config(self, *prefixes) -> dict:
        """``{prefix}_initializer`` for every prefix, then the regularizers, then the constraints."""
        config = {}
        for kind, namespace in (("initializer", initializers), ("regularizer", regularizers),
                                ("constraint", constraints)):
            for prefix in prefixes:
                config[f"{prefix}_{kind}"] = serialize_component(namespace, getattr(self, f"{prefix}_{kind}"))
        return config
