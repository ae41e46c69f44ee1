"""gokernels.dask.nunique_approx: per-partition counters shipped as bytes and
tree-merged give the estimate of one counter over all the data, identical on a
real multi-process cluster (workers with their own PYTHONHASHSEED)."""

import os
import sys

import pytest

from gokernels import CVMCounter

dask = pytest.importorskip("dask", reason="dask is not installed (gokernels[dask]; no wheel for this Python?)")
dd = pytest.importorskip("dask.dataframe", reason="dask[dataframe] is not installed (no wheel for this Python?)")
pd = pytest.importorskip("pandas", reason="pandas is not installed (no wheel for this Python?)")
np = pytest.importorskip("numpy")
da = pytest.importorskip("dask.array", reason="dask.array is not installed")
db = pytest.importorskip("dask.bag", reason="dask.bag is not installed")

from gokernels.dask import _count_held, _persisted, nunique_approx  # noqa: E402


@pytest.fixture(autouse=True)
def _no_profiler():
    """distributed's statistical profiler walks every thread's frames from a
    thread of its own (in the scheduler's process too); on free-threaded 3.13
    that crashed the pytest process once, a segfault in
    distributed/profile.py. The tests use no profile; workers get the setting
    through their nanny."""
    try:
        import distributed  # noqa: F401 - its defaults first: set() restores the config it found
    except ImportError:
        yield
        return
    with dask.config.set({"distributed.worker.profile.enabled": False}):
        yield


def one_counter(values, epsilon=0.5, delta=0.001, seed=None):
    c = CVMCounter(epsilon, delta, seed=seed)
    c.update(values)
    return c.estimate()


def words(n, distinct, seed=0):
    return ["w%d" % i for i in np.random.default_rng(seed).integers(0, distinct, n)]


def test_series_any_partitioning_same_estimate():
    vals = words(200_000, 80_000)
    expect = one_counter(vals)
    assert expect != len(set(vals))  # sampled, so identity is not luck
    with dask.config.set(scheduler="sync"):
        for nparts in (1, 3, 8, 20):
            s = dd.from_pandas(pd.Series(vals), npartitions=nparts)
            assert nunique_approx(s) == expect, nparts
            assert nunique_approx(s.to_frame("w")) == expect  # one column
        for seed in (1, 2):
            s = dd.from_pandas(pd.Series(vals), npartitions=5)
            assert nunique_approx(s, seed=seed) == one_counter(vals, seed=seed)
        s = dd.from_pandas(pd.Series(vals), npartitions=5)
        assert nunique_approx(s, epsilon=0.05) == one_counter(vals, epsilon=0.05)


def test_nulls_skipped_and_object_dtype():
    with dask.config.set(scheduler="sync"):
        s = dd.from_pandas(pd.Series(["a", None, "b", "a"] * 10), npartitions=3)
        assert nunique_approx(s) == 2
    # dask turns object columns into strings unless told not to
    with dask.config.set({"scheduler": "sync", "dataframe.convert-string": False}):
        o = dd.from_pandas(pd.Series([1, "a", (1, 2), 1.0] * 5, dtype=object), npartitions=2)
        assert nunique_approx(o) == 3


def test_array_and_bag():
    a = np.random.default_rng(1).integers(0, 50_000, (300, 400))
    with dask.config.set(scheduler="sync"):
        arr = da.from_array(a, chunks=(70, 90))
        assert nunique_approx(arr) == one_counter(a.ravel())
        assert nunique_approx(arr.T) == one_counter(a.ravel())  # non-contiguous chunks
        vals = words(30_000, 20_000, seed=2)
        bag = db.from_sequence(vals, npartitions=7)
        assert nunique_approx(bag) == one_counter(vals)
        assert nunique_approx(db.from_sequence([], npartitions=1)) == 0


def misaligned(values, large=True):
    """An Arrow string array of values whose offsets start 3 bytes past an
    aligned address (as distributed can leave a deserialized partition)."""
    pa = pytest.importorskip("pyarrow")
    a = pa.array(values, pa.large_string() if large else pa.string())
    validity, offsets, data = a.buffers()
    raw = pa.py_buffer(b"\0" * 3 + offsets.to_pybytes())
    bad = pa.Array.from_buffers(a.type, len(a), [validity, raw.slice(3), data], a.null_count)
    assert bad.buffers()[1].address % 8 != 0 and bad.equals(a)
    return bad


@pytest.mark.parametrize("kind", ["large_string ArrowDtype", "string ArrowDtype", "StringDtype pyarrow"])
def test_misaligned_arrow_partition_same_estimate(kind):
    # The column loops read misaligned offsets byte-wise (kernels/cvm:
    # offsetAt); the keys are the same.
    vals = words(50_000, 30_000, seed=5) + [None] * 10
    bad = misaligned(vals, large=kind != "string ArrowDtype")
    if kind == "StringDtype pyarrow":
        s = pd.Series(bad.to_pandas(types_mapper=lambda t: pd.StringDtype("pyarrow")))
    else:
        s = pd.Series(pd.arrays.ArrowExtensionArray(bad))
    assert s.array.__arrow_array__().chunk(0).buffers()[1].address % 8 != 0  # pandas kept the buffer
    expect = one_counter([v for v in vals if v is not None])
    assert one_counter(s) == one_counter(bad) == expect
    with dask.config.set(scheduler="sync"):
        assert nunique_approx(dd.from_pandas(s, npartitions=3)) == expect
        assert nunique_approx(dd.from_pandas(s.to_frame("w"), npartitions=2)) == expect


