"""Distinct counting in columns (issue 12): 10M short strings in an Arrow array
and in a pandas Series against polars approx_n_unique on a prebuilt Series (the
baseline), DuckDB approx_count_distinct, pyarrow.compute.count_distinct
(exact), DataSketches HLL and theta (per-item updates, with serialization),
dask's nunique_approx; gokernels.dask on a 2-worker LocalCluster against one
process; and a table of accuracy at equal serialized size against HLL.

GOKERNELS_BENCH_SMOKE=1 shrinks the inputs (the CI smoke run)."""

import os

import pytest

from conftest import Goal, need, skip_missing
from gokernels import cvm
from gokernels._bench import columns, peers

SMOKE = bool(os.environ.get("GOKERNELS_BENCH_SMOKE"))
N = 200_000 if SMOKE else 10_000_000
DISTINCT = N // 10
SKETCH_N = N // 10  # the per-item Python loops of DataSketches get a tenth of the column

GOALS = [
    Goal(
        "count_approx on 10M short strings in an Arrow array at least 2x faster than polars approx_n_unique",
        "test_arrow_gokernels",
        "test_arrow_polars",
        at_least=2,
    ),
    Goal(
        "count_approx on a pandas Series of 10M short strings at least 2x faster than polars approx_n_unique",
        "test_pandas_gokernels",
        "test_pandas_polars",
        at_least=2,
    ),
    Goal(
        "gokernels.dask: 10M rows in 8 partitions on 2 workers at most 1.5x the single-process time",
        "test_dask_cluster_gokernels",
        "test_dask_single_process",
        at_most=1.5,
    ),
]


def within(got, exact, epsilon=0.5):
    return abs(got - exact) <= epsilon * exact


@pytest.fixture(scope="module")
def data():
    pa = pytest.importorskip("pyarrow", reason="peer pyarrow missing: not installed (pip install pyarrow)")
    words = columns.short_strings(N, DISTINCT)
    arr = pa.array(words)
    return words, arr, pa.compute.count_distinct(arr).as_py()


@pytest.fixture(scope="module")
def polars_series(data):
    series, why = columns.polars_series(data[0])
    if series is None:
        skip_missing("polars", why)
    return series


@pytest.fixture(scope="module")
def pandas_series(data):
    pd = pytest.importorskip("pandas", reason="peer pandas missing: not installed (pip install pandas)")
    return pd.Series(data[0])


@pytest.mark.benchmark(group="columns: 10M short str in an Arrow array")
class TestArrow:
    def test_arrow_polars(self, baseline, data, polars_series):
        assert within(baseline(polars_series.approx_n_unique), data[2])

    def test_arrow_duckdb(self, benchmark, data):
        import pyarrow as pa

        count = need(columns.duckdb_count(pa.table({"w": data[1]})), "duckdb")
        assert within(benchmark(count), data[2])

    def test_arrow_pyarrow_count_distinct(self, benchmark, data):
        count = need(columns.pyarrow_exact(data[1]), "pyarrow")
        assert benchmark.pedantic(count, rounds=3, iterations=1) == data[2]

    def test_arrow_gokernels(self, benchmark, data):
        assert within(benchmark(cvm.count_approx, data[1]), data[2])

    def test_arrow_gokernels_polars_series(self, benchmark, data, polars_series):
        assert within(benchmark(cvm.count_approx, polars_series), data[2])


@pytest.mark.benchmark(group="columns: 1M short str (a tenth), per-item sketches from Python")
class TestSketches:
    def test_sketch_gokernels(self, baseline, data):
        part = data[1].slice(0, SKETCH_N)
        exact = len(set(data[0][:SKETCH_N]))
        assert within(baseline(cvm.count_approx, part), exact)

    @pytest.mark.parametrize("kind", ["hll", "theta"])
    def test_sketch_datasketches(self, benchmark, data, kind):
        count = need(columns.datasketches(kind), "datasketches")
        exact = len(set(data[0][:SKETCH_N]))
        assert within(benchmark.pedantic(count, (data[0][:SKETCH_N],), rounds=3, iterations=1), exact, 0.1)


@pytest.mark.benchmark(group="columns: pandas Series of 10M short str")
class TestPandas:
    def test_pandas_polars(self, baseline, data, polars_series):
        assert within(baseline(polars_series.approx_n_unique), data[2])

    def test_pandas_gokernels(self, benchmark, data, pandas_series):
        assert within(benchmark(cvm.count_approx, pandas_series), data[2])

    def test_pandas_duckdb(self, benchmark, data, pandas_series):
        import pandas as pd

        count = need(columns.duckdb_count(pd.DataFrame({"w": pandas_series})), "duckdb")
        assert within(benchmark(count), data[2])

    def test_pandas_nunique(self, benchmark, data, pandas_series):
        assert benchmark.pedantic(pandas_series.nunique, rounds=3, iterations=1) == data[2]

    def test_pandas_dask_nunique_approx(self, benchmark, data, pandas_series):
        count = need(columns.dask_own(pandas_series), "dask")
        assert within(benchmark.pedantic(count, rounds=3, iterations=1), data[2])


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
    def test_dask_single_process(self, baseline, data, pandas_series):
        def one():
            c = cvm.CVMCounter()
            c.update(pandas_series)
            return c.estimate()

        assert within(baseline(one), data[2])

    def test_dask_cluster_gokernels(self, benchmark, data, cluster, pandas_series):
        from gokernels.dask import nunique_approx

        client, s = cluster
        single = cvm.CVMCounter()
        single.update(pandas_series)
        got = benchmark.pedantic(nunique_approx, (s,), rounds=5, iterations=1, warmup_rounds=1)
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
