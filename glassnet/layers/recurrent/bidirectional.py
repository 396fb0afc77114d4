"""Reading a sequence both ways: one RNN forward in time, a copy backward, outputs merged."""
from __future__ import annotations

from ... import ops
from ..base import Layer, flatten

MERGE_MODES = ("concat", "sum", "mul", "ave", None)


class Bidirectional(Layer):
    """Runs ``layer`` forward and a twin backward in time, and merges their outputs.

    Formula (with return_sequences):
        →y_t = RNN_fwd(x_1 … x_t),   ←y_t = RNN_bwd(x_T … x_t),   y_t = merge(→y_t, ←y_t)
    merge: "concat" [→y, ←y] (2·units), "sum" →y + ←y, "mul" →y ⊙ ←y, "ave" (→y + ←y)/2,
    None: the pair (→y, ←y). The backward layer returns its steps last-first (go_backwards);
    they are flipped back so that ←y_t lines up with →y_t.

    Args:
        layer: an RNN layer (SimpleRNN, LSTM, GRU, RNN); a fresh copy named
            "forward_<name>" runs forward, another named "backward_<name>" with
            ``go_backwards=True`` runs backward (its own weights).
        merge_mode: "concat", "sum", "mul", "ave" or None.
        backward_layer: optional layer to use as the backward half (must go backwards and
            agree with ``layer`` on stateful, return_sequences and return_state).

    Call arguments: ``initial_state`` (the forward states, then the backward ones), ``mask``,
    ``training`` — passed to both halves. As in Keras, masked steps of a merged sequence
    output zeros (``zero_output_for_mask`` is set to ``return_sequences`` on both halves).

    Output: the merged output; with ``return_state``, then the forward states, then the
    backward states.
    """

    def __init__(self, layer, merge_mode="concat", weights=None, backward_layer=None, **kwargs):
        from ..registry import deserialize, serialize
        if not isinstance(layer, Layer):
            raise ValueError(f"Bidirectional: layer must be a Layer instance, got {layer!r}")
        if backward_layer is not None and not isinstance(backward_layer, Layer):
            raise ValueError(f"Bidirectional: backward_layer must be a Layer instance, got {backward_layer!r}")
        if merge_mode not in MERGE_MODES:
            raise ValueError(f"Bidirectional: merge_mode must be one of {MERGE_MODES}, got {merge_mode!r}")
        super().__init__(**kwargs)
        config = serialize(layer)
        config["config"]["name"] = "forward_" + layer.name.removeprefix("forward_")
        self.forward_layer = deserialize(config)
        if backward_layer is None:
            config = serialize(layer)
            config["config"]["go_backwards"] = True
            config["config"]["name"] = "backward_" + layer.name.removeprefix("backward_")
            backward_layer = deserialize(config)
        self.backward_layer = backward_layer
        self._verify_halves()
        for half in (self.forward_layer, self.backward_layer):
            if getattr(half, "zero_output_for_mask", None) is not None:
                half.zero_output_for_mask = half.return_sequences
        self.merge_mode = merge_mode
        self._initial_weights = weights
        self.stateful = layer.stateful
        self.return_sequences = layer.return_sequences
        self.return_state = layer.return_state

    supports_masking = True

    @property
    def shape_by_arithmetic(self) -> bool:
        return self.merge_mode is not None and not self.return_state

    def compute_mask(self, inputs, mask=None):
        mask = mask[0] if isinstance(mask, (list, tuple)) else mask
        output_mask = mask if self.return_sequences else None
        outputs = [output_mask, output_mask] if self.merge_mode is None else [output_mask]
        if not self.return_state:
            return outputs[0] if len(outputs) == 1 else outputs
        return outputs + [None] * (2 * len(self.forward_layer.state_size))

    def _verify_halves(self) -> None:
        forward, backward = self.forward_layer, self.backward_layer
        if forward.go_backwards == backward.go_backwards:
            raise ValueError(f"Bidirectional: the forward and backward layers must differ in go_backwards, both "
                             f"have go_backwards={forward.go_backwards}")
        for attribute in ("stateful", "return_sequences", "return_state"):
            if getattr(forward, attribute) != getattr(backward, attribute):
                raise ValueError(f"Bidirectional: the forward and backward layers must agree on {attribute}, got "
                                 f"{getattr(forward, attribute)} and {getattr(backward, attribute)}")

    def build(self, sequences_shape, initial_state_shape=None):
        self.forward_layer.build_once(tuple(sequences_shape))
        self.backward_layer.build_once(tuple(sequences_shape))
        if self._initial_weights:
            self.set_weights(self._initial_weights)
            self._initial_weights = None

    def call(self, sequences, initial_state=None, mask=None, training=None):
        forward_state = backward_state = None
        if initial_state is not None:
            initial_state = list(initial_state)
            count = [len(flatten(half.state_size)) for half in (self.forward_layer, self.backward_layer)]
            if len(initial_state) != sum(count):     # checked before either half (or its states) moves
                raise ValueError(f"{self.name}: initial_state must be {count[0]} forward then {count[1]} backward "
                                 f"state(s), got {len(initial_state)} of shapes "
                                 f"{[tuple(getattr(s, 'shape', ())) for s in initial_state]}")
            half = count[0]
            forward_state, backward_state = initial_state[:half], initial_state[half:]
        y = self.forward_layer(sequences, initial_state=forward_state, mask=mask, training=training)
        y_rev = self.backward_layer(sequences, initial_state=backward_state, mask=mask, training=training)
        states = ()
        if self.return_state:
            states = tuple(y[1:]) + tuple(y_rev[1:])
            y, y_rev = y[0], y_rev[0]
        if self.return_sequences:
            y_rev = ops.getitem(y_rev, (slice(None), slice(None, None, -1)))
        output = self._merge(y, y_rev)
        if not self.return_state:
            return output
        return (*output, *states) if self.merge_mode is None else (output, *states)

    def _merge(self, y, y_rev):
        if self.merge_mode == "concat":
            return ops.concatenate([y, y_rev], axis=-1)
        if self.merge_mode == "sum":
            return y + y_rev
        if self.merge_mode == "mul":
            return y * y_rev
        if self.merge_mode == "ave":
            return (y + y_rev) * 0.5
        return (y, y_rev)

    def compute_output_shape(self, sequences_shape, initial_state_shape=None):
        shape = self.forward_layer.compute_output_shape(sequences_shape)
        states = ()
        if self.return_state:
            shape, states = shape[0], tuple(shape[1:])
        if self.merge_mode == "concat":
            shape = (*shape[:-1], 2 * shape[-1])
        outputs = (shape, shape) if self.merge_mode is None else (shape,)
        if not self.return_state:
            return outputs if self.merge_mode is None else shape
        return (*outputs, *states, *states)

    def reset_states(self) -> None:
        self.forward_layer.reset_states()
        self.backward_layer.reset_states()

    def get_config(self) -> dict:
        from ..registry import serialize
        return {**super().get_config(), "merge_mode": self.merge_mode, "layer": serialize(self.forward_layer),
                "backward_layer": serialize(self.backward_layer)}

    @classmethod
    def from_config(cls, config):
        from ..registry import deserialize
        config = dict(config)
        layer = deserialize(config.pop("layer"))
        backward = config.pop("backward_layer", None)
        return cls(layer, backward_layer=None if backward is None else deserialize(backward), **config)
