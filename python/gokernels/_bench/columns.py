"""Benchmark cases for distinct counting in columns (issue 12): 10M short strings
in an Arrow array and in a pandas Series, and 10M int64 in a numpy array, against polars approx_n_unique on a
prebuilt Series (the baseline), DuckDB approx_count_distinct, pyarrow's exact
count_distinct, Apache DataSketches HLL and theta (per-item updates from
Python, as their API offers, plus serialization) and dask's nunique_approx.

Also `accuracy_table()`: relative error of CVMCounter and DataSketches HLL at
about the same serialized size (benchmarks/test_bench_columns.py prints it).
"""

import importlib
import math
from functools import partial
from typing import Any, Callable, List, Optional, Tuple

from gokernels import cvm
from gokernels._bench import peers
from gokernels._bench.core import Case, Impl, prepared

Peer = Tuple[Optional[Callable[..., Any]], Optional[str]]


def _module(name: str, pip_name: str) -> Tuple[Any, Optional[str]]:
    try:
        return importlib.import_module(name), None
    except Exception as e:  # any import failure makes the peer missing
        return None, peers._import_error(name.split(".")[0], pip_name, e)


def short_strings(n: int, distinct: int, seed: int = 0) -> List[str]:
    """n strings like 'w123456' drawn from `distinct` values (the article's
    short strings)."""
    import numpy as np

    return ["w%d" % i for i in np.random.default_rng(seed).integers(0, distinct, n)]


def polars_series(words: List[str]) -> Tuple[Any, Optional[str]]:
    pl, why = _module("polars", "polars")
    return (pl.Series(words), None) if pl else (None, why)


def duckdb_count(table: Any) -> Peer:
    """DuckDB's approx_count_distinct over an Arrow table or pandas frame with
    a column w (scanned in place, no copy)."""
    duckdb, why = _module("duckdb", "duckdb")
    if duckdb is None:
        return None, why
    con = duckdb.connect()
    con.register("t", table)

    def count() -> int:
        ((n,),) = con.execute("select approx_count_distinct(w) from t").fetchall()
        return int(n)

    return count, None


def pyarrow_exact(arr: Any) -> Peer:
    pc, why = _module("pyarrow.compute", "pyarrow")
    if pc is None:
        return None, why
    return (lambda: pc.count_distinct(arr).as_py()), None


def datasketches(kind: str, lg_k: int = peers.HLL_LG_K) -> Peer:
    """DataSketches HLL (HLL_4) or theta, one update per item from Python, then
    serialized (what a distributed count ships)."""
    ds, why = _module("datasketches", "datasketches")
    if ds is None:
        return None, why

    def count(items) -> float:
        if kind == "hll":
            s = ds.hll_sketch(lg_k, ds.tgt_hll_type.HLL_4)
        else:
            s = ds.update_theta_sketch(lg_k)
        for x in items:
            s.update(x)
        blob = s.serialize_compact() if kind == "hll" else s.compact().serialize()
        assert blob
        return s.get_estimate()

    return count, None


def dask_own(series_pd: Any, npartitions: int = 8) -> Peer:
    """dask's Series.nunique_approx (HyperLogLog) with the synchronous scheduler."""
    dd, why = _module("dask.dataframe", "dask[dataframe]")
    if dd is None:
        return None, why
    import dask

    s = dd.from_pandas(series_pd, npartitions=npartitions).persist(scheduler="sync")

    def count() -> float:
        with dask.config.set(scheduler="sync"):
            return float(s.nunique_approx().compute())

    return count, None


def gk_dask(series_pd: Any, npartitions: int = 8) -> Peer:
    dd, why = _module("dask.dataframe", "dask[dataframe]")
    if dd is None:
        return None, why
    import dask

    from gokernels.dask import nunique_approx

    s = dd.from_pandas(series_pd, npartitions=npartitions).persist(scheduler="sync")

    def count() -> int:
        with dask.config.set(scheduler="sync"):
            return nunique_approx(s)

    return count, None


def _within(epsilon: float):
    return lambda got, exact: abs(got - exact) <= epsilon * exact


def _impl(name: str, peer: Peer, group: str = "peer", **kw: Any) -> Impl:
    fn, why = peer
    return Impl(name, fn if fn is not None else int, group=group, missing=why, **kw)


