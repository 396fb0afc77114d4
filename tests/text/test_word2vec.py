"""Tests for glassnet.text.word2vec: planted structure, the gradient, save/load, errors."""

import json

import numpy as np
import pytest

from glassnet.text.word2vec import KeyedVectors, Word2Vec, scatter_add

ANIMALS = [f"animal{i}" for i in range(8)]
TOOLS = [f"tool{i}" for i in range(8)]


def _topic_corpus(n_sentences=600, length=8, seed=0):
    """Sentences that each draw all their words from one of two disjoint topics."""
    rng = np.random.default_rng(seed)
    topics = [ANIMALS, TOOLS]
    return [rng.choice(topics[i % 2], size=length).tolist() for i in range(n_sentences)]


@pytest.mark.parametrize("sg", [1, 0], ids=["skip-gram", "cbow"])
def test_neighbours_come_from_the_same_topic(sg):
    model = Word2Vec(vector_size=16, window=3, min_count=1, sg=sg, negative=5, sample=0,
                     epochs=5, batch_words=100, seed=0).fit(_topic_corpus())
    for topic in (ANIMALS, TOOLS):
        for word in topic:
            neighbours = [w for w, _ in model.most_similar(word, topn=5)]
            assert set(neighbours) <= set(topic), (word, neighbours)
    assert model.similarity("animal0", "animal1") > model.similarity("animal0", "tool1") + 0.3
    assert model.loss_history_[-1] < model.loss_history_[0]  # training reduced -L


def test_fused_step_applies_the_negative_sampling_gradient():
    """Finite differences of the loss -L = -log s(u_o.v) - sum_k log s(-u_k.v) in float64."""
    model = Word2Vec(vector_size=3, min_count=1, negative=3, seed=0).build_vocab(_topic_corpus())
    rng = np.random.default_rng(1)
    U0 = rng.normal(scale=0.7, size=model.output_vectors.shape)
    V = rng.normal(scale=0.7, size=(4, 3))
    positives = np.array([0, 3, 3, 9])
    state = model._rng.bit_generator.state  # replay the same negatives on every call

    def step(V, U):
        model.output_vectors = U.copy()
        model._rng.bit_generator.state = state
        dV, loss = model._negative_sampling_step(V, positives, alpha=1.0)
        return dV, loss, model.output_vectors - U

    dV, _, dU = step(V, U0)
    eps = 1e-6
    for index in np.ndindex(V.shape):  # the update is -alpha * d(loss)/dv
        plus, minus = V.copy(), V.copy()
        plus[index] += eps
        minus[index] -= eps
        numeric = (step(plus, U0)[1] - step(minus, U0)[1]) / (2 * eps)
        assert dV[index] == pytest.approx(-numeric, abs=1e-6)
    for row in np.unique(np.concatenate([positives, np.flatnonzero(dU.any(axis=1))])):
        for column in range(3):
            plus, minus = U0.copy(), U0.copy()
            plus[row, column] += eps
            minus[row, column] -= eps
            numeric = (step(V, plus)[1] - step(V, minus)[1]) / (2 * eps)
            assert dU[row, column] == pytest.approx(-numeric, abs=1e-6)


def _capture_step(model, dV_rows):
    """Replace the fused step by one that records its input and returns fixed dV rows."""
    calls = []

    def fake_step(V, positives, alpha):
        calls.append((V.copy(), positives.copy()))
        return np.asarray(dV_rows, dtype=np.float32)[:, None] * np.ones(V.shape, np.float32), 0.0

    model._negative_sampling_step = fake_step
    return calls


def test_skip_gram_pairs_and_input_updates_by_hand():
    # "a b c" with window 1: (center, context) pairs a-b, b-a, b-c, c-b
    model = Word2Vec(vector_size=2, window=1, min_count=1, sample=0, sg=1, epochs=1)
    model.build_vocab([["a", "b", "c"]])
    before = model.vectors.copy()
    calls = _capture_step(model, [1, 2, 3, 4])
    model.train([["a", "b", "c"]])
    (V, positives), = calls
    words = model.index_to_key
    inputs = [words[np.flatnonzero((before == row).all(axis=1))[0]] for row in V]  # v_c rows
    pairs = sorted(zip(inputs, [words[o] for o in positives]))
    assert pairs == [("a", "b"), ("b", "a"), ("b", "c"), ("c", "b")]
    # pairs come sorted by center: a (dV 1), b (dV 2 and 3), c (dV 4)
    a, b, c = (model.key_to_index[w] for w in "abc")
    np.testing.assert_allclose(model.vectors[a] - before[a], 1)
    np.testing.assert_allclose(model.vectors[b] - before[b], 2 + 3)
    np.testing.assert_allclose(model.vectors[c] - before[c], 4)


