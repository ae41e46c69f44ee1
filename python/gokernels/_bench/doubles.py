"""Benchmark cases for the count-doubles family (articles 2 and 4): the
articles' pure-Python versions, numpy, numba, Cython, the articles' Rust
kernels (benchmarks/rust), and gokernels' rune, byte and parallel kernels, at
several input sizes (1M is article 2's input, 10M article 4's).

Each size is timed twice: warm (the same string every call, so it stays in
the CPU's caches for every implementation alike) and fresh (a different
string each call, cycling through more strings than the caches hold, as a
program that counts new data sees it). A sweep of count_doubles_parallel
against count_doubles shows where the parallel kernel starts to pay.
"""

import random
import string
from functools import partial

from gokernels import doubles, reference
from gokernels._bench import peers
from gokernels._bench.core import Case, Impl, prepared
from gokernels._bench.inputs import FRESH_BYTES, on_fresh

PLOT = "count doubles (random ASCII letters)"
PARALLEL_PLOT = "count_doubles_parallel vs count_doubles"

# (label, function name in the Rust module, takes bytes)
RUST = [
    ("Rust chars, two iterators (article 2)", "count_doubles_chars", False),
    ("Rust chars once (article 2)", "count_doubles_chars_once", False),
    ("Rust bytes once (article 2)", "count_doubles_bytes", True),
    ("Rust slice (article 4)", "count_doubles_slice", True),
    ("Rust slice_parallel, rayon (article 4)", "count_doubles_slice_parallel", True),
]


def letters(n: int, seed: int = 0) -> str:
    """The articles' input: n random ASCII letters."""
    rnd = random.Random(seed)
    return "".join(rnd.choices(string.ascii_letters, k=n))


def _numpy_missing():
    try:
        import numpy  # noqa: F401
    except ImportError:
        return "numpy is not installed (pip install numpy)"
    return None


def _compiled_impls(s: str, b: bytes, wrap=None):
    """numpy, numba, Cython, Rust and gokernels rows on s (and b = s.encode());
    wrap(fn, takes_bytes) turns a one-argument function into the timed call."""
    wrap = wrap or (lambda fn, on_bytes: partial(fn, b if on_bytes else s))
    numba_fn, numba_missing = peers.numba_count_doubles()
    cython_fn, cython_missing = peers.cython_count_doubles()
    impls = [
        Impl("numpy (bytes)", wrap(reference.doubles_numpy, True), group="peer", missing=_numpy_missing()),
        Impl("numba @njit (bytes)", wrap(numba_fn or int, True), group="peer", missing=numba_missing),
        Impl("Cython (bytes)", wrap(cython_fn or int, True), group="peer", missing=cython_missing),
    ]
    for label, name, on_bytes in RUST:
        fn, why = peers.rust(name)
        impls.append(Impl(label, wrap(fn or int, on_bytes), group="rust", missing=why))
    impls += [
        Impl("gokernels count_doubles", wrap(doubles.count_doubles, False), group="gokernels"),
        Impl("gokernels count_doubles_bytes (bytes)", wrap(doubles.count_doubles_bytes, True), group="gokernels"),
        Impl("gokernels count_doubles_parallel", wrap(doubles.count_doubles_parallel, False), group="gokernels"),
    ]
    return impls


