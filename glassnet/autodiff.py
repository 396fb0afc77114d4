"""Gradients for a custom training loop: ``GradientTape`` and ``value_and_grad``.

glassnet records every op on tensors that require grad (Variables do), and
``loss.backward()`` runs the chain rule back to the leaves, *adding* into their ``.grad``
(see ``Tensor.backward``). In a custom loop that is awkward: two losses that share weights
(a GAN's generator loss runs through the discriminator) would add into each other's
gradients. These two helpers compute gradients *without touching any ``.grad``*:

    with glassnet.GradientTape() as tape:             # TensorFlow's shape
        loss = loss_fn(y, model(x, training=True))
    grads = tape.gradient(loss, model.trainable_weights)
    optimizer.apply(grads, model.trainable_weights)

    grad_fn = glassnet.value_and_grad(compute_loss)   # JAX's shape
    loss, grads = grad_fn(model.trainable_weights, x, y)

How ``gradient(target, sources)`` works: walk the graph of ``target`` to its leaves;
remember each leaf's ``.grad`` and clear it; ``target.backward()``; read dtarget/dsource
for each source (zeros where the target does not depend on it — TensorFlow returns
None there; ``unconnected_gradients="none"`` gives None too); put every leaf's ``.grad``
back as it was. So gradients are exact and nothing else changes.
"""
from __future__ import annotations

import numpy as np

from .tensor import Tensor, _topological_order, enable_grad, is_grad_enabled


def _leaves(target: Tensor) -> list:
    return [node for node in _topological_order(target) if node._ctx is None and node.requires_grad]


def gradients_of(target, sources, retain_graph=False, unconnected_gradients="zero") -> list:
    """d target / d s for each s in ``sources`` (a list of arrays), leaving every ``.grad`` as it was.

    Args:
        target: a scalar (one-element) Tensor built from the sources.
        sources: Tensors or Variables (a list or a single one).
        retain_graph: keep the graph for another gradient call.
        unconnected_gradients: "zero" (an array of zeros) or "none" (None) for a source
            the target does not depend on.

    Raises:
        ValueError: a target that is not a one-element Tensor, or a source that is not a Tensor.
        RuntimeError: a target that records no graph (computed under ``no_grad``, or from
            tensors that do not require grad).
    """
    if unconnected_gradients not in ("zero", "none"):
        raise ValueError(f"gradient: unconnected_gradients must be 'zero' or 'none', got {unconnected_gradients!r}")
    single = isinstance(sources, Tensor)
    sources = [sources] if single else list(sources)
    for i, source in enumerate(sources):
        if not isinstance(source, Tensor):
            raise ValueError(f"gradient: sources[{i}] is {type(source).__name__}, expected a Tensor or Variable")
    if not isinstance(target, Tensor) or target.size != 1:
        raise ValueError("gradient: the target must be a one-element Tensor (a scalar loss), got "
                         + (f"shape {target.shape}" if isinstance(target, Tensor) else type(target).__name__))
    if not target.requires_grad:
        raise RuntimeError("gradient: the target records no graph: compute it from Variables (or Tensors with "
                           "requires_grad=True) and not under glassnet.no_grad()")
    leaves = _leaves(target)
    saved = [leaf._grad for leaf in leaves]
    source_saved = [source._grad for source in sources]
    try:
        for leaf in leaves:
            leaf._grad = None
        for source in sources:
            source._grad = None
        target.backward(retain_graph=retain_graph)
        grads = []
        for source in sources:
            g = source._grad
            if g is None and unconnected_gradients == "zero":
                g = np.zeros_like(source.data)
            grads.append(g)
    finally:
        for leaf, grad in zip(leaves, saved):
            leaf._grad = grad
        for source, grad in zip(sources, source_saved):
            source._grad = grad
    return grads[0] if single else grads


