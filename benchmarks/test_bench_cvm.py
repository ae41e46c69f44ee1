"""CVM distinct counting (article 3): exact set(), the article's pure-Python
CVM, Apache DataSketches' HLL (per-item update from a Python loop, as a user
would write it), numpy's unique, and gokernels (list and array paths)."""

import random

import pytest

from conftest import Goal, need
from gokernels import cvm, reference
from gokernels._bench import peers

DISTINCT = 100_000
WORDS = [str(i) for i in range(DISTINCT)] * 100  # the article's workload: 10M items
random.Random(0).shuffle(WORDS)

GOALS = [
    Goal(
        "count_approx on the article's 10M items at most 0.6x the time of len(set(items))",
        "test_words_gokernels",
        "test_words_set",
        at_most=0.6,
    ),
    Goal(
        "count_approx on 10M int64 in a numpy array at least 5x faster than len(np.unique(a))",
        "test_array_gokernels",
        "test_array_unique",
        at_least=5,
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


@pytest.mark.benchmark(group="cvm: 10M int64 in a numpy array")
class TestArray:
    def test_array_unique(self, baseline, array):
        import numpy as np

        a, exact = array
        assert baseline.pedantic(lambda: len(np.unique(a)), rounds=3, iterations=1) == exact

    def test_array_gokernels(self, benchmark, array):
        a, exact = array
        assert within(benchmark(cvm.count_approx, a), exact)


@pytest.mark.benchmark(group=TestWords.pytestmark[0].kwargs["group"])
def test_words_rust_cvm(benchmark):
    """Article 3's optimized Rust CVM (benchmarks/rust), measured in the same run."""
    from conftest import rust

    assert within(benchmark.pedantic(rust("count_approx"), (WORDS,), rounds=5, iterations=1))
