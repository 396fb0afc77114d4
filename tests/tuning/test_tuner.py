"""glassnet.tuning: the hp object on Optuna trials, and the Tuner's search, storage, pruning,
failures and results. Tiny data made here; each trial trains a few epochs of a Dense model."""
import multiprocessing
import sys

import numpy as np
import optuna
import pytest
from scipy import stats

import glassnet as gn
from glassnet.tuning import HyperParameters, Tuner
from glassnet.tuning.tuner import infer_direction

optuna.logging.set_verbosity(optuna.logging.ERROR)


def _data(n=120, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 4)).astype("float32")
    y = (x[:, 0] + x[:, 1] > 0).astype("int64")
    return x, y


def build_classifier(hp):
    """Module level, so that spawned processes can unpickle it."""
    model = gn.Sequential([gn.layers.Input((4,)),
                           gn.layers.Dense(hp.Int("units", 2, 8, step=2), activation=hp.Choice("act", ["relu", "tanh"])),
                           gn.layers.Dense(2, activation="softmax")])
    model.compile(gn.optimizers.Adam(hp.Float("lr", 1e-3, 1e-1, sampling="log")), "sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


def _search_worker(url, study_name, trials):
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    x, y = _data()
    Tuner(build_classifier, max_trials=trials, algorithm="random", storage=url, study_name=study_name,
          pruning=False).search(x, y, epochs=1, validation_split=0.25)


# --- HyperParameters ---------------------------------------------------------------------

def _draws(sampler, draw, n=300):
    study = optuna.create_study(sampler=sampler)
    values = []
    for _ in range(n):
        trial = study.ask()
        values.append(draw(HyperParameters(trial)))
        study.tell(trial, 0.0)
    return np.array(values, dtype=float)


def test_log_sampling_is_log_uniform():
    """Kolmogorov–Smirnov: log(v) of 300 random-sampler draws is uniform on [log lo, log hi];
    linear draws of the same range fail the same test."""
    lo, hi = 1e-5, 1e-1

    def to_unit(v):
        return (np.log(v) - np.log(lo)) / (np.log(hi) - np.log(lo))

    log_draws = _draws(optuna.samplers.RandomSampler(seed=0), lambda hp: hp.Float("lr", lo, hi, sampling="log"))
    assert log_draws.min() >= lo and log_draws.max() <= hi
    assert stats.kstest(to_unit(log_draws), "uniform").pvalue > 0.05
    linear_draws = _draws(optuna.samplers.RandomSampler(seed=0), lambda hp: hp.Float("lr", lo, hi))
    assert stats.kstest(to_unit(linear_draws), "uniform").pvalue < 1e-6
    int_draws = _draws(optuna.samplers.RandomSampler(seed=1), lambda hp: hp.Int("units", 1, 1024, sampling="log"))
    assert np.mean(int_draws <= 32) == pytest.approx(0.5, abs=0.1)   # half the log-range lies below √1024


def test_hyperparameters_kinds_defaults_and_values():
    hp = HyperParameters()   # no trial: every call returns its default
    assert hp.Int("n", 2, 4) == 2 and hp.Float("f", 0.5, 1.0) == 0.5 and hp.Choice("c", ["a", "b"]) == "a"
    assert hp.Boolean("b") is False and hp.Fixed("k", 7) == 7
    assert hp.values == {"n": 2, "f": 0.5, "c": "a", "b": False, "k": 7}
    study = optuna.create_study(sampler=optuna.samplers.RandomSampler(seed=0))
    hp = HyperParameters(study.ask())
    units = hp.Int("units", 10, 50, step=10)
    assert units in (10, 20, 30, 40, 50) and hp.Int("units", 10, 50, step=10) == units   # same name, same value
    assert hp.Choice("act", ["relu", "tanh"]) in ("relu", "tanh")
    assert 0.1 <= hp.Float("l2", 0.1, 0.5, step=0.4) in (0.1, 0.5)
    assert set(hp.values) == {"units", "act", "l2"}
    with pytest.raises(ValueError, match="log sampling needs"):
        hp.Float("bad", 0.0, 1.0, sampling="log")
    with pytest.raises(ValueError, match="min_value <= max_value"):
        hp.Int("bad", 5, 1)
    with pytest.raises(ValueError, match="sampling"):
        hp.Int("bad", 1, 5, sampling="cubic")


def test_conditional_parameters_exist_only_in_their_branch():
    study = optuna.create_study(sampler=optuna.samplers.RandomSampler(seed=0))
    seen = {True: 0, False: 0}
    for _ in range(30):
        trial = study.ask()
        hp = HyperParameters(trial)
        if hp.Boolean("bn"):                       # define-by-run: drawn only in this branch
            hp.Float("momentum", 0.8, 0.99)
        with hp.conditional_scope("bn", [False]):  # KerasTuner's way
            dropout = hp.Float("dropout", 0.1, 0.5, default=0.0)
        study.tell(trial, 0.0)
        seen[hp["bn"]] += 1
        assert ("momentum" in trial.params) == hp["bn"]
        assert ("dropout" in trial.params) == (not hp["bn"])
        if hp["bn"]:
            assert dropout == 0.0 and not hp.is_active("dropout")
    assert seen[True] > 0 and seen[False] > 0


# --- the Tuner ---------------------------------------------------------------------------

def test_direction_is_inferred_from_the_objective():
    assert infer_direction("val_loss") == "minimize" and infer_direction("mae") == "minimize"
    assert infer_direction("val_accuracy") == "maximize" and infer_direction("val_auc") == "maximize"
    assert Tuner(build_classifier, objective="val_loss").study.direction.name == "MINIMIZE"
    assert Tuner(build_classifier, objective="val_accuracy").study.direction.name == "MAXIMIZE"
    assert Tuner(build_classifier, objective="val_loss", direction="max").direction == "maximize"
    with pytest.raises(ValueError, match="direction"):
        Tuner(build_classifier, objective=lambda history: 0.0)
    with pytest.raises(ValueError, match="minimize or maximize"):
        Tuner(build_classifier, objective="val_banana")


def test_search_results_best_hyperparameters_and_plots(tmp_path):
    x, y = _data()

    def build(hp):
        hp.Fixed("optimizer", "adam")
        return build_classifier(hp)

    tuner = Tuner(build, objective="val_accuracy", max_trials=5, algorithm="tpe", seed=0)
    tuner.search(x, y, epochs=3, validation_split=0.25, batch_size=16)
    rows = tuner.results()
    assert [row["number"] for row in rows] == [0, 1, 2, 3, 4]
    complete = [row for row in rows if row["state"] == "COMPLETE"]
    best = max(complete, key=lambda row: row["value"])
    assert tuner.best_trial.value == best["value"]
    assert tuner.best_hyperparameters == {name[3:]: value for name, value in best.items() if name.startswith("hp_")}
    assert set(tuner.best_hyperparameters) == {"optimizer", "units", "act", "lr"}
    assert tuner.best_hyperparameters["optimizer"] == "adam"
    table = tuner.results_dataframe()
    try:
        import pandas
    except ImportError:
        assert table == rows
    else:
        assert isinstance(table, pandas.DataFrame) and len(table) == 5 and "hp_lr" in table.columns
    model = tuner.best_model()   # kept from the best trial
    assert model.layers[0].units == tuner.best_hyperparameters["units"]
    assert tuner.best_model(retrain=True).layers[0].units == tuner.best_hyperparameters["units"]
    tuner.plot_history(tmp_path / "history.png")
    importances = tuner.plot_importances(tmp_path / "importances.png")
    assert set(importances) <= {"units", "act", "lr"} and len(importances) > 0
    for name in ("history.png", "importances.png"):
        assert (tmp_path / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_callable_objective_and_executions_per_trial():
    x, y = _data()
    calls = []

    def last_loss(history):
        calls.append(history.model)
        return history.history["loss"][-1]

    tuner = Tuner(build_classifier, objective=last_loss, direction="min", max_trials=2, executions_per_trial=2,
                  algorithm="random", seed=0)
    tuner.search(x, y, epochs=2)
    assert len(calls) == 4 and all(isinstance(model, gn.Model) for model in calls)
    assert all(row["state"] == "COMPLETE" for row in tuner.results())


def test_a_build_that_raises_fails_its_trial_and_the_search_continues():
    x, y = _data()

    def build(hp):
        if hp.Choice("layers", [1, 2, 3]) == 2:
            raise RuntimeError("two layers are not supported")
        return build_classifier(hp)

    tuner = Tuner(build, max_trials=6, algorithm="random", seed=0)
    for layers in (1, 2, 3, 2):
        tuner.enqueue({"layers": layers})
    tuner.search(x, y, epochs=1, validation_split=0.25)
    rows = tuner.results()
    assert len(rows) == 6
    failed = [row for row in rows if row["state"] == "FAIL"]
    assert [row["number"] for row in failed][:2] == [1, 3]
    assert all(row["error"] == "RuntimeError: two layers are not supported" for row in failed)
    assert all(row["hp_layers"] == 2 for row in failed)
    assert sum(row["state"] == "COMPLETE" for row in rows) == 6 - len(failed) >= 3
    assert tuner.best_hyperparameters["layers"] in (1, 3)


def test_grid_enumerates_every_combination_once():
    x, y = _data()

    def build(hp):
        hp.Choice("act", ["relu", "tanh"])
        hp.Boolean("wide")
        hp.Int("units", 2, 6, step=2)
        return build_classifier(HyperParameters())   # the defaults: a fixed small model

    tuner = Tuner(build, max_trials=20, algorithm="grid", seed=0)
    tuner.search(x, y, epochs=1, validation_split=0.25)
    combos = [(r["hp_act"], r["hp_wide"], r["hp_units"]) for r in tuner.results()]
    assert len(combos) == 12 and len(set(combos)) == 12   # 2 × 2 × 3, then the grid is exhausted
    with pytest.raises(ValueError, match="continuous"):
        Tuner(build_classifier, algorithm="grid")          # lr is a continuous log Float


def test_pruning_stops_a_clearly_bad_trial():
    """Three good trials, then one whose weights start at 10 and barely move: at epoch 1
    its val_loss is far above the median of the good ones, so the median rule prunes it."""
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 3)).astype("float32")
    y = x @ np.array([1.0, -2.0, 0.5], dtype="float32")[:, None]

    def build(hp):
        bad = hp.Boolean("bad")
        init = gn.initializers.Constant(10.0) if bad else "zeros"
        model = gn.Sequential([gn.layers.Input((3,)), gn.layers.Dense(1, kernel_initializer=init)])
        model.compile(gn.optimizers.SGD(1e-6 if bad else 0.05), "mse")
        return model

    tuner = Tuner(build, objective="val_loss", max_trials=4, algorithm="random", seed=0)
    for bad in (False, False, False, True):
        tuner.enqueue({"bad": bad})
    tuner.search(x, y, epochs=6, validation_split=0.25, batch_size=8)
    rows = tuner.results()
    assert [row["state"] for row in rows] == ["COMPLETE"] * 3 + ["PRUNED"]
    assert rows[3]["epochs"] == 2 and all(row["epochs"] == 6 for row in rows[:3])
    assert tuner.best_hyperparameters == {"bad": False}


