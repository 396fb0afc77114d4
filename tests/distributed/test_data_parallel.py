"""DataParallel over MPI: 2 ranks with global batch 64 follow 1 process with batch 64.

Every test starts ``worker.py`` in subprocesses (``mpirun -np 2``, as root with
``--allow-run-as-root --oversubscribe``: this machine has 2 cores); they are skipped,
saying why, when ``mpirun`` or mpi4py is missing. Tolerances: float64 with SGD to 1e-12
(not bit for bit: one process sums a gradient over 64 rows in one BLAS call, two ranks
sum 32 + 32 rows and add — the order of the additions differs, observed ≤ 1e-16);
float32 with Adam to 1e-5.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time

import numpy as np
import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
WORKER = os.path.join(HERE, "worker.py")
ROOT = os.path.dirname(os.path.dirname(HERE))


def _mpi4py_importable() -> bool:
    return subprocess.run([sys.executable, "-c", "import mpi4py.MPI"], capture_output=True).returncode == 0


MPIRUN = shutil.which("mpirun")
pytestmark = pytest.mark.skipif(
    MPIRUN is None or not _mpi4py_importable(),
    reason="distributed tests need OpenMPI and mpi4py: apt-get install -y openmpi-bin libopenmpi-dev; "
           "pip install mpi4py")


def _env() -> dict:
    env = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1", OMP_NUM_THREADS="1",
               OPENBLAS_NUM_THREADS="1", PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return env


def launch(scenario: str, outdir: str, ranks: int = 2) -> subprocess.Popen:
    command = [MPIRUN, "--allow-run-as-root", "--oversubscribe", "-np", str(ranks), sys.executable, WORKER,
               scenario, outdir]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=_env(),
                            cwd=ROOT)


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Every scenario started at once (most of their time is start-up and waiting):
    {scenario: (return code, output, seconds)} and the output folder."""
    outdir = str(tmp_path_factory.mktemp("distributed"))
    os.makedirs(os.path.join(outdir, "backup"))
    with open(os.path.join(outdir, "backup", "glassnet_distributed.json"), "w") as f:
        f.write('{"world_size": 3}')
    start = time.monotonic()
    processes = {s: launch(s, outdir) for s in ("train", "die", "hang", "bad")}
    processes["plain"] = subprocess.Popen([sys.executable, WORKER, "train", outdir, "--plain"], env=_env(),
                                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=ROOT)
    results = {}
    for scenario, process in processes.items():
        try:
            output, _ = process.communicate(timeout=90)
        except subprocess.TimeoutExpired:
            process.kill()
            output, _ = process.communicate()
            results[scenario] = (None, output, time.monotonic() - start)
            continue
        results[scenario] = (process.returncode, output, time.monotonic() - start)
    return results, outdir


def _trained(runs):
    results, outdir = runs
    for scenario in ("train", "plain"):
        code, output, _ = results[scenario]
        assert code == 0, f"{scenario} failed:\n{output[-3000:]}"
    return [np.load(os.path.join(outdir, f"train_{name}.npz")) for name in ("plain", "0", "1")]


@pytest.mark.parametrize("name,tolerance", [("mlp64", 1e-12), ("cnn64", 1e-12), ("mlp32", 1e-5)])
def test_two_ranks_follow_one_process(runs, name, tolerance):
    plain, rank0, rank1 = _trained(runs)
    keys = sorted(k for k in plain.files if k.startswith(name + "_w"))
    assert keys
    for key in keys:
        assert np.array_equal(rank0[key], rank1[key]), f"{key}: the ranks' weights differ"
        np.testing.assert_allclose(rank0[key], plain[key], rtol=0, atol=tolerance, err_msg=key)
        assert not np.array_equal(rank0[key], np.zeros_like(rank0[key]))
    # the logged loss and accuracy are the global batch's, equal to one process's
    np.testing.assert_allclose(rank0[name + "_loss"], plain[name + "_loss"], rtol=0, atol=max(tolerance, 1e-10))
    np.testing.assert_array_equal(rank0[name + "_accuracy"], plain[name + "_accuracy"])
    np.testing.assert_array_equal(rank0[name + "_loss"], rank1[name + "_loss"])


def test_batch_norm_statistics_are_per_rank_by_default(runs):
    plain, rank0, rank1 = _trained(runs)
    # weights in order: conv kernel, conv bias, gamma, beta, moving_mean, moving_variance, dense kernel, bias
    for i in (0, 1, 2, 3, 6, 7):                          # trained: the same on both ranks
        assert np.array_equal(rank0[f"cnnlocal_w{i}"], rank1[f"cnnlocal_w{i}"])
    for i in (4, 5):                                      # each rank's own shards' moving statistics
        assert not np.allclose(rank0[f"cnnlocal_w{i}"], rank1[f"cnnlocal_w{i}"], atol=1e-6)
    # with per-shard statistics the run is not one process's (the synchronized one is: cnn64)
    assert not np.allclose(rank0["cnnlocal_w0"], plain["cnnlocal_w0"], atol=1e-9)


