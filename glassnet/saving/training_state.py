"""The state of a training run at an epoch boundary, in one crash-safe file.

``BackupAndRestore`` writes it at the end of every epoch and reads it when a killed run is
started again. It is everything ``fit`` needs to go on as if never stopped — and nothing
about the architecture (the restarted script builds the model itself), so it works for
subclassed models without ``get_config`` too. A zip archive holding exactly::

    metadata.json       {"format": "glassnet.training_state", "format_version": 1,
                         "glassnet_version", "date_saved",
                         "epoch": e,              the next epoch to run (0-based)
                         "batch": b,              batches done in it (0 at an epoch boundary)
                         "learning_rate": η|null, the optimizer's η when it is a plain number
                                                  (a LearningRateScheduler or ReduceLROnPlateau
                                                  may have changed it; a schedule is a function
                                                  of the restored iteration count instead)
                         "rng_state": {...}}      glassnet's random stream (shuffling, dropout)
    model.weights.npz   every weight, as in a model file (non-trainable ones included)
    optimizer.npz       iterations and slots (m, v, ...), as in a model file (once it has stepped)

One file, written atomically (``atomic.py``): a kill at any instant leaves either the
previous state or the new one, never weights of one epoch with the counter of another.
Reading is bounded and checked like a model file (``bounded_reading.py``), and nothing is
changed until every member has been checked against the model.
"""
from __future__ import annotations

import math
import numbers

from . import file_format as ff
from . import random_state, saving_api

FORMAT_NAME = "glassnet.training_state"
MEMBERS = (ff.METADATA, ff.WEIGHTS, ff.OPTIMIZER)
REQUIRED = (ff.METADATA, ff.WEIGHTS)
FIELDS = ff.METADATA_FIELDS + ("epoch", "batch", "learning_rate")
MAX_COUNT = 1 << 62


def save_training_state(model, filepath: str, epoch: int, batch: int = 0) -> None:
    """Write the training state of ``model`` to ``filepath`` (crash-safe).

    Args:
        model: a built, compiled model.
        filepath: the file (any name; ``BackupAndRestore`` uses ``training_state.zip``).
        epoch: the next epoch to run.
        batch: batches already run in that epoch (0 at an epoch boundary).
    """
    weights = saving_api._check_built(model, "BackupAndRestore")
    optimizer = getattr(model, "optimizer", None)
    rate = getattr(optimizer, "_learning_rate", None)
    meta = ff.metadata(random_state.current())
    meta.update(format=FORMAT_NAME, epoch=int(epoch), batch=int(batch),
                learning_rate=float(rate) if isinstance(rate, numbers.Real) else None)
    entries = {ff.METADATA: ff.dumps(meta, filepath, "training state"),
               ff.WEIGHTS: ff.npz_bytes(saving_api.weights_arrays(weights))}
    slots = saving_api.optimizer_arrays(model, weights)
    if slots is not None:
        entries[ff.OPTIMIZER] = ff.npz_bytes(slots)
    ff.write_archive(filepath, entries)


def _check_progress(meta: dict, filepath: str) -> None:
    for key in ("epoch", "batch"):
        value = meta.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < MAX_COUNT:
            raise ff.BadFileError(f"{filepath!r}: entry {ff.METADATA!r}: field {key!r} must be an int in "
                                  f"[0, 2**62), got {value!r:.80}")
    rate = meta.get("learning_rate")
    if rate is not None and (isinstance(rate, bool) or not isinstance(rate, (int, float)) or not math.isfinite(rate)
                             or rate < 0):
        raise ff.BadFileError(f"{filepath!r}: entry {ff.METADATA!r}: field 'learning_rate' must be a finite number "
                              f">= 0 or null, got {rate!r:.80}")


def load_training_state(model, filepath: str) -> dict:
    """Restore weights, optimizer state, learning rate and random stream from ``filepath``.

    Returns:
        ``{"epoch": e, "batch": b}``: where the saved run was.

    Raises:
        FileNotFoundError: if there is no such file.
        ValueError: naming the file and the member, for a file that is corrupt, foreign,
            or saved from another architecture (nothing is changed then).
    """
    entries = ff.read_archive(filepath, required=REQUIRED, allowed=MEMBERS)
    meta = ff.parse_json(entries[ff.METADATA], filepath, ff.METADATA)
    ff.check_metadata(meta, filepath, fields=FIELDS, format_name=FORMAT_NAME)
    _check_progress(meta, filepath)
    random_state.check(meta.get("rng_state"), filepath)
    saved = ff.ordered_weights(ff.load_npz(entries.pop(ff.WEIGHTS), filepath, ff.WEIGHTS, ff.is_weight_key),
                               filepath, ff.WEIGHTS)
    weights = saving_api._check_built(model, "BackupAndRestore")
    saving_api.check_weights(weights, saved, filepath)
    optimizer = getattr(model, "optimizer", None)
    if ff.OPTIMIZER in entries and optimizer is not None:
        slots = ff.load_npz(entries.pop(ff.OPTIMIZER), filepath, ff.OPTIMIZER, ff.is_optimizer_key)
        saving_api.restore_optimizer(model, slots, filepath)        # checks everything before it changes
    for (_, array), variable in zip(saved, weights):
        variable.assign(array)
    rate = meta.get("learning_rate")
    if rate is not None and isinstance(getattr(optimizer, "_learning_rate", None), numbers.Real):
        optimizer.learning_rate = float(rate)
    random_state.restore(meta.get("rng_state"), filepath, "BackupAndRestore")
    return {"epoch": meta["epoch"], "batch": meta["batch"]}
