"""glassnet.plot: each function on tiny inputs — the artists drawn, the numbers behind them, PNG and SVG files."""
import numpy as np
import pytest
from matplotlib.collections import PathCollection
from matplotlib.figure import Figure
from matplotlib.image import AxesImage
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch
from sklearn.datasets import make_classification
from sklearn.decomposition import PCA
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import confusion_matrix as sklearn_confusion_matrix

import glassnet as gn
from glassnet import activations as gn_activations
from glassnet import layers as L
from glassnet import plot


def visible_axes(figure):
    return [axis for axis in figure.axes if axis.get_visible()]


def texts(axis):
    return [t.get_text() for t in axis.texts]


# --- history -----------------------------------------------------------------------------
def test_history_one_panel_per_metric_train_validation_and_best(saved):
    logs = {"loss": [1.0, 0.6, 0.4], "val_loss": [1.1, 0.7, 0.8], "accuracy": [0.5, 0.7, 0.9]}
    figure = saved(lambda to_file: plot.history(logs, to_file=to_file))
    loss, accuracy = visible_axes(figure)
    assert loss.get_title() == "loss" and accuracy.get_title() == "accuracy"
    assert [line.get_label() for line in loss.lines] == ["train", "validation", "best: 0.7 (epoch 2)"]
    assert [line.get_label() for line in accuracy.lines] == ["train", "best: 0.9 (epoch 3)"]   # maximised
    np.testing.assert_array_equal(loss.lines[1].get_ydata(), [1.1, 0.7, 0.8])
    np.testing.assert_array_equal(loss.lines[0].get_xdata(), [1, 2, 3])


def test_history_accepts_a_history_object_and_checks_names():
    model = gn.Sequential([L.Input((3,)), L.Dense(1)])
    model.compile("sgd", "mse")
    history = model.fit(np.ones((8, 3)), np.ones((8, 1)), epochs=2, verbose=0)
    assert len(visible_axes(plot.history(history))) == 1
    with pytest.raises(ValueError, match="no \\['accuracy'\\]"):
        plot.history(history, metrics=["accuracy"])
    with pytest.raises(TypeError):
        plot.history([1, 2])


# --- activations ---------------------------------------------------------------------------
def test_activations_derivatives_come_from_backward(saved):
    figure = saved(lambda to_file: plot.activations(["relu", "sigmoid", "softmax"], to_file=to_file))
    axes = visible_axes(figure)
    assert [a.get_title() for a in axes] == ["relu", "sigmoid", "softmax([z, 0])₀"]
    for axis in axes:   # the two zero lines, f and f'
        assert len(axis.lines) == 4
    x = axes[1].lines[2].get_xdata()
    s = 1 / (1 + np.exp(-x))
    np.testing.assert_allclose(axes[1].lines[2].get_ydata(), s, atol=1e-12)
    np.testing.assert_allclose(axes[1].lines[3].get_ydata(), s * (1 - s), atol=1e-12)
    np.testing.assert_array_equal(axes[0].lines[3].get_ydata(), (x > 0).astype(float))
    np.testing.assert_allclose(axes[2].lines[3].get_ydata(), s * (1 - s), atol=1e-12)   # softmax([z, 0])₀ = σ(z)
    with pytest.raises(ValueError):
        plot.activations(["no_such_activation"])


def test_activations_default_draws_every_one():
    figure = plot.activations()
    assert len(visible_axes(figure)) == len(plot.activation_curves.NAMES) == 18


# --- optimizer paths -----------------------------------------------------------------------
def test_optimizer_paths_gd_takes_the_hand_computed_steps(saved):
    figure = saved(lambda to_file: plot.optimizer_paths("bowl", steps=4, to_file=to_file))
    axis = figure.axes[0]
    assert len(axis.lines) == 5 + 2                       # five paths, start, minimum
    gd = figure.paths["SGD (η = 0.9)"]
    # f = x²/10 + y², ∇f = (x/5, 2y); from (−4, 2): w − 0.9·(−0.8, 4) = (−3.28, −1.6)
    np.testing.assert_allclose(gd[1], [-3.28, -1.6], atol=1e-12)
    np.testing.assert_allclose(gd[2], [-3.28 + 0.9 * 3.28 / 5, 1.6 * 0.8], atol=1e-12)
    assert gd.shape == (5, 2) and len(axis.collections) == 1       # the contour set


