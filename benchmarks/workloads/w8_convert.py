"""W8 — compiled scikit-learn models (``glassnet.convert``): batched inference against
scikit-learn itself and hummingbird-ml's PyTorch backend.

The data are HIGGS-shaped: ``make_classification`` with 28 features (10 informative),
100,000 rows to predict (1,000,000 for the pipeline), float64 as scikit-learn users hold it.
The models are fitted on the first 20,000 rows (quick: 5,000), not timed:

* RF:  ``RandomForestClassifier(n_estimators=100, max_depth=8)``
* HGB: ``HistGradientBoostingClassifier(max_iter=100, early_stopping=False)`` (31 leaves per tree)
* pipeline: ``StandardScaler() → LogisticRegression()``

What is timed, interleaved run by run after a warm-up (with a short untimed pause after each
hummingbird-ml run, so that torch's spinning threads do not slow the next side): ``predict_proba`` of the whole batch
in one call on each side — glassnet ``from_sklearn(model)`` (float64, strategy "auto": the run
notes which strategy it chose), the scikit-learn estimator (the forest predicting with
``n_jobs`` = the suite's threads, so scikit-learn uses every core too; HGB and the pipeline
use OpenMP/BLAS threads anyway), and ``hummingbird.ml.convert(model, "torch")`` when
hummingbird-ml is installed (an optional peer: ``pip install hummingbird-ml``; never a
glassnet dependency). The run notes how far each side's probabilities are from
scikit-learn's and whether the labels agree.

Cases: RF and HGB at batch 10,000 and 100,000, the pipeline at 1,000,000 rows. Full: 5 runs
per side at 10,000 rows, 3 at 100,000 and 1,000,000; quick: the 10,000-row cases and the
pipeline on 100,000 rows, 2 runs each.
"""
from __future__ import annotations

import statistics
import time
import warnings

import numpy as np

from .. import harness

NAME = "W8"
DESCRIPTION = "glassnet.convert: RF (100 trees, depth 8), HistGB (100 iterations), scaler→logistic pipeline"
SKLEARN, HUMMINGBIRD = "scikit-learn", "hummingbird-ml"
FEATURES = 28
SETTLE = 0.3


def _data(rows: int, seed: int = 0):
    from sklearn.datasets import make_classification
    return make_classification(n_samples=rows, n_features=FEATURES, n_informative=10, n_redundant=4,
                               random_state=seed)


def _models(ctx, fit_rows: int):
    """The three fitted models, keyed by case name."""
    from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    X, y = _data(fit_rows, seed=1)
    forest = RandomForestClassifier(n_estimators=100, max_depth=8, random_state=0, n_jobs=ctx.threads).fit(X, y)
    boosted = HistGradientBoostingClassifier(max_iter=100, early_stopping=False, random_state=0).fit(X, y)
    pipeline = make_pipeline(StandardScaler(), LogisticRegression()).fit(X, y)
    return {"RF": forest, "HGB": boosted, "pipeline": pipeline}


def _hummingbird(ctx):
    """(hummingbird.ml or None, status)."""
    if ctx.peer_status.startswith("skipped"):
        return None, ctx.peer_status
    try:
        import hummingbird.ml as hummingbird
    except ImportError:
        return None, "not installed"
    return hummingbird, "ok"


def _convert(ctx, estimator, hummingbird):
    """{side: predict_proba function}: glassnet, scikit-learn and (if present) hummingbird-ml."""
    from glassnet.convert import from_sklearn
    sides = {"glassnet": from_sklearn(estimator).predict_proba}
    if not ctx.peer_status.startswith("skipped"):
        sides[SKLEARN] = estimator.predict_proba
        if hummingbird is not None:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                sides[HUMMINGBIRD] = hummingbird.convert(estimator, "torch").predict_proba
    return sides


