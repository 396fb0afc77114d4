"""Course plots with matplotlib: look at training rather than read it.

==========================  ==============================================================
function                    shows
==========================  ==============================================================
``history``                 train vs validation curves per metric (from ``fit``'s History)
``activations``             every activation f(x) and its derivative from ``backward()``
``optimizer_paths``         glassnet's optimizers on a 2-D loss surface (contours + paths)
``decision_boundary``       the decision regions of a 2-D classifier (glassnet or sklearn)
``confusion_matrix``        true vs predicted class counts, optionally normalised
``filters``                 a Conv2D layer's learned kernels
``feature_maps``            a layer's feature maps for one image
``attention``               attention weights as heat maps, one per head
``embeddings``              vectors projected to 2-D with PCA or t-SNE
``lr_finder``               the learning-rate range test; returns (figure, suggested η)
``plot_model``              the layer graph of a model, no Graphviz (= ``glassnet.utils.plot_model``)
``graph``                   an autograd graph with each node's value and gradient
==========================  ==============================================================

Every function returns a ``matplotlib.figure.Figure`` (made without pyplot, so it works on
a headless machine and leaks no open figures) and takes ``to_file=`` to save it as PNG,
SVG or PDF (``plot_model`` saves to "model.png" by default, as Keras does)::

    from glassnet import plot
    history = model.fit(x, y, validation_split=0.2, epochs=20)
    plot.history(history, to_file="curves.png")
    plot.plot_model(model, to_file="model.svg")
"""
from ._figure import save
from .activation_curves import activations
from .attention_maps import attention
from .autograd_graph import graph
from .cnn import feature_maps, filters
from .confusion import confusion_matrix
from .decision_boundary import decision_boundary
from .embedding_projection import embeddings
from .history_curves import history
from .lr_finder import lr_finder
from .model_graph import plot_model
from .optimizer_paths import SURFACES as optimizer_paths_surfaces
from .optimizer_paths import optimizer_paths

__all__ = ["activations", "attention", "confusion_matrix", "decision_boundary", "embeddings", "feature_maps",
           "filters", "graph", "history", "lr_finder", "optimizer_paths", "optimizer_paths_surfaces", "plot_model",
           "save"]
