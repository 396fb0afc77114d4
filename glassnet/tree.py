"""Nested structures — lists, tuples, namedtuples, dicts, deques of anything — as Keras's ``keras.tree``.

Custom layers and training steps pass structures around (a dict of inputs, a tuple of
``(x, y, sample_weight)``); these functions walk them. The rules, as Keras's:

* A *structure* is a list, tuple (a namedtuple too), dict (any mapping) or ``collections.deque``;
  anything else is a *leaf* — ``None``, strings and arrays included.
* A dict's children come in sorted key order (an ``OrderedDict``'s in its own order), so that
  ``pack_sequence_as(s, flatten(s))`` gives ``s`` back whatever order the keys were written in;
  a rebuilt dict keeps the original's key order.
* Two structures match (``assert_same_structure``) when every level has the same type and
  length — dicts of any mapping type match on equal keys; a list never matches a tuple.

Example::

    flatten({"b": (1, 2), "a": [3]})                       # [3, 1, 2]
    map_structure(lambda x: x * 10, {"b": (1, 2), "a": [3]})   # {"b": (10, 20), "a": [30]}
"""
from __future__ import annotations

import collections
from collections.abc import Mapping


class MAP_TO_NONE:  # noqa: N801 (Keras's name)
    """Returned by ``traverse``'s function to replace a sub-tree with ``None``."""


def is_nested(structure) -> bool:
    """Whether ``structure`` is a list, tuple, mapping or deque (not a leaf)."""
    return isinstance(structure, (list, tuple, Mapping, collections.deque))


def _keys(mapping) -> list:
    if isinstance(mapping, collections.OrderedDict):
        return list(mapping)
    try:
        return sorted(mapping)
    except TypeError:
        raise TypeError(f"glassnet.tree: a dict's keys must be sortable, got {list(mapping)!r}") from None


def _children(structure) -> list:
    if isinstance(structure, Mapping):
        return [structure[k] for k in _keys(structure)]
    return list(structure)


def _child_paths(structure) -> list:
    return _keys(structure) if isinstance(structure, Mapping) else list(range(len(structure)))


def _is_namedtuple(structure) -> bool:
    return isinstance(structure, tuple) and hasattr(type(structure), "_fields")


def _rebuild(structure, children: list):
    """A structure of ``structure``'s type holding ``children`` (in ``_children``'s order)."""
    if isinstance(structure, Mapping):
        by_key = dict(zip(_keys(structure), children))
        ordered = [(k, by_key[k]) for k in structure]
        if isinstance(structure, collections.defaultdict):
            return collections.defaultdict(structure.default_factory, ordered)
        try:
            return type(structure)(ordered)
        except TypeError:
            return dict(ordered)
    if _is_namedtuple(structure):
        return type(structure)(*children)
    if isinstance(structure, collections.deque):
        return collections.deque(children, maxlen=structure.maxlen)
    return type(structure)(children) if isinstance(structure, (list, tuple)) else list(children)


def flatten(structure) -> list:
    """The leaves of ``structure``, depth first (dicts by sorted key): ``[1, 2, 3]`` from ``((1, 2), [3])``."""
    if not is_nested(structure):
        return [structure]
    leaves = []
    for child in _children(structure):
        leaves.extend(flatten(child))
    return leaves


def flatten_with_path(structure) -> list:
    """``(path, leaf)`` pairs, a path being the tuple of indices and keys leading to the leaf."""
    if not is_nested(structure):
        return [((), structure)]
    pairs = []
    for key, child in zip(_child_paths(structure), _children(structure)):
        pairs.extend(((key, *path), leaf) for path, leaf in flatten_with_path(child))
    return pairs


def assert_same_structure(a, b, check_types=None) -> None:
    """Raise ValueError unless ``a`` and ``b`` nest alike (``check_types`` is ignored, as in Keras)."""
    def check(x, y, path):
        if is_nested(x) != is_nested(y):
            raise ValueError(f"The two structures don't have the same nested structure: at path {path}, "
                             f"{type(x).__name__} vs {type(y).__name__}")
        if not is_nested(x):
            return
        same_kind = (isinstance(x, Mapping) and isinstance(y, Mapping)) or type(x) is type(y)
        if not same_kind:
            raise ValueError(f"The two structures don't have the same nested structure: at path {path}, "
                             f"{type(x).__name__} vs {type(y).__name__}")
        if isinstance(x, Mapping) and set(x) != set(y):
            raise ValueError(f"The two structures don't have the same nested structure: at path {path}, "
                             f"keys {sorted(map(str, x))} vs {sorted(map(str, y))}")
        if len(x) != len(y):
            raise ValueError(f"The two structures don't have the same nested structure: at path {path}, "
                             f"{len(x)} vs {len(y)} items")
        for key, cx, cy in zip(_child_paths(x), _children(x), _children(y)):
            check(cx, cy, (*path, key))

    check(a, b, ())


