"""Model: a Layer that can be trained (``compile``/``fit``/``evaluate``/``predict``) and saved.

Three ways to make one, as in Keras:

* functional — ``Model(inputs, outputs)`` on symbolic tensors from ``Input`` (returns a
  ``Functional``, see ``functional.py``);
* ``Sequential([...])`` — a stack of layers (``sequential.py``);
* subclassing — create the layers in ``__init__`` (after ``super().__init__()``) and write
  the forward pass in ``call``::

      class MLP(glassnet.Model):
          def __init__(self):
              super().__init__()
              self.hidden = Dense(32, activation="relu")
              self.out = Dense(10, activation="softmax")

          def call(self, inputs, training=False):
              return self.out(self.hidden(inputs))

Custom training, as in Keras 3: override ``train_step(data)`` (and ``test_step``,
``predict_step``); ``fit``/``evaluate``/``predict`` call it once per batch and run the
callbacks around it. Take gradients with ``glassnet.GradientTape`` (or
``glassnet.value_and_grad``) and apply them with ``self.optimizer.apply(grads, variables)``::

      class CustomModel(glassnet.Model):
          def train_step(self, data):
              x, y = data
              with glassnet.GradientTape() as tape:
                  y_pred = self(x, training=True)
                  loss = self.compute_loss(y=y, y_pred=y_pred)
              grads = tape.gradient(loss, self.trainable_variables)
              self.optimizer.apply(grads, self.trainable_variables)
              return self.compute_metrics(x, y, y_pred, loss=loss)

The training loop itself lives in ``trainer.py``, one step of it in ``steps.py``; the
summary table in ``summary.py``.
"""
from __future__ import annotations

import numpy as np

from ..layers.base import Layer
from ..tensor import no_grad
from .trainer import Trainer

_functional_subclasses: dict = {}


def _is_functional_call(args, kwargs) -> bool:
    """True for ``Model(inputs, outputs)`` / ``Model(inputs=..., outputs=...)``."""
    return (len(args) == 2 or (len(args) == 1 and "outputs" in kwargs)
            or ("inputs" in kwargs and "outputs" in kwargs))


