"""A seeded mutation fuzzer for glassnet's files: every mutated file loads or is refused cleanly.

Small valid files (a model with Adam state, one with BatchNormalization and a frozen layer,
a functional two-input model, a weights file, a BackupAndRestore training state) are
mutated 1–3 times each — structural mutations on the member list (duplicate, add, drop or
recompress a member; JSON nested deep; a JSON value replaced by a hostile one, 10**8 units
included; an ``.npy``
header declaring a huge shape or a foreign dtype; metadata fields of the wrong type), then
possibly a byte-level one (bit flips, truncation, appended bytes, a forged declared size).
Each file must load, or raise ``ValueError``/``OSError`` whose message names the file; no
other exception type, and tracemalloc's peak for one load stays under ``PEAK_LIMIT``.

Budget: ``GLASSNET_FUZZ_FILES`` files (300 in CI, well under 20 s on 2 cores; set 5000 for
a nightly-style run), seed ``GLASSNET_FUZZ_SEED`` (fixed by default, so CI repeats the same
files). A failure prints the file's index and mutations; rerun it alone with
``GLASSNET_FUZZ_ONLY=<index>``.
"""
import io
import json
import os
import struct
import time
import tracemalloc
import warnings
import zipfile

import numpy as np
import pytest

from glassnet import utils
from glassnet.callbacks.backup_and_restore import BackupAndRestore
from glassnet.models import load_model
from glassnet.saving import load_weights
from glassnet.saving.training_state import load_training_state

from .helpers import data, mlp, mlp_with_state, two_branch
from .test_bounded_loading import add_weight_charges

FILES = int(os.environ.get("GLASSNET_FUZZ_FILES", "300"))
SEED = int(os.environ.get("GLASSNET_FUZZ_SEED", "20261203"))
ONLY = os.environ.get("GLASSNET_FUZZ_ONLY")
PEAK_LIMIT = 64 << 20
HOSTILE = [None, True, False, -1, 0, 1, 10 ** 7, 10 ** 8, 2 ** 31, 2 ** 63, 2 ** 200, -(10 ** 9), 1e308, -0.0, float("nan"),
           float("inf"), "", "x" * 300, "relu", "os.system", [], {}, [[[]]], [None, -4], [None, 2 ** 40],
           {"class_name": "os.system", "config": {}}, {"class_name": "Dense", "config": {"units": -3}}]
DTYPES = ["|O", "<c8", "|V4", "<U5", ">f8", "|b1", "<i8", "<f2", "<M8[s]", "|S3"]


# --- the valid seed files ----------------------------------------------------------------------
@pytest.fixture(scope="module")
def seeds(tmp_path_factory):
    """[(name, suffix, bytes, loader)] of small valid files."""
    folder = tmp_path_factory.mktemp("seeds")
    utils.set_random_seed(0)
    x, y = data()
    out = []
    for name, make in (("mlp", mlp), ("stateful", mlp_with_state)):
        model = make()
        model.fit(x, y, epochs=1, batch_size=8, verbose=0)
        model.save(folder / f"{name}.glassnet")
        out.append((name, ".glassnet", (folder / f"{name}.glassnet").read_bytes(), load_model))
    branch = two_branch()
    rng = np.random.default_rng(0)
    branch.fit([rng.normal(size=(16, 3)), rng.normal(size=(16, 5))], rng.integers(0, 2, 16).astype("float32"),
               epochs=1, batch_size=8, verbose=0)
    branch.save(folder / "branch.glassnet")
    out.append(("branch", ".glassnet", (folder / "branch.glassnet").read_bytes(), load_model))

    target = mlp()
    target.fit(x, y, epochs=1, batch_size=8, verbose=0)
    target.save_weights(folder / "w.weights.npz")
    out.append(("weights", ".weights.npz", (folder / "w.weights.npz").read_bytes(),
                lambda path: load_weights(target, path)))
    backup = BackupAndRestore(folder / "backup", delete_checkpoint=False)
    target.fit(x, y, epochs=1, batch_size=8, verbose=0, callbacks=[backup])
    state = (folder / "backup" / "training_state.zip").read_bytes()
    out.append(("state", ".zip", state, lambda path: load_training_state(target, str(path))))
    return out


