"""glassnet.tree against keras.tree on the same structures (skipped without keras)."""
import collections

import numpy as np
import pytest

from glassnet import tree

keras = pytest.importorskip("keras")

Point = collections.namedtuple("Point", "x y")
STRUCTURES = [
    1, None, "text", [], (), {}, [1, None, 2], (1, [2, (3,)]), {"b": 1, "a": [2, 3]},
    collections.OrderedDict([("z", 1), ("a", 2)]), Point(1, [2, 3]), [{"k": (1, 2)}, Point(3, None)],
    {"x": {"a": (1.0, 2.0), "c": 3.0}, "y": [[[4]]]}, collections.deque([1, [2]]),
]


def test_nested_dicts_flatten_in_sorted_key_order_as_documented():
    # Keras documents sorted keys, and its optree backends do so at every depth; its torch backend
    # (keras.src.tree.torchtree_impl, the one importable here) keeps a nested dict's insertion order.
    s = {"x": {"c": (1.0, 2.0), "a": 3.0}}
    assert tree.flatten(s) == [3.0, 1.0, 2.0]
    assert keras.tree.flatten(s["x"]) == tree.flatten(s["x"])     # at the top level Keras sorts too


@pytest.mark.parametrize("structure", STRUCTURES, ids=range(len(STRUCTURES)))
def test_flatten_pack_map_and_paths_equal_keras(structure):
    assert tree.is_nested(structure) == keras.tree.is_nested(structure)
    assert tree.flatten(structure) == keras.tree.flatten(structure)
    assert tree.flatten_with_path(structure) == keras.tree.flatten_with_path(structure)
    flat = tree.flatten(structure)
    ours = tree.pack_sequence_as(structure, flat)
    theirs = keras.tree.pack_sequence_as(structure, flat)
    assert ours == theirs and type(ours) is type(theirs)
    double = lambda x: None if x is None else x * 2 # noqa: E731
    assert tree.map_structure(double, structure) == keras.tree.map_structure(double, structure)
    assert tree.lists_to_tuples(structure) == keras.tree.lists_to_tuples(structure)


def test_structure_checks_agree_with_keras():
    pairs = [([1], (1,)), ([1, 2], [3, 4]), ({"a": 1}, collections.OrderedDict(a=2)), ({"a": 1}, {"b": 1}),
             (Point(1, 2), (1, 2)), ([1], [[1]]), ([None], [1])]
    for a, b in pairs:
        ours = _raises(tree.assert_same_structure, a, b)
        assert ours == _raises(keras.tree.assert_same_structure, a, b), (a, b)
        assert _raises(tree.assert_same_paths, a, b) == _raises(keras.tree.assert_same_paths, a, b), (a, b)


def test_shapes_and_traverse_agree_with_keras():
    shapes = {"x": (None, 3), "y": [(2, 5), (7,)]}
    assert tree.map_shape_structure(lambda s: s[0], shapes) == keras.tree.map_shape_structure(lambda s: s[0], shapes)
    s = [(1, 2), [3], {"a": 4}]
    for top_down in (True, False):
        ours, theirs = [], []
        tree.traverse(lambda n: ours.append(n), s, top_down=top_down)
        keras.tree.traverse(lambda n: theirs.append(n), s, top_down=top_down)
        assert ours == theirs
    replace = lambda n: "T" if isinstance(n, tuple) else None  # noqa: E731
    assert tree.traverse(replace, s) == keras.tree.traverse(replace, s)
    arrays = [np.ones(2), (np.zeros(1),)]
    assert all(a is b for a, b in zip(tree.flatten(arrays), keras.tree.flatten(arrays)))


def _raises(fn, *args) -> bool:
    try:
        fn(*args)
    except (ValueError, TypeError):
        return True
    return False
