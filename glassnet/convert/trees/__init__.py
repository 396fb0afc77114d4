"""Decision trees and tree ensembles as tensor programs: Hummingbird's three strategies.

A fitted tree ensemble predicts S(x) = Σ_t v_t[leaf_t(x)] + base: every tree sends x to one
leaf and the leaves' values are added up (``strategy.py``); a small head turns S into
probabilities, decisions, labels or anomaly scores (``heads.py``). The three strategies of
Hummingbird (Nakandala et al., "A Tensor Compiler for Unified Machine Learning Prediction
Serving", OSDI 2020) find the leaves of all trees for a whole batch at once:

=================  ==========================================================================
gemm.py            GEMM: the tests as a product X·A compared with B, the paths as a product
                   with C compared with D, the values as a product with E
tree_traversal.py  TreeTrav: max_depth lockstep steps of gathers over the node arrays
perfect_tree.py    PerfTreeTrav: trees padded to perfect binary trees; the child is 2h+1 or
                   2h+2, so a step is one gather of the feature and one of the threshold
=================  ==========================================================================

``extract.py`` reads fitted scikit-learn trees into plain arrays, ``choose.py`` picks the
strategy, ``ensembles.py`` holds the converters, ``traversal_kernels.py`` an optional Numba
twin of the two walks (an accelerator; the ops path stays the reference).

Choosing ("auto"): Hummingbird's heuristic on the deepest tree's depth D, with a cap on the
GEMM's size that glassnet adds for the CPU (``choose.py`` has the measurements):

    D <= 3 and at most 16 internal nodes in all   gemm             (three small matrix products)
    D <= 10 otherwise                             perf_tree_trav   (2^D padded nodes per tree are cheap)
    D > 10                                        tree_trav        (padding would explode; walk the real nodes)

``from_sklearn(model, strategy="gemm" | "tree_trav" | "perf_tree_trav")`` forces one; all
three give the same numbers.

Precision. scikit-learn's trees, forests, GradientBoosting and IsolationForest cast X to
float32 and compare it with float64 thresholds; the strategies compare float32 X with the
thresholds rounded down to float32 (``extract.threshold_below``), which is the same test bit
for bit, so every sample reaches the same leaves. HistGradientBoosting compares the float64 X
itself, and so do the strategies in float64. Leaf values are summed in tree order, as
scikit-learn sums them. With ``dtype="float64"`` (the default) labels are exact and values
agree to ~1e-15; with ``dtype="float32"`` labels stay exact for the float32-comparing models,
values agree to ~1e-6 relative, and a HistGradientBoosting input that float32 cannot hold may
land on the other side of a threshold it lies within rounding of.

A worked example, with a pencil
-------------------------------
One tree of depth 2 on two features, numbered as scikit-learn numbers nodes (depth first)::

                 node 0: x0 <= 0.5 ?
                 yes /          \\ no
       node 1: x1 <= 2.0 ?     node 4: leaf, value 30
        yes /      \\ no
  node 2: leaf 10   node 3: leaf 20

Take x = (0.3, 5.0): 0.3 <= 0.5 goes left, 5.0 <= 2.0 fails and goes right: leaf 3, value 20.

GEMM. Internal nodes j = (0, 1), leaves l = (2, 3, 4)::

    A = [[1, 0],      node j tests feature f: A[f, j] = 1      X·A = (0.3, 5.0)
         [0, 1]]
    B = [0.5, 2.0]                                             T = [X·A <= B] = (1, 0)
    C = [[+1, +1, −1],    leaf 2 is left of 0 and left of 1, leaf 3 left of 0 and right
         [+1, −1,  0]]    of 1, leaf 4 right of 0 (node 1 is not on its path)
    D = [2, 1, 0]         the number of +1 per column          T·C = (1, 1, −1)
                                                               P = [T·C == D] = (0, 1, 0)
    E = [[10], [20], [30]]                                     P·E = 20

TreeTrav. Flat node arrays, leaves pointing to themselves, max_depth = 2 steps::

    feature   = [0,   1,   0, 0, 0]        step 1: G = 0, x[0] = 0.3 <= 0.5  → G = left[0] = 1
    threshold = [0.5, 2.0, 0, 0, 0]        step 2: G = 1, x[1] = 5.0 > 2.0   → G = right[1] = 3
    left      = [1,   2,   2, 3, 4]        value[3] = 20
    right     = [4,   3,   2, 3, 4]
    value     = [0,   0,  10, 20, 30]

PerfTreeTrav. Padded to the perfect tree of depth 2 in heap order (children of h: 2h+1, 2h+2);
node 4, a leaf at depth 1, becomes h = 2 with an always-true test over two copies of 30::

    h:          0    1    2                 h = 0: 0.3 <= 0.5   → h = 2·0 + 1 = 1
    feature   = [0,   1,   0]               h = 1: 5.0 > 2.0    → h = 2·1 + 2 = 4
    threshold = [0.5, 2.0, +∞]              bottom level starts at 2^2 − 1 = 3: leaf 4 − 3 = 1
    value     = [10, 20, 30, 30]           value[1] = 20

All T trees run together: GEMM stacks them into one X·A and two batched products over a
tree axis; the walks keep a (T, n) array of current nodes.
"""
from __future__ import annotations

from .choose import GEMM_MAX_DEPTH, GEMM_MAX_NODES, PERFECT_MAX_DEPTH, choose_strategy, compile_trees  # noqa: F401
from .extract import TreeArrays  # noqa: F401
from .gemm import GEMMTrees  # noqa: F401
from .heads import BoostedTrees, IsolationTrees, TreeClassifier, TreeRegressor  # noqa: F401
from .perfect_tree import PerfectTreeTraversal  # noqa: F401
from .tree_traversal import TreeTraversal  # noqa: F401
from . import ensembles  # noqa: F401,E402  (registers the converters)

__all__ = ["choose_strategy", "compile_trees", "TreeArrays", "GEMMTrees", "TreeTraversal", "PerfectTreeTraversal",
           "TreeClassifier", "TreeRegressor", "BoostedTrees", "IsolationTrees"]
