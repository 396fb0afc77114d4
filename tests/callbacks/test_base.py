"""Callback, CallbackList, History, LambdaCallback: dispatch and plumbing."""
import numpy as np
import pytest

from glassnet.callbacks import Callback, CallbackList, History, LambdaCallback, ProgbarLogger

from .fakes import FakeModel, run

HOOKS_WITH_INDEX = ["on_epoch_begin", "on_epoch_end", "on_train_batch_begin", "on_train_batch_end",
                    "on_test_batch_begin", "on_test_batch_end", "on_predict_batch_begin", "on_predict_batch_end"]
HOOKS_WITHOUT_INDEX = ["on_train_begin", "on_train_end", "on_test_begin", "on_test_end", "on_predict_begin",
                       "on_predict_end"]


class Recorder(Callback):
    def __init__(self, tag, journal):
        super().__init__()
        self.tag, self.journal = tag, journal

    def __getattribute__(self, name):
        if name in HOOKS_WITH_INDEX:
            return lambda index, logs=None: self.journal.append((self.tag, name, index))
        if name in HOOKS_WITHOUT_INDEX:
            return lambda logs=None: self.journal.append((self.tag, name))
        return super().__getattribute__(name)


def test_every_hook_reaches_every_callback_in_order():
    journal = []
    callbacks = CallbackList([Recorder("a", journal), Recorder("b", journal)])
    for hook in HOOKS_WITHOUT_INDEX:
        getattr(callbacks, hook)({})
    for hook in HOOKS_WITH_INDEX:
        getattr(callbacks, hook)(3, {})
    expected = [(tag, hook) for hook in HOOKS_WITHOUT_INDEX for tag in "ab"]
    expected += [(tag, hook, 3) for hook in HOOKS_WITH_INDEX for tag in "ab"]
    assert journal == expected


def test_base_callback_hooks_do_nothing_and_batch_aliases_forward():
    calls = []

    class Old(Callback):  # Keras 2 style: on_batch_end
        def on_batch_begin(self, batch, logs=None):
            calls.append(("begin", batch))

        def on_batch_end(self, batch, logs=None):
            calls.append(("end", batch, logs["loss"]))

    cb = Old()
    cb.on_train_batch_begin(0)
    cb.on_train_batch_end(0, {"loss": 2.0})
    assert calls == [("begin", 0), ("end", 0, 2.0)]
    plain = Callback()
    for hook in HOOKS_WITHOUT_INDEX:
        assert getattr(plain, hook)({}) is None
    for hook in HOOKS_WITH_INDEX:
        assert getattr(plain, hook)(0, {}) is None


def test_model_and_params_reach_callbacks():
    model = FakeModel()
    cb = Callback()
    callbacks = CallbackList([cb], add_history=True, model=model, verbose=0, epochs=4, steps=10)
    assert cb.model is model and cb.params == {"verbose": 0, "epochs": 4, "steps": 10}
    assert isinstance(model.history, History)
    assert len(callbacks) == 2 and isinstance(callbacks.callbacks[-1], History)


def test_default_history_and_progbar_are_added_once_and_last():
    history, progbar = History(), ProgbarLogger()
    callbacks = CallbackList([history, progbar], add_history=True, add_progbar=True, verbose=2, epochs=1, steps=1)
    assert callbacks.callbacks == [history, progbar]
    callbacks = CallbackList([Callback()], add_history=True, add_progbar=True, verbose=2, epochs=1, steps=1)
    assert [type(c) for c in callbacks] == [Callback, History, ProgbarLogger]


def test_logs_become_python_floats_and_one_dict_is_shared():
    seen = {}

    class AddsToLogs(Callback):
        def on_epoch_end(self, epoch, logs=None):
            logs["learning_rate"] = 0.5

    model = FakeModel()
    callbacks = CallbackList([AddsToLogs()], add_history=True, model=model)
    logs = {"loss": np.float32(0.25), "acc": np.array(0.5), "n": np.int64(3)}
    callbacks.on_epoch_end(0, logs)
    seen.update(model.history.history)
    assert seen == {"loss": [0.25], "acc": [0.5], "n": [3.0], "learning_rate": [0.5]}
    assert all(type(v[0]) is float for v in seen.values())
    assert logs["learning_rate"] == 0.5  # the training loop's dict got it too


def test_history_records_epochs_and_logs():
    model = FakeModel()
    history = run([], model, [{"loss": 3.0, "val_loss": 4.0}, {"loss": 2.0, "val_loss": 3.5}])
    assert history.epoch == [0, 1]
    assert history.history == {"loss": [3.0, 2.0], "val_loss": [4.0, 3.5]}


def test_bad_callbacks_raise_clear_errors():
    with pytest.raises(TypeError, match=r"callbacks\[1\].*type.*instance"):
        CallbackList([Callback(), Callback])
    with pytest.raises(TypeError, match="list of Callback"):
        CallbackList("history")
    with pytest.raises(TypeError, match="logs must be a dict"):
        CallbackList([Callback()]).on_epoch_end(0, [1.0])


def test_lambda_callback_calls_the_functions():
    calls = []
    cb = LambdaCallback(on_epoch_end=lambda epoch, logs: calls.append(("epoch", epoch, logs["loss"])),
                        on_train_begin=lambda logs: calls.append("begin"),
                        on_train_batch_end=lambda batch, logs: calls.append(("batch", batch)),
                        on_test_end=lambda logs: calls.append("test_end"))
    run([cb], FakeModel(), [{"loss": 1.5}], steps=2)
    CallbackList([cb]).on_test_end({})
    assert calls == ["begin", ("batch", 0), ("batch", 1), ("epoch", 0, 1.5), "test_end"]


def test_lambda_callback_rejects_unknown_hooks_and_non_callables():
    with pytest.raises(ValueError, match="unknown hook 'on_epoch_finish'"):
        LambdaCallback(on_epoch_finish=print)
    with pytest.raises(ValueError, match="`on_epoch_end` must be callable"):
        LambdaCallback(on_epoch_end=3)
