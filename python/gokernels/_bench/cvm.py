"""Benchmark cases for CVM distinct counting (article 3 and issue 12): exact
set(), the article's pure-Python CVM, Apache DataSketches' HLL (per-item
updates from a Python loop), and gokernels on the article's list of str; on a
numpy int64 array, polars approx_n_unique (prebuilt Series), DuckDB
approx_count_distinct (prebuilt table), numpy's exact sort + diff, and
gokernels."""

import random
from functools import partial

from gokernels import cvm, reference
from gokernels._bench import peers
from gokernels._bench.core import Case, Impl, prepared


def _within(epsilon):
    return lambda got, exact: abs(got - exact) <= epsilon * exact


def _set_len(items):
    return len(set(items))


def polars_counter(arr):
    """(count(), None) counting arr with polars approx_n_unique on a Series
    built beforehand, or (None, why)."""
    try:
        import polars as pl
    except ImportError as e:
        return None, "not installed (pip install polars): %s" % e
    s = pl.Series("x", arr)
    return (lambda: int(s.approx_n_unique())), None


def duckdb_counter(arr):
    """(count(), None) counting arr with DuckDB approx_count_distinct over an
    in-memory table built beforehand, or (None, why)."""
    try:
        import duckdb
    except ImportError as e:
        return None, "not installed (pip install duckdb): %s" % e
    con = duckdb.connect()
    src = {"x": arr}  # noqa: F841 - DuckDB finds it by name (replacement scan)
    con.execute("CREATE TABLE t AS SELECT x FROM src")
    return (lambda: int(con.execute("SELECT approx_count_distinct(x) FROM t").fetchone()[0])), None


def sort_diff_count(arr):
    """The exact count with numpy: sort, then count the changes."""
    import numpy as np

    s = np.sort(arr)
    return int(np.count_nonzero(s[1:] != s[:-1])) + (len(s) > 0)