def fresh_pool(n: int, seed: int = 1):
    """Distinct n-letter strings (as str and bytes) with their counts, more
    of them than the caches hold: slices of one long random string, each a
    copy of its own."""
    count = max(2, FRESH_BYTES // (2 * n))
    step = 4099
    base = letters(n + step * count, seed)
    pool = []
    for i in range(count):
        s = base[i * step : i * step + n]
        b = s.encode()
        pool.append((s, b, doubles.count_doubles_bytes(b)))
    # The counts come from gokernels: check them against the articles' numpy version.
    try:
        for _, b, want in pool[:3]:
            assert reference.doubles_numpy(b) == want
    except ImportError:
        assert reference.doubles_once(pool[0][0]) == pool[0][2]
    return pool


def _on_fresh(pool):
    """wrap() for fresh inputs: each call takes the next string of the pool
    and returns whether the answer was right (so every call is checked)."""
    return lambda fn, on_bytes: on_fresh(fn, [(b if on_bytes else s, want) for s, b, want in pool])


def cases(quick: bool):
    sizes = [100_000, 1_000_000] if quick else [100_000, 1_000_000, 10_000_000]
    out = []
    for n in sizes:
        s = letters(n)
        b = s.encode()
        impls = [
            Impl("pure Python (zip)", partial(reference.doubles_zip, s), baseline=True, group="python"),
            Impl("pure Python (iterate once)", partial(reference.doubles_once, s), group="python"),
            Impl("pure Python (itertools)", partial(reference.doubles_itertools, s), group="python"),
            Impl("pure Python (comprehension)", partial(reference.doubles_comprehension, s), group="python"),
            Impl("regex", partial(reference.doubles_regex, s), group="python"),
        ] + _compiled_impls(s, b)
        expected = reference.doubles_once(s)
        title = "count doubles: %s random ASCII letters, warm (the same string every call)" % format(n, ",")
        out.append(Case("doubles", title, expected, impls, n, plot=PLOT))
    for n in sizes[1:]:
        pool = fresh_pool(n)
        impls = _compiled_impls("", b"", _on_fresh(pool))
        impls[0].baseline = True
        title = "count doubles: %s random ASCII letters, fresh (a new string each call, %d in turn)" % (
            format(n, ","),
            len(pool),
        )
        out.append(Case("doubles", title, True, impls, n, versus="numpy"))
    out += parallel_sweep(quick)
    return out


def parallel_sweep(quick: bool):
    """count_doubles_parallel against count_doubles from 64K to 16M letters:
    where the parallel kernel starts to pay (it counts alone below that)."""
    sizes = [1 << 16, 1 << 20, 1 << 22, 1 << 24] if quick else [1 << k for k in range(16, 25)]
    big = letters(sizes[-1], seed=2)
    out = []
    rayon, why = peers.rust("count_doubles_slice_parallel")
    for n in sizes:
        s = big[:n]
        b = s.encode()
        impls = [
            # named apart from the other tables' rows: these are the points of their own chart
            Impl("sequential: count_doubles", partial(doubles.count_doubles, s), baseline=True, group="gokernels"),
            Impl("parallel: count_doubles_parallel", partial(doubles.count_doubles_parallel, s), group="gokernels"),
            Impl("parallel: Rust slice_parallel, rayon (bytes)", partial(rayon or int, b), group="rust", missing=why),
        ]
        title = "count doubles in parallel: %s letters" % format(n, ",")
        out.append(
            Case(
                "doubles",
                title,
                doubles.count_doubles(s),
                impls,
                n,
                plot=PARALLEL_PLOT,
                compact=True,
                versus="count_doubles",
            )
        )
    return out


# ---- the cases benchmarks/test_bench_doubles.py times (pytest-benchmark), one test per row ----

BENCH_N = 1_000_000
BENCH_PARALLEL_SIZES = [1 << k for k in range(16, 25, 2)]
# (pytest id after test_, Rust function, takes bytes): the rows of RUST
RUST_IDS = ["rust_chars", "rust_chars_once", "rust_bytes", "rust_slice", "rust_slice_parallel"]


def _lazy_fresh(n, fn, on_bytes):
    """The fresh-input call on fresh_pool(n), the pool built by its prepare(),
    every input of the pool checked once then."""

    def build():
        if n not in _pools:
            _pools[n] = fresh_pool(n)
        run = _on_fresh(_pools[n])(fn, on_bytes)
        assert all(run() for _ in _pools[n])  # every input of the pool, checked once
        return run

    return prepared(build)


_pools: dict = {}


def _named(impls, keys, names=None, **fields):
    for i, (impl, key) in enumerate(zip(impls, keys)):
        impl.key = key
        if names:
            impl.bench_name = names[i]
        for k, v in fields.items():
            setattr(impl, k, v)
    return impls


def _warm_bench(s, b, expected, prefix, cls, group, rounds, goals):
    """TestOneMillion / TestTenMillion: the pure-Python rows (rounds of one
    call), the peers, the Rust kernels (test_<prefix>rust_chars, ...) and
    gokernels, each a point of the chart at len(s)."""
    pure = [
        Impl("pure Python (zip)", partial(reference.doubles_zip, s), baseline=True, group="python"),
        Impl("pure Python (iterate once)", partial(reference.doubles_once, s), group="python"),
        Impl("pure Python (itertools)", partial(reference.doubles_itertools, s), group="python"),
        Impl("pure Python (comprehension)", partial(reference.doubles_comprehension, s), group="python"),
        Impl("regex", partial(reference.doubles_regex, s), group="python"),
    ]
    _named(pure, ["python_zip", "python_once", "python_itertools", "python_comprehension", "regex"], rounds=rounds)
    compiled = _compiled_impls(s, b)
    keys = ["numpy", "numba", "cython"] + ["rust[%s]" % r for r in RUST_IDS]
    keys += ["gokernels_runes", "gokernels_bytes", "gokernels_parallel"]
    names = [""] * 3 + ["test_%s%s" % (prefix, r) for r in RUST_IDS] + [""] * 3
    _named(compiled, keys, names)
    key = prefix.rstrip("_")
    return Case(
        "doubles", group, expected, pure + compiled, len(s), plot=PLOT, key=key, cls=cls, group=group, goals=goals
    )


def bench_cases():
    """The pytest-benchmark cases: article 2's 1M letters and article 4's 10M,
    warm and fresh; 16M parallel against sequential; the parallel crossover."""
    from gokernels._bench.core import Goal

    n = BENCH_N
    s = "".join(random.Random(0).choices(string.ascii_letters, k=n))
    b = s.encode()
    expected = reference.doubles_once(s)
    goals = [
        Goal(
            "count_doubles on 1M letters within 3x the time of bytearray(b) of 1 MB",
            "test_gokernels_runes",
            "test_copy_1mb",
            at_most=3.0,
        ),
        Goal(
            "count_doubles at least 200x the pure-Python zip version",
            "test_gokernels_runes",
            "test_python_zip",
            at_least=200,
        ),
        Goal("count_doubles on a 2-byte-kind str at least 4 GB/s", "test_gokernels_kind2", nbytes=2 * n, gbps=4),
        Goal("count_doubles on a 4-byte-kind str at least 4 GB/s", "test_gokernels_kind4", nbytes=4 * n, gbps=4),
        Goal(
            "count_doubles_bytes on 1M faster than numba @njit (article 2's fastest peer)",
            "test_gokernels_bytes",
            "test_numba",
            at_least=1.0,
        ),
        Goal(
            "count_doubles_parallel on 16M characters at least 1.7x sequential",
            "test_parallel_16m",
            "test_sequential_16m",
            at_least=1.7,
        ),
        Goal(
            "count_doubles_bytes on 1M at least as fast as article 2's Rust bytes once",
            "test_gokernels_bytes",
            "test_rust_bytes",
            at_least=1.0,
        ),
        Goal(
            "count_doubles_parallel on 10M at least as fast as article 4's Rust slice_parallel (rayon)",
            "test_10m_gokernels_parallel",
            "test_10m_rust_slice_parallel",
            at_least=1.0,
        ),
    ]
    group = "doubles: 1M random ASCII letters"
    one_m = _warm_bench(s, b, expected, "", "TestOneMillion", group, 3, goals)
    kind2 = s.translate({c: c + 0x100 for c in range(128)})  # same pattern, 2 bytes per code point
    kind4 = s.translate({c: c + 0x1F000 for c in range(128)})  # 4 bytes per code point
    others = Case(
        "doubles",
        group + ": a 1 MB copy, and wider str kinds",
        expected,
        [
            Impl("bytearray(b): a 1 MB copy", partial(bytearray, b), group="python", key="copy_1mb", expected=b),
            Impl("gokernels count_doubles (2-byte kind)", partial(doubles.count_doubles, kind2), key="gokernels_kind2"),
            Impl("gokernels count_doubles (4-byte kind)", partial(doubles.count_doubles, kind4), key="gokernels_kind4"),
        ],
        n,
        cls="TestOneMillion",
        group=group,
    )
    others.impls[0].has_expected = True
    s10 = "".join(random.Random(10).choices(string.ascii_letters, k=10 * n))
    b10 = s10.encode()
    try:
        expected10 = reference.doubles_numpy(b10)  # the articles' numpy version: 30 ms instead of a second
    except ImportError:
        expected10 = reference.doubles_once(s10)
    ten_m = _warm_bench(
        s10,
        b10,
        expected10,
        "10m_",
        "TestTenMillion",
        "doubles: 10M random ASCII letters (article 4)",
        1,
        [],
    )
    big = s * 16  # 16M characters
    big_expected = expected * 16 + 15 * (s[-1] == s[0])
    parallel = Case(
        "doubles",
        "doubles: 16M characters, parallel vs sequential",
        big_expected,
        [
            Impl(
                "gokernels count_doubles",
                partial(doubles.count_doubles, big),
                baseline=True,
                group="gokernels",
                key="sequential_16m",
            ),
            Impl(
                "gokernels count_doubles_parallel",
                partial(doubles.count_doubles_parallel, big),
                group="gokernels",
                key="parallel_16m",
            ),
        ],
        len(big),
        cls="TestParallel",
    )
    out = [one_m, others, ten_m, parallel]
    for size, key, what in ((n, "fresh", "1M"), (10 * n, "fresh_10m", "10M")):
        impls = _compiled_impls("", b"", lambda fn, on_bytes, size=size: _lazy_fresh(size, fn, on_bytes))
        ids = ["numpy", "numba", "cython"] + RUST_IDS + ["gokernels_runes", "gokernels_bytes", "gokernels_parallel"]
        _named(impls, ["[%s]" % i for i in ids], ["test_%s_%s" % (key, i) for i in ids])
        impls[0].baseline = True
        group = "doubles: %s random ASCII letters, fresh input each call" % what
        out.append(Case("doubles", group, True, impls, size, versus="numpy", key=key, group=group))
    rayon, why = peers.rust("count_doubles_slice_parallel")
    for size in BENCH_PARALLEL_SIZES:
        part = big[:size]
        group = "doubles: parallel vs sequential, %s letters" % format(size, ",")
        out.append(
            Case(
                "doubles",
                group,
                reference.doubles_once(part),
                [
                    Impl(
                        "gokernels count_doubles",
                        partial(doubles.count_doubles, part),
                        baseline=True,
                        group="gokernels",
                        key="sequential[%d]" % size,
                    ),
                    Impl(
                        "gokernels count_doubles_parallel",
                        partial(doubles.count_doubles_parallel, part),
                        group="gokernels",
                        key="parallel[%d]" % size,
                    ),
                    Impl(
                        "Rust slice_parallel (rayon)",
                        partial(rayon or int, part.encode()),
                        group="rust",
                        missing=why,
                        key="rust_slice_parallel[%d]" % size,
                    ),
                ],
                size,
                plot=PARALLEL_PLOT,
                key="sweep",
                group=group,
                goals=[
                    Goal(
                        "count_doubles_parallel on %s letters no slower than count_doubles (within 10%%)"
                        % format(size, ","),
                        "test_sweep_parallel[%d]" % size,
                        "test_sweep_sequential[%d]" % size,
                        at_most=1.1,
                    )
                ],
            )
        )
    return out