def test_a_sqlite_study_resumes_and_continues_the_trial_count(tmp_path):
    x, y = _data()
    url = f"sqlite:///{tmp_path / 'study.db'}"
    first = Tuner(build_classifier, max_trials=3, algorithm="random", storage=url, study_name="mlp", seed=0)
    first.search(x, y, epochs=1, validation_split=0.25)
    best_so_far = first.best_trial.value
    again = Tuner(build_classifier, max_trials=2, algorithm="random", storage=url, study_name="mlp", seed=1)
    assert len(again.results()) == 3
    with pytest.raises(RuntimeError, match="call search first"):
        again.best_model()   # best trial ran in another Tuner: retraining needs the data
    again.search(x, y, epochs=1, validation_split=0.25)
    assert [row["number"] for row in again.results()] == [0, 1, 2, 3, 4]
    assert again.best_trial.value <= best_so_far
    assert isinstance(again.best_model(), gn.Model)
    with pytest.raises(optuna.exceptions.DuplicatedStudyError):
        Tuner(build_classifier, storage=url, study_name="mlp", load_if_exists=False)


def test_a_resumed_study_with_the_same_seed_draws_new_parameters(tmp_path):
    x, y = _data()
    url = f"sqlite:///{tmp_path / 'study.db'}"
    for _ in range(2):        # two sessions, same script, same seed
        Tuner(build_classifier, max_trials=2, algorithm="random", storage=url, study_name="s", seed=0).search(
            x, y, epochs=1, validation_split=0.25)
    trials = optuna.load_study(study_name="s", storage=url).get_trials()
    first, second = [t.params for t in trials[:2]], [t.params for t in trials[2:]]
    assert len(trials) == 4 and first != second     # without the seed offset, session 2 replays session 1