class GradientTape:
    """A context in which ops are recorded, and ``tape.gradient(target, sources)`` afterwards.

    glassnet records ops whenever gradients are enabled, so the tape's work is to turn
    recording on (also inside ``no_grad``), to ``watch`` plain tensors, and to compute
    gradients without changing any ``.grad`` (see the module docstring).

    Args:
        persistent: allow several ``gradient`` calls on the same computation (the graph is
            kept); by default one call frees it, as in TensorFlow.
        watch_accessed_variables: accepted for TensorFlow compatibility (every Variable is
            always watched).
    """

    def __init__(self, persistent=False, watch_accessed_variables=True):
        self.persistent = bool(persistent)
        self._grad_context = None
        self._used = False

    def __enter__(self) -> "GradientTape":
        self._was_enabled = is_grad_enabled()
        if not self._was_enabled:             # record inside an outer no_grad, as a tape does
            self._grad_context = _EnableGrad()
            self._grad_context.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        if self._grad_context is not None:
            self._grad_context.__exit__(*exc)
            self._grad_context = None

    def watch(self, tensor) -> None:
        """Record ops on ``tensor`` (a float Tensor, or a list of them) from now on."""
        for t in tensor if isinstance(tensor, (list, tuple)) else [tensor]:
            if not isinstance(t, Tensor):
                raise ValueError(f"GradientTape.watch: expected a Tensor, got {type(t).__name__}")
            t.requires_grad = True

    def gradient(self, target, sources, output_gradients=None, unconnected_gradients="zero"):
        """d target / d source for each of ``sources`` (arrays, same structure: one or a list).

        Raises:
            RuntimeError: a second call on a tape that is not persistent.
        """
        if self._used and not self.persistent:
            raise RuntimeError("GradientTape.gradient can only be called once on a non-persistent tape; create "
                               "the tape with GradientTape(persistent=True) to call it several times")
        if output_gradients is not None:
            raise ValueError("GradientTape.gradient: output_gradients is not supported; multiply the target by "
                             "them first (target = sum(y * output_gradients))")
        self._used = True
        return gradients_of(target, sources, retain_graph=self.persistent,
                            unconnected_gradients=unconnected_gradients)


_EnableGrad = enable_grad   # turn recording on inside an outer ``no_grad`` (this thread only)


def value_and_grad(fn, argnums=0, has_aux=False):
    """``fn`` turned into a function that returns ``(value, gradients)`` (JAX's ``value_and_grad``).

    ``value_and_grad(f)(a, b, ...)`` returns ``(f(a, b, ...), ∂f/∂a)``: the gradient has the
    structure of the argument — one array for a Tensor, a list for a list of Variables
    (e.g. ``model.trainable_weights``). A NumPy array argument is wrapped in a Tensor that
    requires grad first. Nothing's ``.grad`` changes.

    Args:
        fn: a function returning a scalar Tensor, or ``(scalar, aux)`` with ``has_aux``.
        argnums: the position of the argument to differentiate with respect to, or a tuple
            of positions (then the gradients are a tuple, one entry per position).
        has_aux: ``fn`` returns ``(value, aux)``; the result is then ``((value, aux), grads)``.

    Example::

        def loss_fn(weights, x, y):
            return ops.mean((x @ weights[0] - y) ** 2)
        loss, (dW,) = glassnet.value_and_grad(loss_fn)([W], x, y)
    """
    positions = (argnums,) if isinstance(argnums, int) else tuple(argnums)

    def wrapped(*args, **kwargs):
        args = list(args)
        for p in positions:
            if p >= len(args):
                raise ValueError(f"value_and_grad: argnums {p} but the function was called with {len(args)} "
                                 "positional arguments")
            args[p] = _as_sources(args[p])
        with _EnableGrad():
            out = fn(*args, **kwargs)
        value, aux = (out if has_aux else (out, None))
        flat = [args[p] if isinstance(args[p], Tensor) else list(args[p]) for p in positions]
        sources = [t for item in flat for t in ([item] if isinstance(item, Tensor) else item)]
        grads = gradients_of(value, sources)
        grouped, i = [], 0
        for item in flat:
            if isinstance(item, Tensor):
                grouped.append(grads[i])
                i += 1
            else:
                grouped.append(grads[i:i + len(item)])
                i += len(item)
        result = grouped[0] if isinstance(argnums, int) else tuple(grouped)
        value = value.detach()
        return ((value, aux), result) if has_aux else (value, result)

    wrapped.__name__ = f"value_and_grad({getattr(fn, '__name__', 'fn')})"
    wrapped.__doc__ = fn.__doc__
    return wrapped


def _as_sources(argument):
    if isinstance(argument, Tensor):
        if not argument.requires_grad:
            argument.requires_grad = True
        return argument
    if isinstance(argument, (list, tuple)):
        return [_as_sources(a) for a in argument]
    array = np.asarray(argument)
    if array.dtype.kind != "f":
        raise ValueError(f"value_and_grad: can only differentiate with respect to float values, got dtype {array.dtype}")
    return Tensor(array, requires_grad=True)


__all__ = ["GradientTape", "value_and_grad", "gradients_of"]
