"""The "glass" view of autograd: a small expression's computation graph, with every value and gradient.

When an op runs on a tensor that requires grad, glassnet remembers it: the output's
``_ctx`` is the op (a ``Function``) and ``_ctx.parents`` are its inputs. Walking those
links back from a result gives the graph ``backward()`` will traverse. ``graph(y)`` draws
it left to right — leaves (inputs and weights) first, ``y`` last — and writes in each node

* the op that made it (``Mul``, ``Add``, ``Sigmoid``, …), or the leaf's name;
* its **value**, from the forward pass;
* its **gradient** ∂y/∂node, from a backward pass run here node by node with the ops' own
  ``backward`` (the chain rule: ∂y/∂parent = Σ over its children of the child's gradient
  times the op's local derivative). The leaves' values equal what ``y.backward()`` puts in
  their ``.grad``; inner nodes show what PyTorch calls non-leaf gradients, which
  ``backward()`` computes and then discards.

The course's neuron, y = σ(w·x + b) with w = 2, x = −1, b = 0.5::

    w = 2 ─┐
           Mul  −2 ─┐
    x = −1 ┘        Add  −1.5 ── Sigmoid  0.182
    b = 0.5 ────────┘
    ∂y/∂Sigmoid = 1;  ∂y/∂Add = σ(1 − σ) = 0.149;  ∂y/∂Mul = ∂y/∂b = 0.149;
    ∂y/∂w = 0.149 · x = −0.149;  ∂y/∂x = 0.149 · w = 0.298 (when x requires grad).

Call ``graph`` before ``y.backward()`` (or after ``y.backward(retain_graph=True)``): a
plain ``backward()`` frees the graph, and there is nothing left to draw. The tensors'
own ``.grad`` are not changed.
"""
from __future__ import annotations

import numpy as np

from ..slice_grad import as_dense
from ..tensor import Tensor, unbroadcast
from . import _dag
from ._figure import save


def _walk(root: Tensor) -> list:
    """Every tensor the root was computed from (constants included), parents before children."""
    order, seen, stack = [], set(), [(root, False)]
    while stack:
        node, parents_done = stack.pop()
        if parents_done:
            order.append(node)
            continue
        if id(node) in seen:
            continue
        seen.add(id(node))
        stack.append((node, True))
        if node._ctx is not None:
            for parent in reversed(node._ctx.parents):
                if id(parent) not in seen:
                    stack.append((parent, False))
    return order


def node_gradients(root: Tensor, order: list, grad=None) -> dict:
    """∂root/∂node for every node that requires grad (id → array), by the chain rule."""
    seed = np.ones_like(root.data) if grad is None else np.asarray(grad, dtype=root.data.dtype)
    grads = {id(root): seed}
    for node in reversed(order):
        g = grads.get(id(node))
        if g is None or node._ctx is None:
            continue
        local = node._ctx.backward(g)
        local = local if isinstance(local, tuple) else (local,)
        for parent, pg in zip(node._ctx.parents, local):
            if pg is None or not parent.requires_grad:
                continue
            pg = as_dense(pg, parent.data.dtype)
            pg = unbroadcast(np.asarray(pg), parent.data.shape) if np.shape(pg) != parent.data.shape else pg
            grads[id(parent)] = pg if id(parent) not in grads else grads[id(parent)] + pg
    return grads


def _format(array) -> str:
    array = np.asarray(array)
    if array.size == 1:
        return f"{float(array.reshape(-1)[0]):.4g}"
    if array.size <= 4:
        return np.array2string(array.reshape(-1), precision=3, separator=", ")
    return f"array{array.shape}"


def graph(tensor, names=None, grad=None, rankdir="LR", to_file=None):
    """Draw the computation graph that produced ``tensor``, each node's value and gradient.

    Args:
        tensor: the result of an expression on tensors that require grad.
        names: optional ``{"w": w, "x": x, ...}`` naming leaves (and inner nodes);
            a ``Variable`` is named by its own ``name`` otherwise.
        grad: ∂L/∂tensor to start the backward pass from (default ones: ∂tensor/∂node).
        rankdir: "LR" (default, the course's left-to-right picture) or "TB".
        to_file: optional path (.png, .svg or .pdf) to save the figure to.

    Returns:
        The matplotlib Figure; one box per node, one arrow per (parent → op) edge. The
        nodes are also in ``figure.nodes``: a list of dicts with ``label``, ``op`` (None for
        a leaf), ``value`` and ``grad`` (None where no gradient flows), parents first.

    Raises:
        TypeError: ``tensor`` is not a Tensor.
        ValueError: the tensor has no graph (no input requires grad, or a ``backward()``
            without ``retain_graph=True`` already freed it).
    """
    if not isinstance(tensor, Tensor):
        raise TypeError(f"graph: expected a glassnet Tensor, got {type(tensor).__name__}")
    if tensor._ctx is None:
        why = ("backward() already freed it: call graph() before backward(), or use backward(retain_graph=True)"
               if tensor._freed else "no input of the expression requires grad (use Variables or requires_grad=True)")
        raise ValueError(f"graph: this tensor has no computation graph to draw; {why}")
    order = _walk(tensor)
    grads = node_gradients(tensor, order, grad)
    given = {id(t): name for name, t in (names or {}).items()}
    labels, colors, nodes, leaf_count = {}, {}, [], 0
    for node in order:
        op = type(node._ctx).__name__ if node._ctx is not None else None
        if id(node) in given:
            title = given[id(node)] if op is None else f"{given[id(node)]} = {op}"
        elif op is not None:
            title = op
        elif not node.requires_grad:
            title = "constant"
        else:
            title = getattr(node, "name", None) or f"input {leaf_count}"
            leaf_count += 1
        gradient = grads.get(id(node))
        nodes.append({"label": title, "op": op, "value": node.data.copy(),
                      "grad": None if gradient is None else np.array(gradient)})
        labels[id(node)] = "\n".join([title, f"value {_format(node.data)}",
                                      f"grad  {'—' if gradient is None else _format(gradient)}"])
        colors[id(node)] = "#fef7e0" if op is None else ("#e6f4ea" if node is tensor else "#e8f0fe")
    edges = [(id(parent), id(node)) for node in order if node._ctx is not None for parent in node._ctx.parents]
    figure, _, _, _ = _dag.draw([id(n) for n in order], edges, labels, rankdir=rankdir, colors=colors,
                                title="forward: value, backward: grad = ∂out/∂node")
    figure.nodes = nodes
    return save(figure, to_file)