# --- mutations ---------------------------------------------------------------------------------
def unzip(blob):
    with zipfile.ZipFile(io.BytesIO(blob)) as archive:
        return [[info.filename, archive.read(info), info.compress_type] for info in archive.infolist()]


def rezip(items):
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")     # duplicate names
        with zipfile.ZipFile(buffer, "w") as archive:
            for name, blob, method in items:
                archive.writestr(name, blob, compress_type=method)
    return buffer.getvalue()


def pick(rng, sequence):
    return sequence[int(rng.integers(len(sequence)))]


def json_paths(value, path=()):
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from json_paths(item, path + (key,))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from json_paths(item, path + (i,))


def replace_json_value(rng, value):
    paths = [p for p in json_paths(value) if p]
    if not paths:
        return blob
    path = pick(rng, paths)
    parent = value
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = pick(rng, HOSTILE)
    return json.dumps(value).encode()


def npy_header(shape, descr, payload_bytes):
    buffer = io.BytesIO()
    np.lib.format.write_array_header_1_0(buffer, {"descr": descr, "fortran_order": False, "shape": shape})
    return buffer.getvalue() + b"\0" * payload_bytes


def mutate_npz(rng, blob, how):
    items = unzip(blob)
    if not items:
        return blob
    member = items[int(rng.integers(len(items)))]
    if how == "huge shape":
        member[1] = npy_header(pick(rng, [(700_000_000,), (2 ** 40, 2 ** 40), (10 ** 5, 10 ** 5), (3, 2 ** 62)]),
                               "<f4", int(rng.integers(0, 4096)))
    else:   # a foreign dtype, payload sized so the size check passes where the itemsize is known
        descr = pick(rng, DTYPES)
        try:
            itemsize = np.dtype(descr).itemsize
        except TypeError:
            itemsize = 4
        member[1] = npy_header((3,), descr, 3 * itemsize)
    return rezip(items)


STRUCTURAL = ["duplicate", "extra", "drop", "recompress", "deep json", "json value", "metadata type",
              "huge shape", "dtype", "inner duplicate"]
BYTES = ["flip", "truncate", "append", "forge size", None, None, None, None]


def structural(rng, items, how, is_npz):
    """Apply one structural mutation to ``items`` (the member list) in place; returns a label."""
    names = [item[0] for item in items]
    index = int(rng.integers(len(items)))
    if how == "duplicate":
        items.append(list(items[index]))
    elif how == "extra":
        items.append([pick(rng, ["junk.bin", "assets/x", "../evil.npy", "config.json.bak", "a.npy"]),
                      bytes(rng.integers(0, 256, int(rng.integers(0, 5000)), dtype=np.uint8)),
                      pick(rng, [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED])])
    elif how == "drop":
        items.pop(index)
    elif how == "recompress":
        items[index][2] = pick(rng, [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA])
    elif how in ("deep json", "json value", "metadata type") and not is_npz:
        jsons = [i for i, name in enumerate(names) if name.endswith(".json")]
        if how == "metadata type":
            jsons = [i for i, name in enumerate(names) if name == "metadata.json"]
        if not jsons:
            return "nothing"
        target = items[pick(rng, jsons)]
        if how == "deep json":
            depth = int(pick(rng, [101, 1000, 100_000]))
            target[1] = b'{"a": ' + b"[" * depth + b"]" * depth + b"}"
            return how
        try:
            value = json.loads(target[1])
        except (ValueError, RecursionError):      # an earlier mutation made it deep or invalid
            return "nothing"
        if how == "json value":
            target[1] = replace_json_value(rng, value)
        elif isinstance(value, dict):
            value[pick(rng, list(value) + ["epoch", "batch", "learning_rate", "extra"])] = pick(rng, HOSTILE)
            target[1] = json.dumps(value).encode()
    elif how in ("huge shape", "dtype", "inner duplicate"):
        if is_npz:       # the file itself is the npz: change one of its arrays
            target = items[index]
            if how == "inner duplicate":
                items.append(list(target))
            else:
                target[1] = unzip(mutate_npz(rng, rezip([target]), how))[0][1]
        else:
            npzs = [i for i, name in enumerate(names) if name.endswith(".npz")]
            if not npzs:
                return "nothing"
            target = items[pick(rng, npzs)]
            if how == "inner duplicate":
                inner = unzip(target[1])
                target[1] = rezip(inner + inner[:1])
            else:
                target[1] = mutate_npz(rng, target[1], how)
    return how


