"""glassnet.tree: Keras's nested-structure helpers, worked by hand (parity: tests/keras_parity/test_tree_keras.py)."""
import collections

import numpy as np
import pytest

from glassnet import tree

Point = collections.namedtuple("Point", "x y")


def test_flatten_sorts_dict_keys_keeps_ordered_dicts_and_treats_none_strings_arrays_as_leaves():
    array = np.ones(2)
    s = {"b": (1, [2, None]), "a": "text", "c": collections.OrderedDict([("z", 3), ("y", array)])}
    assert tree.flatten(s)[:5] == ["text", 1, 2, None, 3] and tree.flatten(s)[5] is array
    assert tree.flatten(None) == [None] and tree.flatten(7) == [7]
    assert tree.flatten_with_path({"b": [1, 2], "a": Point(3, 4)}) == [
        (("a", 0), 3), (("a", 1), 4), (("b", 0), 1), (("b", 1), 2)]


def test_pack_sequence_as_inverts_flatten_and_keeps_types_and_key_order():
    s = {"key3": {"c": (1.0, 2.0), "a": 3.0}, "key1": [Point(4, 5)], "key2": collections.deque([6])}
    packed = tree.pack_sequence_as(s, tree.flatten(s))
    assert packed == s and list(packed) == ["key3", "key1", "key2"] and list(packed["key3"]) == ["c", "a"]
    assert isinstance(packed["key1"][0], Point) and isinstance(packed["key2"], collections.deque)
    with pytest.raises(ValueError, match="6 leaves but `flat_sequence` has 5"):
        tree.pack_sequence_as(s, [0] * 5)
    with pytest.raises(TypeError):
        tree.pack_sequence_as(s, 3)


def test_map_structure_over_several_structures_and_none():
    assert tree.map_structure(lambda a, b: a + b, {"b": (1, 2), "a": [3]}, {"a": [10], "b": (20, 30)}) == \
        {"b": (21, 32), "a": [13]}
    assert tree.map_structure(lambda x: x * 2, Point(1, 2)) == Point(2, 4)
    assert tree.map_structure(lambda x: 0, [None, 1]) == [0, 0]
    assert tree.map_structure(lambda x: 0, [None, 1], none_is_leaf=False) == [None, 0]
    with pytest.raises(ValueError, match="same nested structure"):
        tree.map_structure(lambda a, b: a, [1, 2], (1, 2))
    with pytest.raises(TypeError):
        tree.map_structure(3, [1])


def test_assert_same_structure_and_paths():
    tree.assert_same_structure({"a": [1, (2,)]}, collections.OrderedDict(a=["x", ("y",)]))   # mappings match
    for a, b in [([1], (1,)), ([1, 2], [1]), ({"a": 1}, {"b": 1}), ([1], [[1]]), (Point(1, 2), (1, 2))]:
        with pytest.raises(ValueError):
            tree.assert_same_structure(a, b)
    tree.assert_same_paths([1, (2, 3)], (4, [5, 6]))           # only paths count
    with pytest.raises(ValueError, match="paths"):
        tree.assert_same_paths([1, 2], [1, 2, 3])


def test_map_structure_up_to_lists_to_tuples_shapes_and_traverse():
    assert tree.map_structure_up_to([None, None], lambda x: len(x), [[1, 1], [2, 2, 2]]) == [2, 3]
    assert tree.map_structure_up_to((None, [None]), str, ([1, 1], [(2, 2)])) == ("[1, 1]", ["(2, 2)"])
    with pytest.raises(ValueError):
        tree.map_structure_up_to([None, None], str, [1])
    assert tree.lists_to_tuples([1, {"a": [2]}, (3, [4])]) == (1, {"a": (2,)}, (3, (4,)))
    assert tree.map_shape_structure(lambda s: s[0], {"x": (None, 3), "y": [(2, 5), (7,)]}) == {"x": None, "y": [2, 7]}
    visited = []
    assert tree.traverse(lambda n: visited.append(n), [(1, 2), [3]]) == [(1, 2), [3]]
    assert visited == [[(1, 2), [3]], (1, 2), 1, 2, [3], 3]
    # top-down: an answer replaces the sub-tree and stops there; MAP_TO_NONE gives None
    assert tree.traverse(lambda n: "T" if isinstance(n, tuple) else None, [(1, 2), [3]]) == ["T", [3]]
    assert tree.traverse(lambda n: tree.MAP_TO_NONE if n == 3 else None, [(1, 2), [3]]) == [(1, 2), [None]]
    order = []
    tree.traverse(lambda n: order.append(n), [(1, 2), [3]], top_down=False)
    assert order == [1, 2, (1, 2), 3, [3], [(1, 2), [3]]]