def test_cbow_mean_of_context_and_input_updates_by_hand():
    model = Word2Vec(vector_size=2, window=1, min_count=1, sample=0, sg=0, epochs=1)
    model.build_vocab([["a", "b", "c"]])
    before = model.vectors.copy()
    calls = _capture_step(model, [1, 2, 3])  # dH of centers a, b, c
    model.train([["a", "b", "c"]])
    (H, positives), = calls
    a, b, c = (model.key_to_index[w] for w in "abc")
    assert list(positives) == [a, b, c]  # CBOW predicts each center word
    # h_a = v_b, h_b = (v_a + v_c) / 2, h_c = v_b
    np.testing.assert_allclose(H, [before[b], (before[a] + before[c]) / 2, before[b]], atol=1e-7)
    # every context word receives its centers' whole dH: v_b gets dH_a + dH_c = 1 + 3
    np.testing.assert_allclose(model.vectors[a] - before[a], 2, atol=1e-6)
    np.testing.assert_allclose(model.vectors[b] - before[b], 1 + 3, atol=1e-6)
    np.testing.assert_allclose(model.vectors[c] - before[c], 2, atol=1e-6)


def test_negatives_equal_to_the_positive_are_skipped():
    # one-word vocabulary: every negative is the positive word itself, so only the
    # positive term -log sigma(u.v) = log 2 (u = 0 at the start) is left in the loss
    model = Word2Vec(min_count=1, sample=0, epochs=1).fit([["a"] * 10])
    assert model.loss_history_[0] == pytest.approx(np.log(2), abs=1e-3)


def test_divergence_raises_a_clear_error():
    with pytest.raises(FloatingPointError, match="lower alpha"), \
            np.errstate(over="ignore", invalid="ignore"):
        Word2Vec(min_count=1, alpha=1e30, vector_size=8, epochs=3).fit([["a", "b", "c"] * 50])


def test_scatter_add_equals_np_add_at():
    rng = np.random.default_rng(0)
    rows = rng.integers(0, 5, size=40)
    values = rng.normal(size=(40, 3))
    expected, W = np.ones((6, 3)), np.ones((6, 3))
    np.add.at(expected, rows, values)
    scatter_add(W, rows, values)
    np.testing.assert_allclose(W, expected, rtol=0, atol=1e-12)
    # W[rows[i]] += coefficients[i] * values[value_index[i]]
    coefficients, value_index = rng.normal(size=40), rng.integers(0, 7, size=40)
    few_values = rng.normal(size=(7, 3))
    expected, W = np.zeros((6, 3)), np.zeros((6, 3))
    np.add.at(expected, rows, coefficients[:, None] * few_values[value_index])
    scatter_add(W, rows, few_values, coefficients=coefficients, value_index=value_index)
    np.testing.assert_allclose(W, expected, rtol=0, atol=1e-12)
    # with max_count=2 a row hit m > 2 times gets 2 * (mean of its updates)
    capped = np.zeros((6, 3))
    scatter_add(capped, rows, values, max_count=2)
    for row in range(5):
        mine = values[rows == row]
        scale = min(1.0, 2 / len(mine)) if len(mine) else 0.0
        np.testing.assert_allclose(capped[row], scale * mine.sum(axis=0), rtol=0, atol=1e-12)


def test_vocabulary_subsampling_and_noise_distribution():
    corpus = [["a"] * 90 + ["b"] * 9 + ["c"]] + [["rare"]]
    model = Word2Vec(min_count=2, sample=0.05, ns_exponent=0.75).build_vocab(corpus)
    assert model.index_to_key == ["a", "b"]  # most frequent first, "c" and "rare" < min_count
    np.testing.assert_array_equal(model.counts, [90, 9])
    # p_keep = sqrt(t / f) + t / f with f = 90/99 and 9/99, t = 0.05; capped at 1
    f = np.array([90, 9]) / 99
    np.testing.assert_allclose(model._keep_probability,
                               np.minimum(np.sqrt(0.05 / f) + 0.05 / f, 1.0))
    # noise: 90^0.75 / (90^0.75 + 9^0.75), then 1
    np.testing.assert_allclose(model._noise_cdf, [90**0.75 / (90**0.75 + 9**0.75), 1.0])


