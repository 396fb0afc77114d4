"""Shape arithmetic of sliding windows: the sizes convolution and pooling produce.

A window of f taps, ``dilation`` d apart, covers an effective span f_eff = (f − 1)·d + 1.
Slid over n positions padded with p on each side, ``stride`` s apart, it fits

    ⌊(n + 2p − f_eff) / s⌋ + 1                         (the course's formula, with d = 1)

times. The course's examples: a 6×6 image ⊛ a 3×3 filter → 4×4 ("valid", p = 0);
with p = 1 the output stays 6×6; with s = 2 and p = 0, a 7×7 image gives 3×3.

Keras's padding names fix p:

* ``"valid"``: p = 0; the windows that do not fit are dropped.
* ``"same"`` (stride 1 keeps the size; in general the output is ⌈n / s⌉): the total padding
  is max((⌈n/s⌉ − 1)·s + f_eff − n, 0), and when it is odd the extra pixel goes at the
  end (bottom/right), as in TensorFlow and Keras.
* ``"causal"`` (1-D only): f_eff − 1 zeros in front, none behind, so output t sees inputs ≤ t.
* an int p: the course's explicit symmetric padding.

A transposed convolution runs the map backwards (``transposed_output_length``).
"""
from __future__ import annotations

import numbers

PADDINGS = ("valid", "same", "causal")


def effective_size(filter_size: int, dilation: int = 1) -> int:
    """The span of a dilated window: (f − 1)·d + 1."""
    return (filter_size - 1) * dilation + 1


def padding_amounts(input_length: int, filter_size: int, padding, stride: int = 1,
                    dilation: int = 1) -> tuple[int, int]:
    """(before, after): the zeros added at each end of one axis for ``padding``."""
    span = effective_size(filter_size, dilation)
    if isinstance(padding, numbers.Integral) and not isinstance(padding, bool):
        return int(padding), int(padding)
    if padding == "valid":
        return 0, 0
    if padding == "causal":
        return span - 1, 0
    if padding == "same":
        out = -(-input_length // stride)
        total = max((out - 1) * stride + span - input_length, 0)
        return total // 2, total - total // 2
    raise ValueError(f"padding must be one of {PADDINGS} or an int, got {padding!r}")


def conv_output_length(input_length, filter_size: int, padding="valid", stride: int = 1,
                       dilation: int = 1):
    """Output length of a convolution or pooling along one axis: ⌊(n + 2p − f)/s⌋ + 1.

    Args:
        input_length: n, or None for an unknown length (returns None).
        filter_size: f, the number of taps of the window.
        padding: "valid", "same", "causal" or an int p (zeros on each side).
        stride: s. dilation: d (the window then spans (f − 1)·d + 1 inputs).

    >>> conv_output_length(6, 3)              # 6×6 ⊛ 3×3 → 4×4
    4
    >>> conv_output_length(6, 3, padding=1)   # p = 1 keeps 6×6
    6
    >>> conv_output_length(7, 3, stride=2)
    3
    """
    if input_length is None:
        return None
    before, after = padding_amounts(input_length, filter_size, padding, stride, dilation)
    span = effective_size(filter_size, dilation)
    return (input_length + before + after - span) // stride + 1


def transposed_output_length(input_length, filter_size: int, padding="valid", stride: int = 1,
                             dilation: int = 1, output_padding=None):
    """Output length of a transposed convolution along one axis (Keras's rule).

    "valid": (n − 1)·s + f_eff + e, with e = ``output_padding`` or by default max(f_eff, s) − f_eff
    (so n·s + max(f_eff − s, 0)).  "same": n·s, or (n − 1)·s + (f_eff mod 2) + e with an e.
    """
    if input_length is None:
        return None
    span = effective_size(filter_size, dilation)
    if padding not in ("valid", "same"):
        raise ValueError(f"a transposed convolution takes padding 'valid' or 'same', got {padding!r}")
    if padding == "valid":
        extra = max(span, stride) - span if output_padding is None else output_padding
        return (input_length - 1) * stride + span + extra
    if output_padding is None:
        return input_length * stride
    return (input_length - 1) * stride + span % 2 + output_padding


def transposed_crop(input_length: int, filter_size: int, padding="valid", stride: int = 1,
                    dilation: int = 1, output_padding=None) -> tuple[int, int]:
    """(start, length): the window of a transposed convolution's full output that Keras keeps.

    The full output, every stamp of every input, has (n − 1)·s + f_eff positions. Keras keeps
    ``transposed_output_length`` of them starting at ⌊(f_eff − s)/2⌋ for "same" (clipped at 0:
    TensorFlow's alignment, the adjoint of its "same" convolution) and at 0 for "valid";
    positions past the full output are zeros.
    """
    length = transposed_output_length(input_length, filter_size, padding, stride, dilation, output_padding)
    span = effective_size(filter_size, dilation)
    if padding == "valid":
        return 0, length
    total = (stride + span - 2) if output_padding is None else (span + span % 2 - 2 + output_padding)
    return max(span - 1 - (total + 1) // 2, 0), length