def assert_same_paths(a, b) -> None:
    """Raise ValueError unless ``a`` and ``b`` have the same leaf paths (container types may differ)."""
    paths_a = {path for path, _ in flatten_with_path(a)}
    paths_b = {path for path, _ in flatten_with_path(b)}
    if paths_a != paths_b:
        raise ValueError(f"The two structures don't have the same paths: only in the first "
                         f"{sorted(map(str, paths_a - paths_b))}, only in the second {sorted(map(str, paths_b - paths_a))}")


def map_structure(func, *structures, none_is_leaf=True):
    """``func`` applied to the leaves of ``structures`` (which must nest alike), in their shape.

    With ``none_is_leaf=False``, ``None`` leaves stay ``None`` and ``func`` never sees them.
    """
    if not callable(func):
        raise TypeError(f"map_structure: `func` must be callable, got {func!r}")
    if not structures:
        raise TypeError("map_structure: give at least one structure")
    for other in structures[1:]:
        assert_same_structure(structures[0], other)

    def apply(*nodes):
        if not is_nested(nodes[0]):
            if nodes[0] is None and not none_is_leaf:
                return None
            return func(*nodes)
        return _rebuild(nodes[0], [apply(*children) for children in zip(*map(_children, nodes))])

    return apply(*structures)


def map_structure_up_to(shallow_structure, func, *structures):
    """As ``map_structure``, but only down to ``shallow_structure``'s leaves: ``func`` receives
    the (possibly nested) parts of ``structures`` found there."""
    def apply(shallow, *nodes):
        if not is_nested(shallow):
            return func(*nodes)
        for node in nodes:
            if not is_nested(node) or len(node) != len(shallow) or (
                    isinstance(shallow, Mapping) and (not isinstance(node, Mapping) or set(node) != set(shallow))):
                raise ValueError(f"map_structure_up_to: {node!r} does not have the structure of {shallow!r}")
        return _rebuild(shallow, [apply(s, *children)
                                  for s, *children in zip(_children(shallow), *map(_children, nodes))])

    return apply(shallow_structure, *structures)


def pack_sequence_as(structure, flat_sequence):
    """``flat_sequence``'s items put back into ``structure``'s shape (the inverse of ``flatten``).

    Raises:
        TypeError: if ``flat_sequence`` is not a sequence.
        ValueError: if it has more or fewer items than ``structure`` has leaves.
    """
    if not isinstance(flat_sequence, (list, tuple, collections.deque)):
        raise TypeError(f"pack_sequence_as: `flat_sequence` must be a list or tuple, got {type(flat_sequence).__name__}")
    items = iter(flat_sequence)
    count = len(flatten(structure))
    if count != len(flat_sequence):
        raise ValueError(f"pack_sequence_as: the structure has {count} leaves but `flat_sequence` has "
                         f"{len(flat_sequence)} items")

    def fill(node):
        if not is_nested(node):
            return next(items)
        return _rebuild(node, [fill(child) for child in _children(node)])

    return fill(structure)


def lists_to_tuples(structure):
    """``structure`` with every list turned into a tuple (at every depth)."""
    if not is_nested(structure):
        return structure
    children = [lists_to_tuples(child) for child in _children(structure)]
    return tuple(children) if isinstance(structure, list) else _rebuild(structure, children)


def _is_shape(structure) -> bool:
    return isinstance(structure, (tuple, list)) and all(d is None or isinstance(d, int) and not isinstance(d, bool)
                                                        for d in structure)


def map_shape_structure(func, structure):
    """As ``map_structure``, treating each tuple or list of ints and Nones (a shape) as a leaf."""
    if _is_shape(structure) or not is_nested(structure):
        return func(structure)
    return _rebuild(structure, [map_shape_structure(func, child) for child in _children(structure)])


def traverse(func, structure, top_down=True):
    """Walk ``structure`` depth first, calling ``func`` on every sub-tree and leaf.

    Top-down: a non-None answer replaces that sub-tree and stops the walk into it
    (``MAP_TO_NONE`` replaces it by None). Bottom-up: children first; a non-None answer
    replaces the node (built from the already-traversed children).
    """
    if not callable(func):
        raise TypeError(f"traverse: `func` must be callable, got {func!r}")

    def result(value, original):
        if value is MAP_TO_NONE:
            return None
        return original if value is None else value

    def walk(node):
        if top_down:
            answer = func(node)
            if answer is not None:
                return result(answer, node)
            if not is_nested(node):
                return node
            return _rebuild(node, [walk(child) for child in _children(node)])
        rebuilt = _rebuild(node, [walk(child) for child in _children(node)]) if is_nested(node) else node
        return result(func(rebuilt), rebuilt)

    return walk(structure)


__all__ = ["MAP_TO_NONE", "is_nested", "flatten", "flatten_with_path", "assert_same_structure", "assert_same_paths",
           "map_structure", "map_structure_up_to", "pack_sequence_as", "lists_to_tuples", "map_shape_structure",
           "traverse"]
