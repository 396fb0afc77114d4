"""Crash-safe saving: fsync, rename, fsync the directory; a full disk names the file; a killed
save (SIGKILL, a real subprocess) leaves the previous file loadable and its temporary file is
removed by the next save."""
import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
import zipfile

import numpy as np
import pytest

from glassnet.models import load_model
from glassnet.saving import atomic

from .helpers import trained_mlp

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.fixture
def saved(tmp_path):
    model, _, _ = trained_mlp()
    path = tmp_path / "m.glassnet"
    model.save(path)
    return model, path


def temporaries(directory):
    return sorted(name for name in os.listdir(directory) if name.startswith(atomic.TEMP_PREFIX))


class FullDisk:
    """A file wrapper whose writes fail with ENOSPC once ``room`` bytes are written."""

    def __init__(self, file, room):
        self.file, self.room = file, room

    def write(self, data):
        if len(data) > self.room:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        self.room -= len(data)
        return self.file.write(data)

    def __getattr__(self, name):
        return getattr(self.file, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.file.close()


@pytest.mark.parametrize("what", ["model", "weights"])
def test_a_full_disk_raises_an_oserror_naming_the_file_and_keeps_the_old_one(saved, monkeypatch, what):
    model, path = saved
    if what == "weights":
        path = path.with_name("w.weights.npz")
        model.save_weights(path)
    before = path.read_bytes()
    fdopen = os.fdopen
    monkeypatch.setattr(atomic.os, "fdopen", lambda fd, mode: FullDisk(fdopen(fd, mode), room=300))
    with pytest.raises(OSError) as info:
        model.save(path) if what == "model" else model.save_weights(path)
    monkeypatch.undo()
    assert info.value.errno == errno.ENOSPC
    assert repr(str(path)) in str(info.value) and "No space left on device" in str(info.value)
    assert path.read_bytes() == before and temporaries(path.parent) == []


def test_a_real_full_disk_on_a_tiny_tmpfs(tmp_path):
    """In a private mount namespace (``unshare``; skipped where not allowed): a 96 KiB tmpfs."""
    if shutil.which("unshare") is None or subprocess.run(["unshare", "-rm", "true"], capture_output=True).returncode:
        pytest.skip("unshare -rm (user and mount namespaces) is not available here")
    mount = tmp_path / "tiny"
    mount.mkdir()
    script = textwrap.dedent(f"""
        import errno, json, os, sys
        sys.path.insert(0, {REPO!r})
        from tests.saving.helpers import trained_mlp
        from glassnet.models import load_model
        model, _, _ = trained_mlp()
        path = os.path.join({str(mount)!r}, "m.glassnet")
        model.save(path)
        before = open(path, "rb").read()
        with open(os.path.join({str(mount)!r}, "filler"), "wb", buffering=0) as filler:   # fill the disk
            try:
                while True:
                    filler.write(b"x" * 512)
            except OSError:
                pass
        try:
            model.save(path)
            result = {{"raised": None}}
        except OSError as error:
            result = {{"raised": error.errno, "message": str(error)}}
        result["unchanged"] = open(path, "rb").read() == before
        result["left"] = sorted(os.listdir({str(mount)!r}))
        result["loads"] = load_model(path).count_params()
        print(json.dumps(result))
    """)
    command = f"mount -t tmpfs -o size=96k tmpfs {mount} && {sys.executable} -c \"$SCRIPT\""
    done = subprocess.run(["unshare", "-rm", "sh", "-c", command], capture_output=True, text=True, timeout=120,
                          env=dict(os.environ, SCRIPT=script))
    if done.returncode and "mount" in done.stderr and "permission" in done.stderr.lower():
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()[-200:]}")
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["raised"] == errno.ENOSPC
    assert repr(os.path.join(str(mount), "m.glassnet")) in result["message"]
    assert result["unchanged"] and result["left"] == ["filler", "m.glassnet"] and result["loads"] == 67


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc to tell a file from a directory")
def test_the_file_and_its_directory_are_fsynced_before_and_after_the_rename(saved, monkeypatch):
    model, path = saved
    events = []
    fsync, replace = os.fsync, os.replace
    monkeypatch.setattr(atomic.os, "fsync", lambda fd: events.append(("fsync", os.path.isdir(
        os.readlink(f"/proc/self/fd/{fd}")))) or fsync(fd))
    monkeypatch.setattr(atomic.os, "replace", lambda a, b: events.append(("replace",)) or replace(a, b))
    model.save(path)
    monkeypatch.undo()
    assert events == [("fsync", False), ("replace",), ("fsync", True)]   # file, rename, directory


def test_stale_temporaries_of_dead_processes_are_removed_by_the_next_save(saved):
    model, path = saved
    directory = path.parent
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    host = atomic._host()
    names = {
        "dead": f"{atomic.TEMP_PREFIX}{host}.{dead.pid}.0123abcd.m.glassnet",
        "alive": f"{atomic.TEMP_PREFIX}{host}.{os.getppid()}.0123abcd.m.glassnet",
        "other host": f"{atomic.TEMP_PREFIX}someotherhost.{dead.pid}.0123abcd.m.glassnet",
        "not ours": ".m.glassnet.x1y2.tmp",
    }
    for name in names.values():
        (directory / name).write_bytes(b"\0" * 1000)
    model.save(directory / "another.glassnet")            # any save into the directory cleans up
    left = set(os.listdir(directory))
    assert names["dead"] not in left
    assert {names["alive"], names["other host"], names["not ours"]} <= left


KILLED_SAVE = textwrap.dedent("""
    import os, sys, time, zipfile
    sys.path.insert(0, sys.argv[3])
    from tests.saving.helpers import trained_mlp
    model, _, _ = trained_mlp(epochs=2)
    writestr, calls = zipfile.ZipFile.writestr, []
    def slow_writestr(self, name, data, *args, **kwargs):
        calls.append(name)
        if len(calls) == 3:                         # two members written: the temporary file is half done
            open(sys.argv[2], "w").close()
            time.sleep(60)
        return writestr(self, name, data, *args, **kwargs)
    zipfile.ZipFile.writestr = slow_writestr
    model.save(sys.argv[1])
""")


def test_sigkill_mid_save_keeps_the_previous_file_and_the_next_save_cleans_up(saved, tmp_path):
    model, path = saved
    before = path.read_bytes()
    marker = tmp_path / "marker"
    process = subprocess.Popen([sys.executable, "-c", KILLED_SAVE, str(path), str(marker), REPO],
                               stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while not marker.exists():
        assert process.poll() is None, process.stderr.read().decode()[-2000:]
        assert time.monotonic() < deadline
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    process.stderr.close()
    stale = temporaries(path.parent)
    assert len(stale) == 1 and f".{process.pid}." in stale[0]      # the killed save's half-written file
    with pytest.raises(zipfile.BadZipFile):
        zipfile.ZipFile(path.parent / stale[0]).testzip()
    assert path.read_bytes() == before                               # the previous file, intact
    np.testing.assert_array_equal(load_model(path).get_weights()[0], model.get_weights()[0])
    model.save(path)
    assert temporaries(path.parent) == []


def test_a_missing_directory_and_a_directory_in_the_way(saved, tmp_path):
    model, _ = saved
    with pytest.raises(FileNotFoundError, match="directory .*nowhere.* does not exist"):
        model.save(tmp_path / "nowhere" / "m.glassnet")
    (tmp_path / "d.glassnet").mkdir()
    with pytest.raises(IsADirectoryError, match="it is a directory"):
        model.save(tmp_path / "d.glassnet")