def test_optimizer_paths_on_a_callable_surface_and_errors():
    figure = plot.optimizer_paths(lambda x, y: (x - 1) ** 2 + (y + 1) ** 2, optimizers=["Adam"], steps=3,
                                  start=(0.0, 0.0))
    (path,) = figure.paths.values()
    # Adam's first step (ε-hat form), |g| = 2: η·√(1−β₂)·|g| / (√(1−β₂)·|g| + ε), against g
    step = 0.001 * np.sqrt(0.001) * 2 / (np.sqrt(0.001) * 2 + 1e-7)
    np.testing.assert_allclose(path[1], [step, -step], atol=1e-15)
    with pytest.raises(ValueError, match="unknown surface"):
        plot.optimizer_paths("himmelblau")


# --- decision boundary -------------------------------------------------------------------
def _two_blobs():
    return make_classification(n_samples=60, n_features=2, n_informative=2, n_redundant=0, n_clusters_per_class=1,
                               random_state=0)


def test_decision_boundary_of_an_sklearn_estimator(saved):
    X, y = _two_blobs()
    estimator = LogisticRegression().fit(X, y)
    figure = saved(lambda to_file: plot.decision_boundary(estimator, X, y, resolution=40, to_file=to_file))
    axis = figure.axes[0]
    scatters = [c for c in axis.collections if isinstance(c, PathCollection)]
    assert len(scatters) == 2 and sum(len(s.get_offsets()) for s in scatters) == 60
    assert [t.get_text() for t in axis.get_legend().get_texts()] == ["class 0", "class 1"]


def test_decision_boundary_of_a_glassnet_model_draws_the_half_contour():
    X, y = _two_blobs()
    model = gn.Sequential([L.Input((2,)), L.Dense(1, activation="sigmoid")])
    figure = plot.decision_boundary(model, X, y, resolution=30)
    assert len(figure.axes[0].collections) == 2 + 2           # regions, p = 0.5 line, two scatters
    with pytest.raises(ValueError, match="shape \\(n, 2\\)"):
        plot.decision_boundary(model, np.ones((4, 3)), np.ones(4))


# --- confusion matrix ----------------------------------------------------------------------
def test_confusion_matrix_counts_and_normalised_as_sklearn(saved):
    y_true, y_pred = [0, 1, 2, 2, 2], [0, 2, 2, 1, 2]
    figure = saved(lambda to_file: plot.confusion_matrix(y_true, y_pred, to_file=to_file))
    np.testing.assert_array_equal(figure.matrix, [[1, 0, 0], [0, 0, 1], [0, 1, 2]])
    assert texts(figure.axes[0]) == ["1", "0", "0", "0", "0", "1", "0", "1", "2"]
    for normalize in ("true", "pred", "all"):
        ours = plot.confusion_matrix(y_true, y_pred, normalize=normalize).matrix
        np.testing.assert_allclose(ours, sklearn_confusion_matrix(y_true, y_pred, normalize=normalize), atol=1e-12)


def test_confusion_matrix_from_probabilities_with_names():
    figure = plot.confusion_matrix([1, 0], np.array([[0.2, 0.8], [0.6, 0.4]]), display_labels=["cat", "dog"])
    np.testing.assert_array_equal(figure.matrix, [[1, 0], [0, 1]])
    assert [t.get_text() for t in figure.axes[0].get_yticklabels()] == ["cat", "dog"]
    with pytest.raises(ValueError, match="normalize"):
        plot.confusion_matrix([0], [0], normalize="rows")


# --- filters and feature maps ----------------------------------------------------------------
def _cnn():
    return gn.Sequential([L.Input((6, 6, 1)), L.Conv2D(3, 3, name="conv"), L.Flatten(name="flat"), L.Dense(2)])


def test_filters_one_image_per_kernel(saved):
    model = _cnn()
    figure = saved(lambda to_file: plot.filters(model.get_layer("conv"), to_file=to_file))
    images = [axis.images[0] for axis in figure.axes if axis.images]
    assert len(images) == 3
    np.testing.assert_allclose(images[1].get_array(), model.get_layer("conv").kernel.numpy()[:, :, 0, 1])
    with pytest.raises(TypeError):
        plot.filters(L.Flatten())


def test_feature_maps_are_the_layer_outputs(saved):
    model = _cnn()
    image = np.random.default_rng(0).random((6, 6, 1)).astype(np.float32)
    figure = saved(lambda to_file: plot.feature_maps(model, "conv", image, to_file=to_file))
    images = [axis.images[0] for axis in figure.axes if axis.images]
    assert len(images) == 1 + 3
    expected = gn.Model(model.inputs, model.get_layer("conv").output).predict(image[None], verbose=0)
    np.testing.assert_allclose(images[3].get_array(), expected[0, :, :, 2], rtol=1e-6)
    with pytest.raises(ValueError, match="expected \\(h, w, channels\\)"):
        plot.feature_maps(model, "flat", image)