def test_horovod_style_optimizer_and_broadcast_callback(runs):
    plain, rank0, rank1 = _trained(runs)
    keys = sorted(k for k in plain.files if k.startswith("horovod_w"))
    assert len(keys) == 4
    for key in keys:
        assert np.array_equal(rank0[key], rank1[key]), key
        np.testing.assert_allclose(rank0[key], plain[key], rtol=0, atol=1e-12, err_msg=key)


def test_only_rank_0_writes_checkpoints(runs):
    results, outdir = runs
    _trained(runs)
    assert os.path.exists(os.path.join(outdir, "checkpoint_rank0.glassnet"))
    assert not os.path.exists(os.path.join(outdir, "checkpoint_rank1.glassnet"))


def test_one_bucket_holds_every_gradient(runs):
    _, rank0, _ = _trained(runs)
    # MLP 6→8→2: (6·8 + 8 + 8·2 + 2) = 74 parameters, float64 → 592 bytes in one Allreduce per step
    assert int(rank0["mlp64_allreduce_bytes"]) == 74 * 8
    assert int(rank0["mlp32_allreduce_bytes"]) == 74 * 4


def test_shuffling_is_the_same_whatever_the_number_of_ranks(runs):
    plain, rank0, rank1 = _trained(runs)
    steps = sorted(int(k.split("_")[1]) for k in plain.files if k.startswith("ids_"))
    assert steps == [0, 1, 2, 3, 4]                      # 261 rows, batch 64: 4 full batches and 5 rows
    for step in steps:
        one = plain[f"ids_{step}"]
        mine, theirs = rank0[f"ids_{step}"], rank1[f"ids_{step}"]
        # remainder rule: the last batch (5 rows) is cut to 4 and split 2 + 2
        expected = 32 if step < 4 else 2
        assert len(mine) == len(theirs) == expected
        np.testing.assert_array_equal(np.concatenate([mine, theirs]), one[:2 * expected])
    assert sorted(np.concatenate([plain[f"ids_{s}"] for s in steps]).tolist()) == list(range(261))


def test_a_rank_that_dies_ends_the_job(runs):
    code, output, seconds = runs[0]["die"]
    assert code not in (0, None), output[-2000:]
    assert "exited with non-zero status" in output or "DistributedError" in output, output[-2000:]
    assert seconds < 60


def test_a_rank_that_hangs_times_out_with_a_clear_error(runs):
    code, output, _ = runs[0]["hang"]
    assert code not in (0, None), output[-2000:]
    assert "no answer from the other ranks within 3 s" in output, output[-2000:]
    assert "fit returned" not in output


@pytest.mark.parametrize("case,message", [
    ("config", "rank(s) [1] have a different model config"),
    ("batch", "the global batch_size 63 is not divisible by the 2 ranks"),
    ("resume", "was written by a job of 3 ranks, this job has 2"),
])
def test_bad_setups_stop_every_rank_with_a_clear_error(runs, case, message):
    code, output, _ = runs[0]["bad"]
    assert code == 0, output[-3000:]
    # the two ranks write to one pipe: their lines may run together, so split at each report
    lines = [part for part in re.split(r"(?=ERROR \w+:)", output) if part.startswith(f"ERROR {case}:")]
    assert len(lines) == 2, output[-3000:]                 # both ranks refuse, neither hangs
    assert all(message in line for line in lines), lines
    assert f"fit returned ({case})" not in output


def test_resuming_from_rank_0s_backup_continues_the_same_run(runs):
    code, output, _ = runs[0]["bad"]
    assert code == 0, output[-3000:]
    lines = sorted(re.findall(r"RESUMED rank \d+: iterations \d+, max difference [-+.\deE]+", output))
    # 4 epochs x 4 steps; bit for bit the uninterrupted run's weights on both ranks
    assert lines == [f"RESUMED rank {r}: iterations 16, max difference 0.0" for r in (0, 1)], output[-3000:]


def test_without_mpi4py_a_strategy_says_how_to_install_it():
    program = ("import sys; sys.modules['mpi4py'] = None\n"
               "import numpy as np, glassnet\n"
               "m = glassnet.Sequential([glassnet.Input((3,)), glassnet.layers.Dense(1)]); m.compile('sgd', 'mse')\n"
               "m.fit(np.ones((4, 3)), np.ones((4, 1)), verbose=0)\n"       # plain fit: MPI never needed
               "from glassnet import distributed\n"
               "try:\n"
               "    distributed.DataParallel()\n"
               "except distributed.DistributedError as e:\n"
               "    print('ERROR', e)\n")
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, env=_env(), cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert "ERROR glassnet.distributed needs MPI through mpi4py" in result.stdout
    assert "pip install mpi4py" in result.stdout and "mpirun -np 2" in result.stdout