def int64_case(n: int) -> Optional[Case]:
    """The issue's int64 goal: n int64 in a numpy array, n/10 distinct, against
    polars approx_n_unique on a prebuilt Series (the baseline) and DuckDB
    approx_count_distinct over a prebuilt table, in one table."""
    np, _ = _module("numpy", "numpy")
    if np is None:
        return None
    from gokernels._bench import cvm as cvm_bench

    arr = np.random.default_rng(0).integers(0, n // 10, size=n, dtype=np.int64)
    exact = cvm_bench.sort_diff_count(arr)
    return Case(
        "columns",
        "distinct count: %s int64 in a numpy array, %s distinct" % (format(n, ","), format(n // 10, ",")),
        exact,
        [
            _impl("polars approx_n_unique (prebuilt Series)", cvm_bench.polars_counter(arr), baseline=True),
            _impl("DuckDB approx_count_distinct (table)", cvm_bench.duckdb_counter(arr)),
            Impl("gokernels count_approx(array)", partial(cvm.count_approx, arr), group="gokernels"),
        ],
        n,
        check=_within(0.5),
        versus="polars",
    )


def cases(quick: bool) -> List[Case]:
    n = 1_000_000 if quick else 10_000_000
    ints = int64_case(n)
    pa, why = _module("pyarrow", "pyarrow")
    if pa is None:
        return [ints] if ints else []
    words = short_strings(n, n // 10)
    arr = pa.array(words)
    exact = pa.compute.count_distinct(arr).as_py()
    series, pl_why = polars_series(words)
    polars_count: Peer = ((lambda: series.approx_n_unique()), None) if series is not None else (None, pl_why)
    sketch_n = n // 10  # per-item Python loops: a tenth of the column, timed and scaled
    hll, theta = datasketches("hll"), datasketches("theta")
    out = [
        Case(
            "columns",
            "distinct count: %s short str in an Arrow array" % format(n, ","),
            exact,
            [
                _impl("polars approx_n_unique (prebuilt Series)", polars_count, baseline=True),
                _impl("DuckDB approx_count_distinct", duckdb_count(pa.table({"w": arr}))),
                _impl("pyarrow.compute.count_distinct (exact)", pyarrow_exact(arr)),
                Impl("gokernels count_approx(pyarrow array)", partial(cvm.count_approx, arr), group="gokernels"),
                _impl(
                    "gokernels count_approx(polars Series)",
                    ((partial(cvm.count_approx, series)), None) if series is not None else (None, pl_why),
                    group="gokernels",
                ),
            ],
            n,
            check=_within(0.5),
            versus="polars",
        ),
        Case(
            "columns",
            "distinct count: %s short str (a tenth of the column), per-item sketches from Python"
            % format(sketch_n, ","),
            len(set(words[:sketch_n])),
            [
                _impl("datasketches HLL lg_k=%d + serialize" % peers.HLL_LG_K, _bind(hll, words[:sketch_n])),
                _impl("datasketches theta lg_k=%d + serialize" % peers.HLL_LG_K, _bind(theta, words[:sketch_n])),
                Impl(
                    "gokernels count_approx(pyarrow array)",
                    partial(cvm.count_approx, arr.slice(0, sketch_n)),
                    group="gokernels",
                    baseline=True,
                ),
            ],
            sketch_n,
            check=_within(0.5),
            versus="gokernels",
        ),
    ]
    pd, pd_why = _module("pandas", "pandas")
    if pd is not None:
        ps = pd.Series(words)
        out.append(
            Case(
                "columns",
                "distinct count: %s short str in a pandas Series (dtype %s)" % (format(n, ","), ps.dtype),
                exact,
                [
                    _impl("polars approx_n_unique (prebuilt Series)", polars_count, baseline=True),
                    _impl("DuckDB approx_count_distinct (pandas frame)", duckdb_count(pd.DataFrame({"w": ps}))),
                    Impl("pandas Series.nunique() (exact)", ps.nunique, group="peer"),
                    _impl("dask Series.nunique_approx (8 partitions, sync)", dask_own(ps)),
                    Impl("gokernels count_approx(series)", partial(cvm.count_approx, ps), group="gokernels"),
                    _impl("gokernels.dask.nunique_approx (8 partitions, sync)", gk_dask(ps), group="gokernels"),
                ],
                n,
                check=_within(0.5),
                versus="polars",
            )
        )
    if ints is not None:
        out.append(ints)
    return out


def _bind(peer: Peer, items: Any) -> Peer:
    fn, why = peer
    return (partial(fn, items), None) if fn is not None else (None, why)


def accuracy_table(distinct: int = 100_000, trials: int = 12) -> List[Tuple[str, int, float, float]]:
    """(sketch, serialized bytes, RMS relative error, max relative error) for
    CVMCounter at several epsilons and DataSketches HLL_4 at the lg_k whose
    serialized size is closest, over `trials` sets of `distinct` random ints."""
    import numpy as np

    ds, why = _module("datasketches", "datasketches")
    rows: List[Tuple[str, int, float, float]] = []
    rng = np.random.default_rng(12)
    sets = [rng.choice(1 << 62, size=distinct, replace=False) for _ in range(trials)]
    for eps in (0.5, 0.3, 0.2, 0.1):
        errs, size = [], 0
        for s in sets:
            c = cvm.CVMCounter(eps, 0.001)
            c.update(s)
            size = max(size, len(c.to_bytes()))
            errs.append(c.estimate() / distinct - 1)
        rows.append(("CVMCounter epsilon=%g" % eps, size, _rms(errs), max(map(abs, errs))))
        if ds is None:
            continue
        lg_k = min(range(4, 22), key=lambda k: abs(_hll_size(k) - size))
        errs = []
        for s in sets:
            h = ds.hll_sketch(lg_k, ds.tgt_hll_type.HLL_4)
            for x in s.tolist():
                h.update(x)
            hsize = len(h.serialize_compact())
            errs.append(h.get_estimate() / distinct - 1)
        rows.append(("datasketches HLL_4 lg_k=%d" % lg_k, hsize, _rms(errs), max(map(abs, errs))))
    return rows


def _hll_size(lg_k: int) -> int:
    """The serialized size of a dense HLL_4 sketch: a 40-byte header and 4
    bits per bucket (the table then reports the size actually measured)."""
    return 40 + (1 << (lg_k - 1))


def _rms(xs: List[float]) -> float:
    return math.sqrt(sum(x * x for x in xs) / len(xs))


# ---- the cases benchmarks/test_bench_columns.py times (pytest-benchmark), one test per row ----


class BenchData:
    """The columns of the pytest benchmarks, built by the first timed call's
    prepare() (collecting the tests builds none): n short strings with n/10
    distinct, as a list, an Arrow array, a polars and a pandas Series, and a
    tenth of them for the per-item sketches."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.built = False

    def build(self) -> "BenchData":
        if not self.built:
            pa = importlib.import_module("pyarrow")
            self.words = short_strings(self.n, self.n // 10)
            self.arr = pa.array(self.words)
            self.exact = pa.compute.count_distinct(self.arr).as_py()
            self.polars, _ = polars_series(self.words)
            pd, _ = _module("pandas", "pandas")
            self.pandas = pd.Series(self.words) if pd else None
            self.sketch_words = self.words[: self.n // 10]
            self.sketch_arr = self.arr.slice(0, self.n // 10)
            self.sketch_exact = len(set(self.sketch_words))
            self.built = True
        return self


def _later(data: BenchData, make: Callable[[BenchData], Callable[[], Any]]) -> Callable[[], Any]:
    """A timed call made by make(data) once the data are built."""

    def build() -> Callable[[], Any]:
        fn = make(data.build())
        assert fn is not None
        return fn

    return prepared(build)


def _missing(*modules: Tuple[str, str]) -> Optional[str]:
    for name, pip_name in modules:
        why = _module(name, pip_name)[1]
        if why:
            return why
    return None


def _counter_estimate(items: Any) -> int:
    c = cvm.CVMCounter()
    c.update(items)
    return c.estimate()


def bench_cases(data: BenchData) -> List[Case]:
    """The pytest-benchmark cases on data (polars approx_n_unique the
    baseline of the Arrow and pandas tables), without the dask cluster's
    tests, which the test module runs on a LocalCluster fixture."""
    from gokernels._bench.core import Goal

    arrow = _missing(("pyarrow", "pyarrow"))
    pol = arrow or _missing(("polars", "polars"))
    pand = arrow or _missing(("pandas", "pandas"))
    duck = _missing(("duckdb", "duckdb"))
    ds = arrow or _missing(("datasketches", "datasketches"))
    dask = pand or _missing(("dask.dataframe", "dask[dataframe]"))

    def near(epsilon: float = 0.5):
        return lambda got, _: abs(got - data.exact) <= epsilon * data.exact

    def exact(got: Any, _: Any) -> bool:
        return got == data.exact

    def lazy(make):
        return _later(data, make)

    def polars_row(key: str) -> Impl:
        return Impl(
            "polars Series.approx_n_unique()",
            lazy(lambda d: d.polars.approx_n_unique),
            baseline=True,
            group="peer",
            missing=pol,
            key=key,
        )

    arrow_case = Case(
        "columns",
        "columns: 10M short str in an Arrow array",
        None,
        [
            polars_row("polars"),
            Impl(
                "DuckDB approx_count_distinct (Arrow table)",
                lazy(lambda d: duckdb_count(importlib.import_module("pyarrow").table({"w": d.arr}))[0]),
                group="peer",
                missing=arrow or duck,
                key="duckdb",
            ),
            Impl(
                "pyarrow.compute.count_distinct (exact)",
                lazy(lambda d: pyarrow_exact(d.arr)[0]),
                group="peer",
                missing=arrow,
                key="pyarrow_count_distinct",
                rounds=3,
                check=exact,
            ),
            Impl(
                "gokernels count_approx(Arrow array)",
                lazy(lambda d: partial(cvm.count_approx, d.arr)),
                group="gokernels",
                missing=arrow,
                key="gokernels",
            ),
            Impl(
                "gokernels count_approx(polars Series)",
                lazy(lambda d: partial(cvm.count_approx, d.polars)),
                group="gokernels",
                missing=pol,
                key="gokernels_polars_series",
            ),
        ],
        data.n,
        check=near(),
        key="arrow",
        cls="TestArrow",
        goals=[
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
        ],
    )

    def sketch_near(epsilon: float):
        return lambda got, _: abs(got - data.sketch_exact) <= epsilon * data.sketch_exact

    sketch_case = Case(
        "columns",
        "columns: 1M short str (a tenth), per-item sketches from Python",
        None,
        [
            Impl(
                "gokernels count_approx(Arrow array)",
                lazy(lambda d: partial(cvm.count_approx, d.sketch_arr)),
                baseline=True,
                group="gokernels",
                missing=arrow,
                key="gokernels",
            ),
            *[
                Impl(
                    "DataSketches %s, update per item" % kind,
                    lazy(lambda d, kind=kind: partial(datasketches(kind)[0], d.sketch_words)),
                    group="peer",
                    missing=ds,
                    key="datasketches[%s]" % kind,
                    rounds=3,
                    check=sketch_near(0.1),
                )
                for kind in ("hll", "theta")
            ],
        ],
        data.n // 10,
        check=sketch_near(0.5),
        key="sketch",
        cls="TestSketches",
    )
    pandas_case = Case(
        "columns",
        "columns: pandas Series of 10M short str",
        None,
        [
            polars_row("polars"),
            Impl(
                "gokernels count_approx(pandas Series)",
                lazy(lambda d: partial(cvm.count_approx, d.pandas)),
                group="gokernels",
                missing=pand,
                key="gokernels",
            ),
            Impl(
                "DuckDB approx_count_distinct (pandas frame)",
                lazy(lambda d: duckdb_count(importlib.import_module("pandas").DataFrame({"w": d.pandas}))[0]),
                group="peer",
                missing=pand or duck,
                key="duckdb",
            ),
            Impl(
                "pandas Series.nunique() (exact)",
                lazy(lambda d: d.pandas.nunique),
                group="peer",
                missing=pand,
                key="nunique",
                rounds=3,
                check=exact,
            ),
            Impl(
                "dask Series.nunique_approx() (sync scheduler)",
                lazy(lambda d: dask_own(d.pandas)[0]),
                group="peer",
                missing=dask,
                key="dask_nunique_approx",
                rounds=3,
            ),
        ],
        data.n,
        check=near(),
        key="pandas",
        cls="TestPandas",
    )
    single_case = Case(
        "columns",
        "columns: gokernels.dask, 10M rows in 8 partitions on 2 workers",
        None,
        [
            Impl(
                "one CVMCounter over the pandas Series, in one process",
                lazy(lambda d: partial(_counter_estimate, d.pandas)),
                baseline=True,
                group="gokernels",
                missing=pand,
                key="single_process",
            )
        ],
        data.n,
        check=near(),
        key="dask",
        cls="TestDask",
    )
    return [arrow_case, sketch_case, pandas_case, single_case]