def forge_size(rng, blob):
    data = bytearray(blob)
    signature, offset = pick(rng, [(b"PK\x03\x04", 22), (b"PK\x01\x02", 24), (b"PK\x01\x02", 20)])
    positions = []
    start = 0
    while (start := data.find(signature, start)) >= 0:
        positions.append(start)
        start += 4
    if positions:
        at = pick(rng, positions)
        value = int(pick(rng, [0, 1, 2 ** 31 - 1, 3 << 30, 0xFFFFFFFF, int(rng.integers(0, 1 << 20))]))
        if at + offset + 4 <= len(data):
            struct.pack_into("<I", data, at + offset, value)
    return bytes(data)


def byte_level(rng, blob, how):
    if how == "flip":
        data = bytearray(blob)
        for _ in range(int(rng.integers(1, 5))):
            data[int(rng.integers(len(data)))] ^= int(rng.integers(1, 256))
        return bytes(data)
    if how == "truncate":
        return blob[:int(rng.integers(len(blob)))]
    if how == "append":
        return blob + bytes(rng.integers(0, 256, int(rng.integers(1, 200)), dtype=np.uint8))
    if how == "forge size":
        return forge_size(rng, blob)
    return blob


def mutated(rng, seed_bytes, is_npz):
    """(bytes, [labels]) of 1–3 structural mutations and maybe one byte-level one."""
    items = unzip(seed_bytes)
    labels = [structural(rng, items, pick(rng, STRUCTURAL), is_npz) for _ in range(int(rng.integers(1, 4)))]
    blob = rezip(items)
    how = pick(rng, BYTES)
    if how:
        labels.append(how)
    return byte_level(rng, blob, how), labels


# --- the run -----------------------------------------------------------------------------------
def test_mutated_files_load_or_are_refused_cleanly(seeds, tmp_path, monkeypatch):
    add_weight_charges(monkeypatch)      # a config may not describe a model larger than its file
    outcomes, worst = {}, (0, None)
    indices = [int(ONLY)] if ONLY is not None else range(FILES)
    start = time.perf_counter()
    for index in indices:
        rng = np.random.default_rng([SEED, index])
        name, suffix, seed_bytes, loader = seeds[int(rng.integers(len(seeds)))]
        blob, labels = mutated(rng, seed_bytes, is_npz=suffix == ".weights.npz")
        path = tmp_path / f"fuzz_{index:05d}_{name}{suffix}"
        path.write_bytes(blob)
        tracemalloc.start()
        try:
            loader(path)
            outcome = "loaded"
        except (ValueError, OSError) as error:
            outcome = "ValueError" if isinstance(error, ValueError) else "OSError"
            assert str(path) in str(error), f"file {index} ({name}, {labels}): the message does not name the " \
                                            f"file: {error}"
        except Exception as error:      # noqa: BLE001 - any other type is the failure being looked for
            raise AssertionError(f"file {index} ({name}, {labels}) raised {type(error).__name__}: {error}; rerun "
                                 f"with GLASSNET_FUZZ_ONLY={index}") from error
        finally:
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
        assert peak < PEAK_LIMIT, f"file {index} ({name}, {labels}): peak memory {peak} bytes"
        if peak > worst[0]:
            worst = (peak, f"file {index} ({name}, {labels}, {len(blob)} bytes)")
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
        path.unlink()
    seconds = time.perf_counter() - start
    print(f"\nfuzzed {len(indices)} files in {seconds:.1f} s: {outcomes}; worst peak {worst[0] / 2 ** 20:.2f} MiB "
          f"({worst[1]})")
    if ONLY is None:
        assert outcomes.get("ValueError", 0) > len(indices) // 2     # most mutations must be caught
