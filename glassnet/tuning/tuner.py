"""Tuner: a hyperparameter search over a model-building function, run by Optuna.

    tuner = Tuner(build_model, objective="val_accuracy", max_trials=20, seed=0)
    tuner.search(x, y, epochs=10, validation_split=0.1)
    tuner.best_hyperparameters        # {"blocks": 3, "learning_rate": 0.0031, ...}
    model = tuner.best_model()
    tuner.plot_history("history.png"); tuner.plot_importances("importances.png")

The search algorithms are Optuna's samplers; glassnet writes none of its own:

- ``"tpe"`` (default), the Tree-structured Parzen Estimator: split the finished trials into
  the best γ fraction and the rest, model each group's parameters by a kernel density l(x) and
  g(x), and draw next the candidate that maximises l(x)/g(x). The first trials are random.
- ``"random"``: every parameter drawn independently (log-uniformly for ``sampling="log"``).
- ``"grid"``: every combination, in random order, through ``optuna.samplers.GridSampler``.
  Every parameter must be enumerable — Choice, Boolean, Fixed, Int (step 1 by default) or
  Float with a ``step`` — and must be reached when the build function runs with the default
  values (the grid is read from one such run), so no conditional parameters. The search stops
  early when the grid is exhausted.

Pruning (``pruning=True``): after each epoch a callback reports the objective to the trial;
the median rule (``optuna.pruners.MedianPruner``) stops the trial when its value at that epoch
is worse than the median of the earlier trials' values at the same epoch (after 3 trials have
finished and past the first epoch). A pruned trial is marked PRUNED and the search goes on.
Pruning needs a named objective ("val_loss", ...); a callable objective is not pruned.

A build function (or a fit) that raises marks its trial FAIL, with the error text in the
results table's ``error`` column, and the search continues.

Storage: in memory by default. Any Optuna storage URL keeps the study: with a SQLite file,
``Tuner(..., storage="sqlite:///study.db", study_name="mlp")`` resumes where it stopped
(``load_if_exists=True``); the trial count continues. Several machines share one study:

1. create one database reachable by all (``postgresql://user:pw@host/db``, or
   ``mysql://...``; a SQLite file on one machine's disk serves several processes there);
2. on each machine run the same script with the same ``storage`` URL and ``study_name`` and
   ``load_if_exists=True``; each ``search`` runs its own ``max_trials`` trials;
3. Optuna's storage hands out distinct trial numbers and each sampler reads every machine's
   finished trials; any machine then reads ``best_hyperparameters`` and the results table.
   Give each machine (process) its own ``seed`` (or None): two samplers seeded alike start
   with the same random draws.

Without a database, ``storage="journal:///path/study.log"`` uses Optuna's journal file: every
process appends its operations to one log file (locked while it writes) and replays the
others'; it serves several processes on one machine, or several machines on a shared file
system (NFS) — ``examples/distributed_tuning.py`` runs MPI ranks as workers this way.
"""
from __future__ import annotations

import json
import math

import numpy as np

from ..callbacks.base import Callback
from .hyperparameters import HyperParameters

_MIN_WORDS = ("loss", "error", "mse", "mae", "mape", "msle", "crossentropy", "hinge", "perplexity")
_MAX_WORDS = ("acc", "auc", "precision", "recall", "f1", "r2", "iou", "bleu", "score")
_DIRECTIONS = {"min": "minimize", "minimize": "minimize", "max": "maximize", "maximize": "maximize"}


def import_optuna():
    """Optuna, or an ImportError that says how to install it."""
    try:
        import optuna
    except ImportError as error:
        raise ImportError("glassnet.tuning needs Optuna: pip install glassnet[tuning] "
                          "(or pip install optuna)") from error
    return optuna


def infer_direction(objective) -> str:
    """"minimize" for a loss-like name, "maximize" for an accuracy-like one."""
    name = objective.lower().removeprefix("val_")
    if any(word in name for word in _MAX_WORDS):
        return "maximize"
    if any(word in name for word in _MIN_WORDS):
        return "minimize"
    raise ValueError(f"cannot tell whether to minimize or maximize {objective!r}: pass direction='min' or 'max'")