def _strategy(model_fn) -> str:
    operator = model_fn.__self__.operator
    trees = getattr(operator, "trees", None)
    return f"strategy {trees.strategy}" if trees is not None else "no trees"


def _interleave(sides: dict, runs: int) -> dict:
    """``harness.interleave``, with a pause of ``SETTLE`` seconds (untimed) after each
    hummingbird-ml run: torch's OpenMP threads keep spinning for a while after a call, and
    the side timed next would pay for it (measured: the forest's glassnet run 10% slower)."""
    done = {name: [] for name in sides}
    for _ in range(runs):
        for name, fn in sides.items():
            done[name].append(harness.timed(fn))
            if name == HUMMINGBIRD:
                time.sleep(SETTLE)
    return done


def _case(ctx, case, sides, X, runs, reference):
    """Rows of one case: each side's median samples/s over ``runs`` interleaved runs."""
    for fn in sides.values():
        fn(X[:1000])                                                             # warm-up
    done = _interleave({side: (lambda fn=fn: fn(X)) for side, fn in sides.items()}, runs)
    rows, rates = [], {}
    for side, side_runs in done.items():
        rates[side] = statistics.median(len(X) / run.seconds for run in side_runs)
        rows.append(harness.Row(NAME, case, side, infer=rates[side], peak_mb=harness.max_peak(side_runs),
                                raw={"samples": len(X), "run_seconds": [r.seconds for r in side_runs]}))
        warning = harness.spread_warning(side, side_runs)
        if warning:
            ctx.note(NAME, f"{case}: {warning}")
    outputs = {side: np.asarray(side_runs[-1].result) for side, side_runs in done.items()}
    expected = reference(X)
    agree = [f"{side} max |p − sklearn| {np.max(np.abs(p - expected)):.1e}, same label "
             f"{100 * np.mean(p.argmax(1) == expected.argmax(1)):.3f}%" for side, p in outputs.items()
             if side != SKLEARN]
    ratios = [f"glassnet/{side} speed {rates['glassnet'] / rates[side]:.2f}" for side in rates if side != "glassnet"]
    ctx.note(NAME, f"{case}: " + "; ".join(ratios + agree))
    return rows


def run(ctx) -> list:
    fit_rows = 5_000 if ctx.quick else 20_000
    hummingbird, hb_status = _hummingbird(ctx)
    models = _models(ctx, fit_rows)
    X_trees, _ = _data(100_000)
    X_pipeline, _ = _data(100_000 if ctx.quick else 1_000_000, seed=2)
    cases = [("RF", 10_000, 5), ("HGB", 10_000, 5)]
    if not ctx.quick:
        cases += [("RF", 100_000, 3), ("HGB", 100_000, 3)]
    cases.append(("pipeline", len(X_pipeline), 2 if ctx.quick else 3))
    rows = []
    for name, batch, runs in cases:
        if ctx.quick:
            runs = 2
        estimator = models[name]
        case = f"{name} batch {batch:,}"
        try:
            sides = _convert(ctx, estimator, hummingbird)
        except (TypeError, ValueError) as error:                     # a converter glassnet lacks
            ctx.note(NAME, f"{case}: skipped, glassnet.convert cannot convert it: {error}")
            continue
        ctx.note(NAME, f"{case}: glassnet {_strategy(sides['glassnet'])}")
        X = X_pipeline if name == "pipeline" else X_trees[:batch]
        rows += _case(ctx, case, sides, X, runs, estimator.predict_proba)
        if HUMMINGBIRD not in sides:
            rows.append(harness.Row(NAME, case, HUMMINGBIRD, status=hb_status))
    return rows


def profile(ctx):
    """glassnet's converted RF predict_proba over 100,000 rows."""
    from glassnet.convert import from_sklearn
    forest = _models(ctx, 5_000)["RF"]
    model, (X, _) = from_sklearn(forest), _data(100_000)
    model.predict_proba(X[:1000])
    return lambda: model.predict_proba(X)