class Model(Trainer, Layer):
    """A layer with a training loop: groups layers into an object with ``fit``/``predict``.

    ``Model(inputs, outputs, name=None)`` builds a functional model; ``Model(name=None)``
    from a subclass's ``__init__`` starts a subclassed one.

    Args:
        inputs, outputs: for a functional model (see ``Functional``).
        name: the model's name.
        trainable: whether its weights are updated by training.
        dtype: the float dtype of its weights.
    """

    def __new__(cls, *args, **kwargs):
        if cls is Model and _is_functional_call(args, kwargs):
            from .functional import Functional
            return object.__new__(Functional)
        return object.__new__(cls)

    def __init__(self, *args, **kwargs):
        from .functional import Functional

        if _is_functional_call(args, kwargs):
            if not isinstance(self, Functional):
                # A subclass calling super().__init__(inputs, outputs) becomes a functional
                # subclass: its own methods first, then the graph machinery.
                cls = type(self)
                if cls not in _functional_subclasses:
                    _functional_subclasses[cls] = type(cls.__name__, (cls, Functional),
                                                       {"__module__": cls.__module__, "__doc__": cls.__doc__})
                self.__class__ = _functional_subclasses[cls]
            Functional.__init__(self, *args, **kwargs)
            return
        if args:
            raise TypeError(f"{type(self).__name__}: unexpected positional arguments {args!r}; a functional model "
                            "takes Model(inputs, outputs), a subclassed one only keyword arguments (name=...)")
        Layer.__init__(self, **kwargs)
        self._init_trainer()

    # --- building -------------------------------------------------------------------
    def build_once(self, input_shape) -> None:
        """On the first call: a subclassed model's layers build themselves as ``call`` runs
        (unless the subclass defines its own ``build``)."""
        if self.built:
            return
        if type(self).build is Model.build:
            self._build_input_shape = input_shape
            self.built = True
        else:
            super().build_once(input_shape)

    def build(self, input_shape=None) -> None:
        """Create the weights by running the model once on zeros of ``input_shape``.

        Args:
            input_shape: a shape tuple with the batch axis (``(None, 64)``), or a list of
                them for several inputs. ``None`` axes become 1.
        """
        if self.built:
            return
        if input_shape is None:
            raise ValueError(f"{self.name}: build() needs input_shape, e.g. model.build((None, 64))")

        def zeros(shape):
            return np.zeros(tuple(1 if s is None else int(s) for s in shape), dtype=self.dtype)

        def is_shape(s):
            return isinstance(s, (tuple, list)) and all(d is None or isinstance(d, (int, np.integer)) for d in s)

        probe = zeros(input_shape) if is_shape(input_shape) else [zeros(s) for s in input_shape]
        self._build_input_shape = tuple(input_shape) if is_shape(input_shape) else list(input_shape)
        self.built = True
        with no_grad():
            self(probe, training=False)
        self._clear_losses()

    def build_from_config(self, config: dict) -> None:
        """Rebuild from ``get_build_config()`` (used when loading a saved model)."""
        shape = (config or {}).get("input_shape")
        if shape is not None and not self.built:
            self.build(shape)

    # --- looking inside -------------------------------------------------------------
    def get_layer(self, name=None, index=None) -> Layer:
        """A layer of the model by ``name`` or by ``index`` into ``model.layers``.

        Raises:
            ValueError: if neither or both are given, or no layer matches.
        """
        if (name is None) == (index is None):
            raise ValueError(f"{self.name}.get_layer: give exactly one of name= or index=, got name={name!r}, "
                             f"index={index!r}")
        layers = self.layers
        if index is not None:
            if not -len(layers) <= index < len(layers):
                raise ValueError(f"{self.name}.get_layer: index {index} out of range; the model has "
                                 f"{len(layers)} layers")
            return layers[index]
        for layer in layers:
            if layer.name == name:
                return layer
        raise ValueError(f"{self.name}.get_layer: no layer named {name!r}; layers: {[l.name for l in layers]}")

    def summary(self, line_length=None, positions=None, print_fn=None, expand_nested=False, show_trainable=False):
        """Print a table of the layers: name (type), output shape, parameter count.

        Args:
            line_length: total width of the table (default 98 with "Connected to",
                else 80).
            positions: the columns' right edges, as fractions or absolute positions.
            print_fn: called with each line (default ``print``).
            expand_nested: also list the layers inside nested models.
            show_trainable: add a column saying whether each layer is trainable.

        An unbuilt model (no ``Input``, no data seen yet) is listed too, as in Keras 3:
        output shapes "?" and parameter counts "0 (unbuilt)".
        """
        from .summary import print_summary
        print_summary(self, line_length=line_length, positions=positions, print_fn=print_fn,
                      expand_nested=expand_nested, show_trainable=show_trainable)

    # --- saving (the file formats live in glassnet.saving) ----------------------------
    def save(self, filepath, overwrite=True) -> None:
        """Save architecture, weights, compile configuration and optimizer state to ``filepath``
        (``glassnet.models.load_model`` reads it back)."""
        from .. import saving
        saving.save_model(self, filepath, overwrite=overwrite)

    def to_json(self, **kwargs) -> str:
        """The architecture (and compile settings) as JSON; ``glassnet.models.model_from_json``
        builds it again (see ``cloning.py``)."""
        from .cloning import to_json
        return to_json(self, **kwargs)

    def save_weights(self, filepath, overwrite=True) -> None:
        """Save only the weights (``model.weights`` order) to ``filepath``."""
        from .. import saving
        saving.save_weights(self, filepath, overwrite=overwrite)

    def load_weights(self, filepath) -> None:
        """Load weights saved by ``save_weights`` or ``save`` into this (built) model."""
        from .. import saving
        saving.load_weights(self, filepath)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name!r} built={self.built}>"