class PruningCallback(Callback):
    """Reports ``logs[monitor]`` to the Optuna trial after each epoch; raises
    ``optuna.TrialPruned`` when the pruner says the trial is worse than the median."""

    def __init__(self, trial, monitor):
        super().__init__()
        self.trial = trial
        self.monitor = monitor

    def on_epoch_end(self, epoch, logs=None):
        value = (logs or {}).get(self.monitor)
        if value is None:
            return
        self.trial.report(float(value), step=epoch)
        if self.trial.should_prune():
            optuna = import_optuna()
            raise optuna.TrialPruned(f"epoch {epoch}: {self.monitor}={float(value):.6g} is worse than the median")


class Tuner:
    """A hyperparameter search: Optuna draws the values, glassnet builds and trains.

    Args:
        build_model: ``build_model(hp) -> compiled Model``, with ``hp`` a ``HyperParameters``.
        objective: the name of a value in the training history ("val_loss",
            "val_accuracy", "loss", ...), taken at its best epoch; or a callable
            ``objective(history) -> float`` (``history.history`` the per-epoch logs,
            ``history.model`` the trained model), which needs ``direction``.
        direction: "min" or "max"; None infers it from the objective's name ("min" for
            losses and errors, "max" for accuracy-like names).
        max_trials: trials per ``search`` call.
        executions_per_trial: models trained per trial (fresh weights); the objective is
            their mean.
        algorithm: "tpe", "random" or "grid" (see the module docstring).
        pruning: True for the median pruner, False for none, or any Optuna pruner.
        storage: None (in memory), an Optuna storage URL such as "sqlite:///study.db" or
            "postgresql://...", "journal:///path/study.log" (Optuna's journal file), or an
            Optuna storage object.
        study_name: the study's name in the storage (None: Optuna makes one up).
        load_if_exists: continue a stored study of that name instead of failing.
        seed: seeds the sampler, and glassnet's weights (``seed + 1000 · trial number +
            execution``). A resumed study offsets the sampler's seed by its number of trials,
            so a second session does not replay the first one's draws; processes sharing a
            study at the same time need different seeds (or None).
    """

    def __init__(self, build_model, objective="val_loss", direction=None, max_trials=10, executions_per_trial=1,
                 algorithm="tpe", pruning=True, storage=None, study_name=None, load_if_exists=True, seed=None):
        optuna = import_optuna()
        if not callable(build_model):
            raise TypeError(f"build_model must be callable, got {type(build_model).__name__}")
        if callable(objective):
            if direction is None:
                raise ValueError("a callable objective needs direction='min' or 'max'")
        elif not isinstance(objective, str):
            raise TypeError(f"objective must be a name or a callable, got {objective!r}")
        if direction is None:
            direction = infer_direction(objective)
        if direction not in _DIRECTIONS:
            raise ValueError(f"direction must be 'min' or 'max', got {direction!r}")
        if int(max_trials) < 1 or int(executions_per_trial) < 1:
            raise ValueError("max_trials and executions_per_trial must be at least 1")
        self.build_model = build_model
        self.objective = objective
        self.direction = _DIRECTIONS[direction]
        self.max_trials = int(max_trials)
        self.executions_per_trial = int(executions_per_trial)
        self.algorithm = algorithm
        self.seed = seed
        self.study = optuna.create_study(storage=_storage(optuna, storage), sampler=self._sampler(optuna, algorithm, seed),
                                         pruner=self._pruner(optuna, pruning), study_name=study_name,
                                         direction=self.direction, load_if_exists=load_if_exists)
        resumed = len(self.study.trials)
        if resumed and seed is not None:
            # a resumed study must not replay the draws of its first session: offset the seed
            self.study.sampler = self._sampler(optuna, algorithm, int(seed) + resumed)
        self._fit_kwargs = None
        self._best = (None, None, None)   # (trial number, model, value) of the best trial run here

    def _sampler(self, optuna, algorithm, seed):
        if algorithm == "tpe":
            return optuna.samplers.TPESampler(seed=seed)
        if algorithm == "random":
            return optuna.samplers.RandomSampler(seed=seed)
        if algorithm == "grid":
            hp = HyperParameters()
            self.build_model(hp)
            continuous = [name for name, values in hp.space.items() if values is None]
            if continuous:
                raise ValueError(f"grid search needs every parameter enumerable; {continuous} are continuous "
                                 "Floats (give them a step)")
            space = {name: values for name, values in hp.space.items() if name in hp.values}
            return optuna.samplers.GridSampler(space, seed=seed)
        raise ValueError(f"algorithm must be 'tpe', 'random' or 'grid', got {algorithm!r}")

    @staticmethod
    def _pruner(optuna, pruning):
        if pruning is True:
            return optuna.pruners.MedianPruner(n_startup_trials=3, n_warmup_steps=1)
        if pruning is False or pruning is None:
            return optuna.pruners.NopPruner()
        return pruning

    # --- the search ------------------------------------------------------------------
    def search(self, x=None, y=None, epochs=1, validation_data=None, validation_split=0.0, verbose=0, callbacks=None,
               **fit_kwargs):
        """Run ``max_trials`` trials; each builds a model from its ``hp`` and ``fit``s it
        with these arguments (those of ``Model.fit``). Returns self."""
        optuna = import_optuna()
        self._fit_kwargs = dict(x=x, y=y, epochs=epochs, validation_data=validation_data,
                                validation_split=validation_split, verbose=verbose, callbacks=list(callbacks or []),
                                **fit_kwargs)
        self.study.optimize(self._run_trial, n_trials=self.max_trials, catch=(Exception,))
        return self

    def enqueue(self, hyperparameters: dict) -> None:
        """Make the next trial use these values (Optuna's ``enqueue_trial``)."""
        self.study.enqueue_trial(dict(hyperparameters))

    def _run_trial(self, trial):
        optuna = import_optuna()
        try:
            value, model, hp = self._train(trial, report=True)
        except optuna.TrialPruned:
            raise
        except Exception as error:
            trial.set_user_attr("error", f"{type(error).__name__}: {error}")
            raise
        trial.set_user_attr("hyperparameters", _jsonable(hp.values))
        if math.isfinite(value) and self._better(value, self._best_value()):
            self._best = (trial.number, model, value)
        return value

    def _train(self, trial, report):
        from ..utils import set_random_seed

        values, model, hp = [], None, None
        for execution in range(self.executions_per_trial):
            if self.seed is not None:
                set_random_seed(int(self.seed) + 1000 * trial.number + execution)
            hp = HyperParameters(trial)
            model = self.build_model(hp)
            if model is None:
                raise ValueError("build_model returned None instead of a compiled model")
            kwargs = dict(self._fit_kwargs)
            callbacks = list(kwargs.pop("callbacks"))
            if report and execution == 0 and isinstance(self.objective, str) and hasattr(trial, "report"):
                callbacks.append(PruningCallback(trial, self.objective))
            history = model.fit(callbacks=callbacks, **kwargs)
            values.append(self._score(history, model))
        return float(np.mean(values)), model, hp

    def _score(self, history, model) -> float:
        if callable(self.objective):
            return float(self.objective(history))
        if self.objective not in history.history:
            raise KeyError(f"objective {self.objective!r} is not in the history {sorted(history.history)}; "
                           "pass validation data for a val_ objective")
        series = [float(v) for v in history.history[self.objective]]
        return min(series) if self.direction == "minimize" else max(series)

    def _better(self, a, b) -> bool:
        return b is None or (a < b if self.direction == "minimize" else a > b)

    def _best_value(self):
        return self._best[2] if self._best[0] is not None else None

    # --- results ---------------------------------------------------------------------
    @property
    def best_trial(self):
        """The Optuna ``FrozenTrial`` with the best value (ValueError if none completed)."""
        return self.study.best_trial

    @property
    def best_hyperparameters(self) -> dict:
        """``{name: value}`` of the best completed trial (Fixed parameters included)."""
        trial = self.study.best_trial
        return dict(trial.user_attrs.get("hyperparameters", trial.params))

    def best_model(self, retrain=False):
        """The model of the best trial.

        When the best trial ran in this process (this Tuner's ``search``), its trained model
        is returned as it was (the last execution's model). Otherwise — a study resumed
        from storage or run on another machine — or with ``retrain=True``, the model is
        rebuilt from the best hyperparameters and trained again with the arguments of the
        last ``search`` call (so ``search`` must have been called here).
        """
        optuna = import_optuna()
        best = self.study.best_trial
        if not retrain and self._best[0] == best.number:
            return self._best[1]
        if self._fit_kwargs is None:
            raise RuntimeError("best_model needs to retrain, and no search has run in this process: call search first")
        _, model, _ = self._train(optuna.trial.FixedTrial(best.params, number=best.number), report=False)
        return model

    def results(self) -> list:
        """One dict per trial: number, state, value, duration_s, epochs (reported), error,
        and a ``hp_<name>`` entry per hyperparameter."""
        rows = []
        for trial in self.study.get_trials(deepcopy=False):
            duration = trial.duration.total_seconds() if trial.duration is not None else None
            row = {"number": trial.number, "state": trial.state.name, "value": trial.value, "duration_s": duration,
                   "epochs": len(trial.intermediate_values) or None, "error": trial.user_attrs.get("error")}
            params = trial.user_attrs.get("hyperparameters", trial.params)
            row.update({f"hp_{name}": value for name, value in params.items()})
            rows.append(row)
        return rows

    def results_dataframe(self):
        """The trials as a pandas DataFrame (one row each, see ``results``), or the list of
        dicts when pandas is not installed."""
        rows = self.results()
        try:
            import pandas
        except ImportError:
            return rows
        return pandas.DataFrame(rows)

    def plot_history(self, path) -> None:
        """A PNG of each completed trial's objective and the best so far, by trial number."""
        trials = [t for t in self.study.get_trials(deepcopy=False) if t.state.name == "COMPLETE"]
        numbers = [t.number for t in trials]
        values = [t.value for t in trials]
        best = (np.minimum if self.direction == "minimize" else np.maximum).accumulate(values) if values else []
        fig, ax = _figure()
        ax.plot(numbers, values, "o", label="trial")
        ax.plot(numbers, best, "-", label="best so far")
        ax.set_xlabel("trial")
        ax.set_ylabel(self.objective if isinstance(self.objective, str) else "objective")
        ax.set_title("Optimisation history")
        ax.legend()
        fig.savefig(path, format="png")

    def plot_importances(self, path, evaluator=None) -> dict:
        """A PNG of each hyperparameter's importance; returns ``{name: importance}``.

        Optuna's default evaluator, which needs no extra package: PED-ANOVA in Optuna 5
        (how much each parameter's distribution among the best trials differs from its
        distribution among all), fANOVA on a random forest in Optuna 3–4. Needs at least
        two completed trials; ``evaluator`` takes any other Optuna importance evaluator.
        """
        optuna = import_optuna()
        importances = optuna.importance.get_param_importances(self.study, evaluator=evaluator)
        names = list(importances)[::-1]
        fig, ax = _figure()
        ax.barh(names, [importances[name] for name in names])
        ax.set_xlabel("importance")
        ax.set_title("Hyperparameter importances")
        fig.tight_layout()
        fig.savefig(path, format="png")
        return dict(importances)


