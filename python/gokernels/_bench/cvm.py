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
from gokernels._bench.core import Case, Impl


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
