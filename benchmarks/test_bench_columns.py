"""Distinct counting in columns (issue 12): the cases of gokernels._bench.columns
(bench_cases: 10M short strings in an Arrow array and in a pandas Series
against polars approx_n_unique on a prebuilt Series (the baseline), DuckDB
approx_count_distinct, pyarrow.compute.count_distinct (exact), DataSketches
HLL and theta (per-item updates, with serialization), dask's nunique_approx,
and gokernels in one process), timed through the adapter in conftest.py;
and here, gokernels.dask on a 2-worker LocalCluster (a fixture owns it) and a
table of accuracy at equal serialized size against HLL.

GOKERNELS_BENCH_SMOKE=1 shrinks the inputs (the CI smoke run)."""

import os

import pytest

from conftest import register_cases, skip_missing
from gokernels import cvm
from gokernels._bench import columns, peers

SMOKE = bool(os.environ.get("GOKERNELS_BENCH_SMOKE"))
N = 200_000 if SMOKE else 10_000_000
DATA = columns.BenchData(N)  # built by the first test that times it


def within(got, exact, epsilon=0.5):
    return abs(got - exact) <= epsilon * exact


@pytest.fixture(scope="module")
def data():
    pytest.importorskip("pyarrow", reason="peer pyarrow missing: not installed (pip install pyarrow)")
    d = DATA.build()
    return d.words, d.arr, d.exact


@pytest.fixture(scope="module")
def pandas_series(data):
    pytest.importorskip("pandas", reason="peer pandas missing: not installed (pip install pandas)")
    return DATA.pandas


@pytest.fixture(scope="module")
def cluster(pandas_series):
    distributed = pytest.importorskip("distributed", reason="peer distributed missing: not installed")
    dd = pytest.importorskip(
        "dask.dataframe", reason="peer dask missing: not installed (pip install 'dask[dataframe]')"
    )
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
            worker_dashboard_address=None,
        ) as lc,
        distributed.Client(lc) as client,
    ):
        s = client.persist(dd.from_pandas(pandas_series, npartitions=8))
        distributed.wait(s)
        yield client, s


@pytest.mark.benchmark(group="columns: gokernels.dask, 10M rows in 8 partitions on 2 workers")
class TestDask:
    def test_dask_cluster_gokernels(self, benchmark, data, cluster, pandas_series):
        from gokernels.dask import nunique_approx

        client, s = cluster
        single = cvm.CVMCounter()
        single.update(pandas_series)
        # 15 rounds: one round is a few scheduler round trips, which a shared
        # machine stretches now and then; the median needs more of them
        got = benchmark.pedantic(nunique_approx, (s,), rounds=15, iterations=1, warmup_rounds=1)
        assert got == single.estimate()  # identical, not just close

    def test_dask_cluster_dask_nunique_approx(self, benchmark, data, cluster):
        client, s = cluster
        assert within(benchmark.pedantic(lambda: s.nunique_approx().compute(), rounds=3, iterations=1), data[2])


def test_accuracy_at_equal_size(capsys):
    if peers.datasketches_hll()[0] is None:
        skip_missing("datasketches", peers.datasketches_hll()[1])
    distinct = 20_000 if SMOKE else 1_000_000
    rows = columns.accuracy_table(distinct=distinct, trials=3 if SMOKE else 8)
    with capsys.disabled():
        print("\naccuracy at about equal serialized size (%s distinct ints):" % format(distinct, ","))
        print("  %-32s %8s %10s %10s" % ("sketch", "bytes", "RMS error", "max error"))
        for name, size, rms, worst in rows:
            print("  %-32s %8d %9.2f%% %9.2f%%" % (name, size, rms * 100, worst * 100))
    for name, size, rms, _ in rows:
        assert size > 0 and rms < 1, name


GOALS = register_cases(globals(), columns.bench_cases(DATA))
