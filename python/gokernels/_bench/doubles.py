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
from gokernels._bench.core import Case, Impl
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