# --- attention ---------------------------------------------------------------------------
def test_attention_one_heat_map_per_head_with_labels(saved):
    mha = L.MultiHeadAttention(num_heads=2, key_dim=2)
    q = np.random.default_rng(0).normal(size=(1, 3, 4)).astype(np.float32)
    _, scores = mha(q, q, return_attention_scores=True)
    figure = saved(lambda to_file: plot.attention(scores, x_labels=["a", "b", "c"], y_labels=["x", "y", "z"],
                                                  to_file=to_file))
    heads = [axis for axis in figure.axes if axis.images]
    assert len(heads) == 2 and len(figure.axes) == 3                 # two heads and the colour bar
    assert [t.get_text() for t in heads[0].get_xticklabels()] == ["a", "b", "c"]
    np.testing.assert_allclose(heads[1].images[0].get_array(), scores.numpy()[0, 1])
    with pytest.raises(ValueError, match="x_labels has 2 entries for 3"):
        plot.attention(scores, x_labels=["a", "b"])


# --- embeddings --------------------------------------------------------------------------
def test_embeddings_pca_matches_sklearn_and_colours_classes(saved):
    vectors = np.random.default_rng(0).normal(size=(20, 5))
    labels = np.arange(20) % 3
    figure = saved(lambda to_file: plot.embeddings(vectors, labels, to_file=to_file))
    np.testing.assert_allclose(figure.points, PCA(2, random_state=0).fit_transform(vectors), atol=1e-10)
    assert len(figure.axes[0].collections) == 3


def test_embeddings_tsne_writes_word_labels():
    vectors = np.random.default_rng(1).normal(size=(12, 4))
    words = [f"w{i}" for i in range(12)]
    figure = plot.embeddings(vectors, words, method="tsne")
    assert figure.points.shape == (12, 2) and texts(figure.axes[0]) == words
    with pytest.raises(ValueError, match="method"):
        plot.embeddings(vectors, method="umap")


# --- learning-rate finder -----------------------------------------------------------------
def test_lr_finder_restores_weights_and_optimizer(saved):
    X, y = _two_blobs()
    model = gn.Sequential([L.Input((2,)), L.Dense(4, activation="relu"), L.Dense(1, activation="sigmoid")])
    model.compile(gn.optimizers.Adam(learning_rate=0.01), "binary_crossentropy")
    model.fit(X, y, epochs=1, batch_size=20, verbose=0)                 # a built optimizer with moments
    weights = [w.copy() for w in model.get_weights()]
    state = model.optimizer.variables()
    figure = saved(lambda to_file: plot.lr_finder(model, X, y, steps=30, batch_size=20, to_file=to_file))
    for before, after in zip(weights, model.get_weights()):
        np.testing.assert_array_equal(before, after)
    for before, after in zip(state, model.optimizer.variables()):
        np.testing.assert_array_equal(before, after)
    assert model.optimizer.learning_rate == pytest.approx(0.01) and model.optimizer.iterations == 3
    result = figure.lr_test
    lrs = result["lr"]
    np.testing.assert_allclose(lrs[:3], 1e-7 * (10 / 1e-7) ** (np.arange(3) / 29))
    assert len(figure.axes[0].lines) == 3                               # raw, smoothed, suggestion
    _, suggestion = plot.lr_finder(model, X, y, steps=30, batch_size=20)
    assert suggestion is not None and lrs[0] <= suggestion <= lrs[-1]
    model.fit(X, y, epochs=1, batch_size=20, verbose=0)                 # the restored optimizer still trains
    assert model.optimizer.iterations == 6


def test_lr_finder_on_a_fresh_optimizer_leaves_it_unbuilt():
    X, y = _two_blobs()
    model = gn.Sequential([L.Input((2,)), L.Dense(1, activation="sigmoid")])
    model.compile("sgd", "binary_crossentropy")
    plot.lr_finder(model, X, y, steps=5)
    assert not model.optimizer.built and model.optimizer.iterations == 0
    with pytest.raises(ValueError, match="start_lr < end_lr"):
        plot.lr_finder(model, X, y, start_lr=1.0, end_lr=0.1)


# --- plot_model ----------------------------------------------------------------------------
def _two_branch():
    x = L.Input((8,), name="features")
    left = L.Dense(16, activation="relu", name="left")(x)
    right = L.Dense(4, name="right")(x)
    deeper = L.Dense(8, name="left_2")(left)
    merged = L.Concatenate(name="merge")([deeper, right])
    return gn.Model(x, L.Dense(1, activation="sigmoid", name="out")(merged), name="two_branch")


