"""CVM distinct counting (article 3, issue 12): exact set(), the article's
pure-Python CVM, Apache DataSketches' HLL (per-item update from a Python loop,
as a user would write it), and gokernels on the article's list of str; on a
10M int64 numpy array with 1M distinct, polars approx_n_unique (prebuilt
Series), DuckDB approx_count_distinct (prebuilt table), numpy's exact sort +
diff and np.unique, and gokernels."""

import random

import pytest

from conftest import Goal, need, skip_missing
from gokernels import cvm, reference
from gokernels._bench import cvm as cases
from gokernels._bench import peers

DISTINCT = 100_000
WORDS = [str(i) for i in range(DISTINCT)] * 100  # the article's workload: 10M items
random.Random(0).shuffle(WORDS)

GOALS = [
    Goal(
        "count_approx on the article's 10M items at most 0.15x the time of len(set(items))",
        "test_words_gokernels",
        "test_words_set",
        at_most=0.15,
    ),
    Goal(
        "count_approx on 10M int64 (1M distinct) at least 3x faster than polars approx_n_unique",
        "test_array_gokernels",
        "test_array_polars",
        at_least=3,
    ),
    Goal(
        "count_approx on 10M int64 (1M distinct) at least 3x faster than DuckDB approx_count_distinct",
        "test_array_gokernels",
        "test_array_duckdb",
        at_least=3,
    ),
    Goal(
        "count_approx on 10M int64 at least 10x faster than the exact numpy sort + diff",
        "test_array_gokernels",
        "test_array_sort_diff",
        at_least=10,
    ),
]
ONCE = {"rounds": 1, "iterations": 1, "warmup_rounds": 0}


def within(got, exact=DISTINCT, epsilon=0.5):
    return abs(got - exact) <= epsilon * exact


@pytest.mark.benchmark(group="cvm: 10M str items, 100k distinct, shuffled (the article's)")
class TestWords:
    def test_words_set(self, baseline):
        assert baseline.pedantic(lambda: len(set(WORDS)), rounds=5, iterations=1) == DISTINCT

    def test_words_pure_python_cvm(self, benchmark):
        assert within(benchmark.pedantic(reference.count_approx, (WORDS,), **ONCE))

    def test_words_datasketches_hll(self, benchmark):
        count = need(peers.datasketches_hll(), "datasketches")
        assert within(benchmark.pedantic(count, (WORDS,), **ONCE), epsilon=0.1)

    def test_words_gokernels(self, benchmark):
        assert within(benchmark.pedantic(cvm.count_approx, (WORDS,), rounds=5, iterations=1))

    def test_words_gokernels_counter_update(self, benchmark):
        def run():
            c = cvm.CVMCounter(stream_length=len(WORDS))
            c.update(WORDS)
            return c.estimate()

        assert within(benchmark.pedantic(run, rounds=5, iterations=1))


@pytest.fixture(scope="module")
def array():
    np = pytest.importorskip("numpy", reason="peer numpy missing: not installed (pip install numpy)")
    a = np.random.default_rng(0).integers(0, 1_000_000, size=10_000_000, dtype=np.int64)
    return a, len(np.unique(a))


@pytest.mark.benchmark(group="cvm: 10M int64 in a numpy array, 1M distinct")
class TestArray:
    def test_array_sort_diff(self, baseline, array):
        a, exact = array
        assert baseline.pedantic(cases.sort_diff_count, (a,), rounds=3, iterations=1) == exact

    def test_array_unique(self, benchmark, array):
        import numpy as np

        a, exact = array
        assert benchmark.pedantic(lambda: len(np.unique(a)), rounds=3, iterations=1) == exact

    def test_array_polars(self, benchmark, array):
        a, exact = array
        count, why = cases.polars_counter(a)
        if count is None:
            skip_missing("polars", why)
        assert within(benchmark.pedantic(count, rounds=7, iterations=1), exact, 0.05)

    def test_array_duckdb(self, benchmark, array):
        a, exact = array
        count, why = cases.duckdb_counter(a)
        if count is None:
            skip_missing("duckdb", why)
        assert within(benchmark.pedantic(count, rounds=7, iterations=1), exact, 0.05)

    def test_array_gokernels(self, benchmark, array):
        a, exact = array
        assert within(benchmark.pedantic(cvm.count_approx, (a,), rounds=7, iterations=1), exact)

    def test_array_gokernels_merge_of_parts(self, benchmark, array):
        a, exact = array

        def run():
            parts = []
            for i in range(0, len(a), len(a) // 8):
                c = cvm.CVMCounter()
                c.update(a[i : i + len(a) // 8])
                parts.append(c.to_bytes())
            total = cvm.CVMCounter.from_bytes(parts[0])
            for b in parts[1:]:
                total.merge(cvm.CVMCounter.from_bytes(b))
            return total.estimate()

        assert within(benchmark.pedantic(run, rounds=5, iterations=1), exact)


@pytest.mark.benchmark(group=TestWords.pytestmark[0].kwargs["group"])
def test_words_rust_cvm(benchmark):
    """Article 3's optimized Rust CVM (benchmarks/rust), measured in the same run."""
    from conftest import rust

    assert within(benchmark.pedantic(rust("count_approx"), (WORDS,), rounds=5, iterations=1))