def cases(quick: bool):
    distinct = 10_000 if quick else 100_000
    words = [str(i) for i in range(distinct)] * 100
    random.Random(0).shuffle(words)
    hll, hll_missing = peers.datasketches_hll()
    title = "distinct count: %s str items, %s distinct, shuffled" % (format(len(words), ","), format(distinct, ","))
    out = [
        Case(
            "cvm",
            title,
            distinct,
            [
                Impl(
                    "pure Python CVM (the article's)",
                    partial(reference.count_approx, words),
                    baseline=True,
                    group="python",
                ),
                Impl("exact len(set(items))", partial(_set_len, words), group="peer"),
                Impl(
                    "datasketches HLL (lg_k=%d), update per item" % peers.HLL_LG_K,
                    partial(hll, words) if hll else int,
                    group="peer",
                    missing=hll_missing,
                ),
                Impl("gokernels count_approx", partial(cvm.count_approx, words), group="gokernels"),
            ],
            len(words),
            check=_within(0.5),
        )
    ]
    try:
        import numpy as np
    except ImportError:
        return out
    n = 1_000_000 if quick else 10_000_000
    arr = np.random.default_rng(0).integers(0, n // 10, size=n, dtype=np.int64)
    exact = len(np.unique(arr))
    pl_count, pl_missing = polars_counter(arr)
    duck_count, duck_missing = duckdb_counter(arr)
    out.append(
        Case(
            "cvm",
            "distinct count: %s int64 in a numpy array, %s distinct" % (format(n, ","), format(n // 10, ",")),
            exact,
            [
                Impl("exact numpy sort + diff", partial(sort_diff_count, arr), baseline=True, group="peer"),
                Impl("exact len(np.unique(a))", partial(lambda a: len(np.unique(a)), arr), group="peer"),
                Impl(
                    "polars Series.approx_n_unique()",
                    pl_count or int,
                    group="peer",
                    missing=pl_missing,
                ),
                Impl(
                    "DuckDB approx_count_distinct (table)",
                    duck_count or int,
                    group="peer",
                    missing=duck_missing,
                ),
                Impl("gokernels count_approx(array)", partial(cvm.count_approx, arr), group="gokernels"),
            ],
            n,
            check=_within(0.5),
            versus="numpy sort + diff",
        )
    )
    return out


def _with_rust(make_cases):
    """Adds article 3's optimized Rust CVM (benchmarks/rust) to the words table."""

    def cases(quick: bool):
        out = make_cases(quick)
        fn, why = peers.rust("count_approx")
        for case in out:
            lists = [i.fn.args[0] for i in case.impls if isinstance(i.fn, partial) and i.fn.args]
            words = next((x for x in lists if isinstance(x, list)), None)
            if words is not None and "str items" in case.title:
                rust = Impl("Rust CVM, optimized (article 3)", partial(fn or int, words), group="rust", missing=why)
                case.impls.append(rust)
        return out

    return cases


cases = _with_rust(cases)


# ---- the cases benchmarks/test_bench_cvm.py times (pytest-benchmark), one test per row ----


def _counter_update(words):
    c = cvm.CVMCounter(stream_length=len(words))
    c.update(words)
    return c.estimate()


def _merge_of_parts(a):
    """Eight counters over eighths of a, serialized, deserialized and merged."""
    parts = []
    for i in range(0, len(a), len(a) // 8):
        c = cvm.CVMCounter()
        c.update(a[i : i + len(a) // 8])
        parts.append(c.to_bytes())
    total = cvm.CVMCounter.from_bytes(parts[0])
    for b in parts[1:]:
        total.merge(cvm.CVMCounter.from_bytes(b))
    return total.estimate()


def _np_unique_len(a):
    import numpy as np

    return len(np.unique(a))


def scattered_words(distinct=100_000, copies=100, seed=0):
    """The article's workload built the way a process that did other work
    first builds it: 3M short str objects are made and a seeded random half
    freed before the words are made, so the words' objects take freed blocks
    all over that memory instead of lying one after another. (The columns
    suite's data leave the same state: in `gokernels bench --only columns
    --only cvm` the words list is built after them, and count_approx took 2-4x
    its time in a fresh process: issue 12.)"""
    junk = ["w%d" % (i % 1_000_000) for i in range(30 * distinct)]  # the size class of the words' objects
    order = list(range(len(junk)))
    random.Random(seed + 1).shuffle(order)
    for i in order[: len(order) // 2]:
        junk[i] = None
    words = [str(i) for i in range(distinct)] * copies
    random.Random(seed).shuffle(words)
    return words, junk  # keep junk alive, as the column data are kept


def _on_scattered(fn, data):
    """fn(words) on scattered_words(), built by the first prepare() and shared
    by every implementation, so that they time the same objects."""

    def build():
        if "words" not in data:
            data["words"], data["junk"] = scattered_words()
        return partial(fn, data["words"])

    return prepared(build)


def bench_cases():
    """The pytest-benchmark cases: the article's 10M str items (baseline:
    len(set(items))) and 10M int64 in a numpy array (baseline: numpy sort +
    diff), each implementation in rounds of one call."""
    from gokernels._bench.core import Goal

    distinct = 100_000
    words = [str(i) for i in range(distinct)] * 100  # the article's workload: 10M items
    random.Random(0).shuffle(words)
    hll, hll_missing = peers.datasketches_hll()
    group = "cvm: 10M str items, 100k distinct, shuffled (the article's)"
    words_case = Case(
        "cvm",
        group,
        distinct,
        [
            Impl("exact len(set(items))", partial(_set_len, words), baseline=True, group="peer", key="set", rounds=5),
            Impl(
                "pure Python CVM (the article's)",
                partial(reference.count_approx, words),
                group="python",
                key="pure_python_cvm",
                rounds=1,
            ),
            Impl(
                "datasketches HLL (lg_k=%d), update per item" % peers.HLL_LG_K,
                partial(hll, words) if hll else int,
                group="peer",
                missing=hll_missing,
                key="datasketches_hll",
                rounds=1,
                check=_within(0.1),
            ),
            Impl(
                "gokernels count_approx",
                partial(cvm.count_approx, words),
                group="gokernels",
                key="gokernels",
                rounds=5,
            ),
            Impl(
                "gokernels CVMCounter.update",
                partial(_counter_update, words),
                group="gokernels",
                key="gokernels_counter_update",
                rounds=5,
            ),
        ],
        len(words),
        check=_within(0.5),
        key="words",
        cls="TestWords",
        group=group,
        goals=[
            Goal(
                "count_approx on the article's 10M items at most 0.15x the time of len(set(items))",
                "test_words_gokernels",
                "test_words_set",
                at_most=0.15,
            )
        ],
    )
    rust, why = peers.rust("count_approx")
    rust_case = Case(
        "cvm",
        group + ": article 3's optimized Rust CVM (benchmarks/rust)",
        distinct,
        [
            Impl(
                "Rust CVM, optimized (article 3)",
                partial(rust or int, words),
                group="rust",
                missing=why,
                key="rust_cvm",
                rounds=5,
            )
        ],
        len(words),
        check=_within(0.5),
        key="words",
        group=group,
    )
    goals = [
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
    try:
        import numpy as np

        arr = np.random.default_rng(0).integers(0, 1_000_000, size=10_000_000, dtype=np.int64)
        exact, no_numpy = len(np.unique(arr)), None
        pl_count, pl_missing = polars_counter(arr)
        duck_count, duck_missing = duckdb_counter(arr)
    except ImportError:
        arr, exact, no_numpy = None, 0, "numpy is not installed (pip install numpy)"
        pl_count = duck_count = None
        pl_missing = duck_missing = no_numpy

    def on_array(fn):
        return partial(fn, arr) if no_numpy is None else int

    array_case = Case(
        "cvm",
        "cvm: 10M int64 in a numpy array, 1M distinct",
        exact,
        [
            Impl(
                "exact numpy sort + diff",
                on_array(sort_diff_count),
                baseline=True,
                group="peer",
                missing=no_numpy,
                key="sort_diff",
                rounds=3,
                check=_within(0),
            ),
            Impl(
                "exact len(np.unique(a))",
                on_array(_np_unique_len),
                group="peer",
                missing=no_numpy,
                key="unique",
                rounds=3,
                check=_within(0),
            ),
            Impl(
                "polars Series.approx_n_unique()",
                pl_count or int,
                group="peer",
                missing=pl_missing,
                key="polars",
                rounds=7,
                check=_within(0.05),
            ),
            Impl(
                "DuckDB approx_count_distinct (table)",
                duck_count or int,
                group="peer",
                missing=duck_missing,
                key="duckdb",
                rounds=7,
                check=_within(0.05),
            ),
            Impl(
                "gokernels count_approx(array)",
                on_array(cvm.count_approx),
                group="gokernels",
                missing=no_numpy,
                key="gokernels",
                rounds=7,
            ),
            Impl(
                "gokernels: 8 counters, serialized and merged",
                on_array(_merge_of_parts),
                group="gokernels",
                missing=no_numpy,
                key="gokernels_merge_of_parts",
                rounds=5,
            ),
        ],
        10_000_000,
        check=_within(0.5),
        key="array",
        cls="TestArray",
        goals=goals,
    )
    scattered = {}
    scattered_group = "cvm: the article's 10M str items, objects at scattered addresses (built after other work)"
    scattered_case = Case(
        "cvm",
        scattered_group,
        distinct,
        [
            Impl(
                "exact len(set(items))",
                _on_scattered(_set_len, scattered),
                baseline=True,
                group="peer",
                key="set",
                rounds=5,
            ),
            Impl(
                "gokernels count_approx",
                _on_scattered(cvm.count_approx, scattered),
                group="gokernels",
                key="gokernels",
                rounds=5,
            ),
        ],
        len(words),
        check=_within(0.5),
        key="scattered",
        cls="TestWordsScattered",
        group=scattered_group,
        goals=[
            Goal(
                "count_approx on the article's 10M items built after other work at most 0.15x the time of"
                " len(set(items))",
                "test_scattered_gokernels",
                "test_scattered_set",
                at_most=0.15,
            )
        ],
    )
    return [words_case, array_case, rust_case, scattered_case]