def test_two_processes_share_one_sqlite_study_without_duplicates(tmp_path):
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    Tuner(build_classifier, storage=url, study_name="shared")   # create it once, as the recipe says
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_search_worker, args=(url, "shared", 3)) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert [worker.exitcode for worker in workers] == [0, 0]
    trials = optuna.load_study(study_name="shared", storage=url).get_trials()
    numbers = sorted(trial.number for trial in trials)
    assert numbers == list(range(6))
    assert all(trial.state == optuna.trial.TrialState.COMPLETE for trial in trials)
    assert len({trial._trial_id for trial in trials}) == 6


def test_a_missing_optuna_gives_a_clear_import_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "optuna", None)
    with pytest.raises(ImportError, match=r"pip install glassnet\[tuning\]"):
        Tuner(build_classifier)


def test_a_seed_repeats_the_search():
    x, y = _data()
    runs = [Tuner(build_classifier, max_trials=3, algorithm="tpe", seed=7).search(x, y, epochs=2, validation_split=0.25)
            for _ in range(2)]
    first, second = ([(row["hp_units"], row["hp_act"], row["hp_lr"], row["value"]) for row in run.results()]
                     for run in runs)
    assert first == second
    with pytest.raises(ValueError, match="algorithm"):
        Tuner(build_classifier, algorithm="annealing")
    with pytest.raises(ValueError, match="max_trials"):
        Tuner(build_classifier, max_trials=0)