def test_bad_arguments():
    with pytest.raises(TypeError, match="collection"):
        nunique_approx([1, 2, 3])
    s = dd.from_pandas(pd.Series([1, 2]), npartitions=1)
    with pytest.raises(ValueError, match="epsilon"):
        nunique_approx(s, epsilon=2)
    with pytest.raises(ValueError, match="delta"):
        nunique_approx(s, delta=0)
    with pytest.raises(TypeError):
        nunique_approx(dd.from_pandas(pd.DataFrame({"a": [1], "b": [2]}), npartitions=1))


def local_cluster(distributed, **kwargs):
    """A real cluster of two worker processes, one thread each."""
    return distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
        worker_dashboard_address=None,
        **kwargs,
    )


def test_local_cluster_two_processes_identical():
    distributed = pytest.importorskip("distributed", reason="distributed is not installed (no wheel for this Python?)")
    vals = words(400_000, 150_000, seed=3)
    ints = np.random.default_rng(4).integers(0, 10**9, 300_000)
    expect_words, expect_ints = one_counter(vals), one_counter(ints)
    env = {"PYTHONHASHSEED": "random"}
    with (
        local_cluster(distributed, env=env) as cluster,
        distributed.Client(cluster) as client,
    ):
        pids = set(client.run(os.getpid).values())
        assert len(pids) == 2 and os.getpid() not in pids
        s = dd.from_pandas(pd.Series(vals), npartitions=8)
        assert nunique_approx(s) == expect_words
        assert nunique_approx(da.from_array(ints, chunks=40_000)) == expect_ints
        assert nunique_approx(db.from_sequence(vals[:50_000], npartitions=6)) == one_counter(vals[:50_000])
        # Persisted: counted from the partitions' futures, where they live.
        ps = client.persist(s)
        pa_ = client.persist(da.from_array(ints, chunks=40_000))
        pb = client.persist(db.from_sequence(vals[:50_000], npartitions=6))
        distributed.wait([ps, pa_, pb])
        assert len(_persisted(ps)) == 8 and _persisted(pa_) and _persisted(pb)
        with distributed.get_task_stream(client) as stream:
            assert nunique_approx(ps) == expect_words
        # counted by Client.run where the partitions live: no task at all
        assert [str(t["key"]) for t in stream.data] == []
        assert nunique_approx(pa_) == expect_ints
        assert nunique_approx(pb) == one_counter(vals[:50_000])
        # Work on top of persisted data is not its futures.
        derived = ps.str.slice(0, 4)
        assert _persisted(derived) is None
        assert nunique_approx(derived) == one_counter([v[:4] for v in vals]) != expect_words
        assert nunique_approx(pa_ // 3) == one_counter(ints // 3)
        # the workers' str hashes differ from ours: the keys do not use them
        hashes = client.run(lambda: hash("gokernels"))
        assert len(set(hashes.values()) | {hash("gokernels")}) > 1 or sys.flags.hash_randomization == 0


@pytest.mark.parametrize("inline", [True, False])
def test_count_held_counts_what_the_worker_has(inline, monkeypatch):
    # Client.run's function, run on every worker: it counts the partitions
    # among the keys that it holds and says which (the rest go to a task);
    # on its event loop, or in a thread past INLINE_ITEMS.
    import asyncio

    import gokernels.dask

    if not inline:
        monkeypatch.setattr(gokernels.dask, "INLINE_ITEMS", 3)

    class Worker:
        address = "tcp://w1"
        data = {"a": pd.Series(["x", "y"]), "b": pd.Series(["y", "z"]), "other": pd.Series(["q"])}

    data, held = asyncio.run(_count_held(["a", "gone", "b"], 0.5, 0.001, None, dask_worker=Worker()))
    assert held == ["a", "b"]
    assert CVMCounter.from_bytes(data).estimate() == 3
    # a worker that holds none of them answers None, not an empty counter
    assert asyncio.run(_count_held(["c", "gone"], 0.5, 0.001, None, dask_worker=Worker())) is None


def test_local_cluster_lost_or_failed_partitions_go_to_a_task(monkeypatch):
    # A partition no worker holds (lost), or a worker whose run fails, is
    # counted by one task, and the estimate stays identical; a partition
    # held by both workers is counted twice, which changes nothing.
    distributed = pytest.importorskip("distributed", reason="distributed is not installed (no wheel for this Python?)")
    vals = words(100_000, 60_000, seed=6)
    expect = one_counter(vals)
    with (
        local_cluster(distributed) as cluster,
        distributed.Client(cluster) as client,
    ):
        ps = client.persist(dd.from_pandas(pd.Series(vals), npartitions=6))
        distributed.wait(ps)
        workers = list(client.scheduler_info()["workers"])
        real = client.run

        def half_lost(fn, keys, *args, **kwargs):  # the workers see half the keys
            return real(fn, keys[::2], *args, **kwargs)

        monkeypatch.setattr(client, "run", half_lost)
        with distributed.get_task_stream(client) as stream:
            assert nunique_approx(ps) == expect
        assert len(stream.data) == 1 and "_count" in str(stream.data[0]["key"])
        monkeypatch.setattr(client, "run", real)

        client.replicate(ps, n=2)
        assert all(len(v) == 2 for v in client.who_has(ps).values())
        answers = {}

        def recording(*args, **kwargs):
            answers.update(real(*args, **kwargs))
            return answers

        monkeypatch.setattr(client, "run", recording)
        with distributed.get_task_stream(client) as stream:
            assert nunique_approx(ps) == expect
        assert stream.data == []
        keys = sorted(str(f.key) for f in _persisted(ps))
        assert sorted(answers) == sorted(workers)
        assert all(sorted(map(str, held)) == keys for _, held in answers.values())  # both counted all

        def broken(*args, **kwargs):
            return {w: RuntimeError("worker went away") for w in workers}

        monkeypatch.setattr(client, "run", broken)
        assert nunique_approx(ps) == expect