def _figure():
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6, 4))
    FigureCanvasAgg(fig)
    return fig, fig.add_subplot()


def _storage(optuna, storage):
    """A SQLite URL gets a 60 s lock timeout, so that processes sharing the file wait their turn;
    "journal:///path/to/file.log" is Optuna's journal file (an append-only log of operations,
    guarded by a lock file; no database needed)."""
    if isinstance(storage, str) and storage.startswith("sqlite"):
        return optuna.storages.RDBStorage(storage, engine_kwargs={"connect_args": {"timeout": 60}})
    if isinstance(storage, str) and storage.startswith("journal://"):
        path = storage[len("journal://"):]
        if not path:
            raise ValueError(f"storage {storage!r}: a journal storage needs a file, e.g. 'journal:///tmp/study.log'")
        from optuna.storages.journal import JournalFileBackend, JournalFileOpenLock

        return optuna.storages.JournalStorage(JournalFileBackend(path, lock_obj=JournalFileOpenLock(path)))
    return storage


def _jsonable(values: dict) -> dict:
    """The values, with NumPy scalars made Python ones (user attrs are stored as JSON)."""
    out = {}
    for name, value in values.items():
        value = value.item() if isinstance(value, np.generic) else value
        try:
            json.dumps(value)
        except TypeError:
            value = repr(value)
        out[name] = value
    return out