def test_plot_model_two_branches_one_box_per_layer_one_arrow_per_edge(saved):
    model = _two_branch()
    figure = saved(lambda to_file: plot.plot_model(model, to_file=to_file))
    patches = figure.axes[0].patches
    assert sum(isinstance(p, FancyBboxPatch) for p in patches) == 6
    # features→left, features→right, left→left_2, left_2→merge, right→merge, merge→out
    assert sum(isinstance(p, FancyArrowPatch) for p in patches) == 6
    labels = "\n".join(texts(figure.axes[0]))
    for name in ("features (InputLayer)", "left (Dense)", "right (Dense)", "merge (Concatenate)",
                 "in: [(None, 8), (None, 4)]", "out: (None, 12)"):
        assert name in labels


def test_plot_model_shared_layer_is_one_box_with_an_arrow_per_call():
    a, b = L.Input((4,), name="a"), L.Input((4,), name="b")
    shared = L.Dense(3, name="shared")
    model = gn.Model([a, b], L.Add(name="add")([shared(a), shared(b)]))
    figure = plot.plot_model(model, to_file=None)
    patches = figure.axes[0].patches
    assert sum(isinstance(p, FancyBboxPatch) for p in patches) == 4
    assert sum(isinstance(p, FancyArrowPatch) for p in patches) == 4          # a→shared, b→shared, shared→add ×2
    assert "shared (Dense)\nin: (None, 4) | (None, 4)\nout: (None, 3) | (None, 3)" in texts(figure.axes[0])


def test_plot_model_sequential_and_the_keras_location(tmp_path):
    model = gn.Sequential([L.Input((4,)), L.Dense(3, name="hidden"), L.Dense(1, name="output")])
    figure = gn.utils.plot_model(model, to_file=str(tmp_path / "model.png"), show_shapes=False, rankdir="LR")
    assert (tmp_path / "model.png").stat().st_size > 500
    assert sum(isinstance(p, FancyArrowPatch) for p in figure.axes[0].patches) == 2
    assert "hidden (Dense)" in texts(figure.axes[0]) and isinstance(figure, Figure)
    with pytest.raises(ValueError, match="not built"):
        plot.plot_model(gn.Sequential([L.Dense(2)]), to_file=None)


# --- the autograd graph ---------------------------------------------------------------------
def test_graph_of_the_neuron_has_every_value_and_gradient(saved, float64):
    w, b = gn.Variable(2.0, name="w"), gn.Variable(0.5, name="b")
    x = gn.Tensor(-1.0, requires_grad=True)
    y = gn_activations.sigmoid(w * x + b)
    figure = saved(lambda to_file: plot.graph(y, names={"x": x}, to_file=to_file))
    nodes = {n["label"]: n for n in figure.nodes}
    assert list(nodes) == ["w", "x", "Mul", "b", "Add", "Sigmoid"]
    s = 1 / (1 + np.exp(1.5))                                        # σ(2·(−1) + 0.5)
    expected = {"Sigmoid": (s, 1.0), "Add": (-1.5, s * (1 - s)), "Mul": (-2.0, s * (1 - s)),
                "b": (0.5, s * (1 - s)), "w": (2.0, s * (1 - s) * -1.0), "x": (-1.0, s * (1 - s) * 2.0)}
    for label, (value, grad) in expected.items():
        assert float(nodes[label]["value"]) == pytest.approx(value, abs=1e-12)
        assert float(nodes[label]["grad"]) == pytest.approx(grad, abs=1e-12)
    patches = figure.axes[0].patches
    assert sum(isinstance(p, FancyBboxPatch) for p in patches) == 6
    assert sum(isinstance(p, FancyArrowPatch) for p in patches) == 5
    y.backward()                                                     # the picture agrees with backward()
    assert w.grad == pytest.approx(float(nodes["w"]["grad"]), abs=1e-15)
    with pytest.raises(ValueError, match="retain_graph"):
        plot.graph(y)


def test_graph_shows_constants_without_gradient():
    a = gn.Variable(np.array([1.0, 2.0]), name="a")
    y = (a * 3.0).sum()
    nodes = plot.graph(y).nodes
    assert [(n["label"], n["op"]) for n in nodes] == [("a", None), ("constant", None), ("Mul", "Mul"), ("Sum", "Sum")]
    assert nodes[1]["grad"] is None and float(nodes[1]["value"]) == 3.0
    np.testing.assert_array_equal(nodes[0]["grad"], [3.0, 3.0])                # ∂Σ 3aᵢ/∂aᵢ = 3
    np.testing.assert_array_equal(nodes[2]["grad"], [1.0, 1.0])
    with pytest.raises(ValueError, match="requires grad"):
        plot.graph(gn.Tensor([1.0]) * 2)