def test_keyed_vectors_queries_by_hand():
    #   king = (1, 0, 1), man = (1, 0, 0), woman = (0, 1, 0), queen = (0, 1, 1), car = (0, 0, -1)
    vectors = np.array([[1, 0, 1], [1, 0, 0], [0, 1, 0], [0, 1, 1], [0, 0, -1]], dtype=float)
    wv = KeyedVectors(["king", "man", "woman", "queen", "car"], vectors)
    assert wv.similarity("king", "queen") == pytest.approx(0.5)  # 1 / (sqrt2 * sqrt2)
    # king/|king| - man + woman = (0.707 - 1, 1, 0.707): closest to queen, inputs excluded
    assert wv.analogy("king", "man", "woman") == "queen"
    ranked = wv.most_similar(positive=["king", "woman"], negative=["man"], topn=10)
    assert [w for w, _ in ranked] == ["queen", "car"]
    assert wv.most_similar("man", topn=1)[0][0] == "king"
    np.testing.assert_array_equal(wv["car"], [0, 0, -1])


def test_save_load_round_trip(tmp_path):
    model = Word2Vec(vector_size=8, min_count=1, sg=0, epochs=2, seed=3).fit(_topic_corpus(100))
    json_path, npz_path = model.save(tmp_path / "topics")
    assert json_path.endswith("topics.json") and npz_path.endswith("topics.npz")
    with np.load(npz_path, allow_pickle=False) as arrays:  # plain arrays, no pickle
        assert set(arrays.files) == {"vectors", "output_vectors"}
    loaded = Word2Vec.load(tmp_path / "topics.json")
    assert loaded.index_to_key == model.index_to_key and loaded.sg == 0
    np.testing.assert_array_equal(loaded.vectors, model.vectors)
    np.testing.assert_array_equal(loaded.output_vectors, model.output_vectors)
    assert loaded.most_similar("tool1") == model.most_similar("tool1")
    assert loaded.loss_history_ == model.loss_history_
    loaded.train(_topic_corpus(20), epochs=1)  # a loaded model can go on training
    assert len(loaded.loss_history_) == 3


def test_load_rejects_corrupt_files(tmp_path):
    model = Word2Vec(vector_size=4, min_count=1, epochs=1).fit(_topic_corpus(20))
    json_path, npz_path = model.save(tmp_path / "m")
    meta = json.loads(open(json_path).read())
    meta["words"] = meta["words"][:-1]
    open(json_path, "w").write(json.dumps(meta))
    with pytest.raises(ValueError, match="shape"):
        Word2Vec.load(json_path)
    open(json_path, "w").write("{not json")
    with pytest.raises(ValueError, match="not valid JSON"):
        Word2Vec.load(json_path)


def test_same_seed_same_vectors():
    corpus = _topic_corpus(100)
    a = Word2Vec(vector_size=8, min_count=1, epochs=1, seed=7).fit(corpus)
    b = Word2Vec(vector_size=8, min_count=1, epochs=1, seed=7).fit(iter(corpus))
    np.testing.assert_array_equal(a.vectors, b.vectors)


def test_bad_input():
    with pytest.raises(ValueError, match="empty"):
        Word2Vec().fit([])
    with pytest.raises(ValueError, match="empty"):
        Word2Vec().fit([[], []])
    with pytest.raises(TypeError, match="sentence 1 is a str"):
        Word2Vec(min_count=1).fit([["a", "b"], "c d"])
    with pytest.raises(TypeError, match="sentence 0 holds a int"):
        Word2Vec(min_count=1).fit([["a", 3]])
    with pytest.raises(ValueError, match="min_count=5"):
        Word2Vec(min_count=5).fit([["a", "b", "a"]])
    with pytest.raises(ValueError, match="sg"):
        Word2Vec(sg=2)
    with pytest.raises(ValueError, match="vector_size"):
        Word2Vec(vector_size=0)
    with pytest.raises(RuntimeError, match="build_vocab"):
        Word2Vec().train([["a"]])
    model = Word2Vec(vector_size=4, min_count=1, epochs=1).fit(_topic_corpus(20))
    with pytest.raises(KeyError, match="unicorn"):
        model["unicorn"]
    with pytest.raises(KeyError, match="unicorn"):
        model.most_similar(positive=["animal1"], negative=["unicorn"])
    with pytest.raises(KeyError, match="unicorn"):
        model.similarity("animal1", "unicorn")
    with pytest.raises(ValueError, match="at least one"):
        model.most_similar()
    assert "unicorn" not in model and "animal1" in model
