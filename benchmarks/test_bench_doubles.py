"""Count doubles (articles 2 and 4): the articles' pure-Python versions,
numpy, numba, Cython, the articles' Rust kernels (benchmarks/rust), and
gokernels' rune, byte and parallel kernels, on article 2's 1M letters and
article 4's 10M: warm (the same input every call, in cache) and fresh (a new
input each call, from a pool larger than the caches); and the parallel kernel
against the sequential one across sizes (its crossover)."""

import random
import string

import pytest

from conftest import Goal, need, on_plot, rust
from gokernels import reference
from gokernels._bench import peers
from gokernels._bench.doubles import RUST, _on_fresh, fresh_pool
from gokernels.doubles import count_doubles, count_doubles_bytes, count_doubles_parallel

PLOT = "count doubles (random ASCII letters)"
LABELS = {  # test name after test_ (and 10m_) -> line on the chart
    "python_zip": "pure Python (zip)",
    "python_once": "pure Python (iterate once)",
    "python_itertools": "pure Python (itertools)",
    "python_comprehension": "pure Python (comprehension)",
    "regex": "regex",
    "numpy": "numpy (bytes)",
    "numba": "numba @njit (bytes)",
    "cython": "Cython (bytes)",
    "gokernels_runes": "gokernels count_doubles",
    "gokernels_bytes": "gokernels count_doubles_bytes",
    "gokernels_parallel": "gokernels count_doubles_parallel",
    "rust_chars": "Rust chars, two iterators",
    "rust_chars_once": "Rust chars once",
    "rust_bytes": "Rust bytes once",
    "rust_slice": "Rust slice",
    "rust_slice_parallel": "Rust slice_parallel (rayon)",
}
RUST_TESTS = [  # test name suffix -> (Rust function, takes bytes)
    ("rust_chars", "count_doubles_chars", False),
    ("rust_chars_once", "count_doubles_chars_once", False),
    ("rust_bytes", "count_doubles_bytes", True),
    ("rust_slice", "count_doubles_slice", True),
    ("rust_slice_parallel", "count_doubles_slice_parallel", True),
]
assert [r[1] for r in RUST_TESTS] == [r[1] for r in RUST]  # the CLI's rows, the same kernels

N = 1_000_000
LETTERS = "".join(random.Random(0).choices(string.ascii_letters, k=N))
LETTERS_B = LETTERS.encode()
EXPECTED = reference.doubles_once(LETTERS)
KIND2 = LETTERS.translate({c: c + 0x100 for c in range(128)})  # same pattern, 2 bytes per code point
KIND4 = LETTERS.translate({c: c + 0x1F000 for c in range(128)})  # 4 bytes per code point
BIG = LETTERS * 16  # 16M characters
BIG_EXPECTED = EXPECTED * 16 + 15 * (LETTERS[-1] == LETTERS[0])

GOALS = [
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
    Goal("count_doubles on a 2-byte-kind str at least 4 GB/s", "test_gokernels_kind2", nbytes=2 * N, gbps=4),
    Goal("count_doubles on a 4-byte-kind str at least 4 GB/s", "test_gokernels_kind4", nbytes=4 * N, gbps=4),
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
# count_doubles_parallel never slower than count_doubles, at any size of the sweep
PARALLEL_SIZES = [1 << k for k in range(16, 25, 2)]
GOALS += [
    Goal(
        "count_doubles_parallel on %s letters no slower than count_doubles (within 10%%)" % format(n, ","),
        "test_sweep_parallel[%d]" % n,
        "test_sweep_sequential[%d]" % n,
        at_most=1.1,
    )
    for n in PARALLEL_SIZES
]

SLOW = dict(rounds=3, iterations=1, warmup_rounds=0)
ONCE = dict(rounds=1, iterations=1, warmup_rounds=0)


def _point(request, benchmark, size):
    key = request.node.name[len("test_") :].replace("10m_", "", 1)
    if key in LABELS:
        on_plot(benchmark, PLOT, LABELS[key], size)


@pytest.fixture(scope="session")
def numba_doubles():
    return peers.numba_count_doubles()  # compiles once per session


@pytest.fixture(scope="session")
def cython_doubles(tmp_path_factory):
    """The Cython byte loop, built once per session from the CLI's source."""
    module, why = peers.build_cython(peers.CYTHON_PYX, str(tmp_path_factory.mktemp("cython")))
    return (module.count_doubles_bytes if module else None), why


@pytest.mark.benchmark(group="doubles: 1M random ASCII letters")
class TestOneMillion:
    @pytest.fixture(autouse=True)
    def _on_plot(self, request, benchmark):
        _point(request, benchmark, N)

    def test_python_zip(self, baseline):
        assert baseline.pedantic(reference.doubles_zip, (LETTERS,), **SLOW) == EXPECTED

    def test_python_once(self, benchmark):
        assert benchmark.pedantic(reference.doubles_once, (LETTERS,), **SLOW) == EXPECTED

    def test_python_itertools(self, benchmark):
        assert benchmark.pedantic(reference.doubles_itertools, (LETTERS,), **SLOW) == EXPECTED

    def test_python_comprehension(self, benchmark):
        assert benchmark.pedantic(reference.doubles_comprehension, (LETTERS,), **SLOW) == EXPECTED

    def test_regex(self, benchmark):
        assert benchmark.pedantic(reference.doubles_regex, (LETTERS,), **SLOW) == EXPECTED

    def test_numpy(self, benchmark):
        pytest.importorskip("numpy", reason="peer numpy missing: not installed (pip install numpy)")
        assert benchmark(reference.doubles_numpy, LETTERS_B) == EXPECTED

    def test_numba(self, benchmark, numba_doubles):
        assert benchmark(need(numba_doubles, "numba"), LETTERS_B) == EXPECTED

    def test_cython(self, benchmark, cython_doubles):
        assert benchmark(need(cython_doubles, "Cython"), LETTERS_B) == EXPECTED

    def test_copy_1mb(self, benchmark):
        assert len(benchmark(bytearray, LETTERS_B)) == N

    def test_gokernels_runes(self, benchmark):
        assert benchmark(count_doubles, LETTERS) == EXPECTED

    def test_gokernels_bytes(self, benchmark):
        assert benchmark(count_doubles_bytes, LETTERS_B) == EXPECTED

    def test_gokernels_parallel(self, benchmark):
        assert benchmark(count_doubles_parallel, LETTERS) == EXPECTED

    def test_gokernels_kind2(self, benchmark):
        assert benchmark(count_doubles, KIND2) == EXPECTED

    def test_gokernels_kind4(self, benchmark):
        assert benchmark(count_doubles, KIND4) == EXPECTED

    @pytest.mark.parametrize("suffix, name, on_bytes", RUST_TESTS, ids=[r[0] for r in RUST_TESTS])
    def test_rust(self, request, benchmark, suffix, name, on_bytes):
        _name(request, benchmark, "test_" + suffix, N)
        assert benchmark(rust(name), LETTERS_B if on_bytes else LETTERS) == EXPECTED


@pytest.fixture(scope="module")
def ten_million():
    """Article 4's input: 10M random ASCII letters (built once, only when needed)."""
    s = "".join(random.Random(10).choices(string.ascii_letters, k=10 * N))
    b = s.encode()
    try:
        expected = reference.doubles_numpy(b)  # the articles' numpy version: 30 ms instead of a second
    except ImportError:
        expected = reference.doubles_once(s)
    return s, b, expected


@pytest.mark.benchmark(group="doubles: 10M random ASCII letters (article 4)")
class TestTenMillion:
    """The pure-Python rows run once each: they take about a second."""

    @pytest.fixture(autouse=True)
    def _on_plot(self, request, benchmark):
        _point(request, benchmark, 10 * N)

    def test_10m_python_zip(self, baseline, ten_million):
        s, _, expected = ten_million
        assert baseline.pedantic(reference.doubles_zip, (s,), **ONCE) == expected

    def test_10m_python_once(self, benchmark, ten_million):
        s, _, expected = ten_million
        assert benchmark.pedantic(reference.doubles_once, (s,), **ONCE) == expected

    def test_10m_python_itertools(self, benchmark, ten_million):
        s, _, expected = ten_million
        assert benchmark.pedantic(reference.doubles_itertools, (s,), **ONCE) == expected

    def test_10m_python_comprehension(self, benchmark, ten_million):
        s, _, expected = ten_million
        assert benchmark.pedantic(reference.doubles_comprehension, (s,), **ONCE) == expected

    def test_10m_regex(self, benchmark, ten_million):
        s, _, expected = ten_million
        assert benchmark.pedantic(reference.doubles_regex, (s,), **ONCE) == expected

    def test_10m_numpy(self, benchmark, ten_million):
        pytest.importorskip("numpy", reason="peer numpy missing: not installed (pip install numpy)")
        _, b, expected = ten_million
        assert benchmark(reference.doubles_numpy, b) == expected

    def test_10m_numba(self, benchmark, ten_million, numba_doubles):
        _, b, expected = ten_million
        assert benchmark(need(numba_doubles, "numba"), b) == expected

    def test_10m_cython(self, benchmark, ten_million, cython_doubles):
        _, b, expected = ten_million
        assert benchmark(need(cython_doubles, "Cython"), b) == expected

    def test_10m_gokernels_runes(self, benchmark, ten_million):
        s, _, expected = ten_million
        assert benchmark(count_doubles, s) == expected

    def test_10m_gokernels_bytes(self, benchmark, ten_million):
        _, b, expected = ten_million
        assert benchmark(count_doubles_bytes, b) == expected

    def test_10m_gokernels_parallel(self, benchmark, ten_million):
        s, _, expected = ten_million
        assert benchmark(count_doubles_parallel, s) == expected

    @pytest.mark.parametrize("suffix, name, on_bytes", RUST_TESTS, ids=[r[0] for r in RUST_TESTS])
    def test_10m_rust(self, request, benchmark, ten_million, suffix, name, on_bytes):
        s, b, expected = ten_million
        _name(request, benchmark, "test_10m_" + suffix, 10 * N)
        assert benchmark(rust(name), b if on_bytes else s) == expected


@pytest.mark.benchmark(group="doubles: 16M characters, parallel vs sequential")
class TestParallel:
    def test_sequential_16m(self, baseline):
        assert baseline(count_doubles, BIG) == BIG_EXPECTED

    def test_parallel_16m(self, benchmark):
        assert benchmark(count_doubles_parallel, BIG) == BIG_EXPECTED


def _name(request, benchmark, name, size):
    """Gives a parametrized Rust row the name of a plain test (test_rust_bytes,
    ...), as the goals and report.py refer to it, and its point on the chart."""
    benchmark.name = name
    benchmark.fullname = request.node.nodeid.split("::")[0] + "::" + name
    key = name[len("test_") :].replace("10m_", "", 1)
    on_plot(benchmark, PLOT, LABELS[key], size)


# ---- fresh inputs: a new string each call, from a pool three times the L3 cache ----

FRESH_IMPLS = {  # test name suffix -> (function of str or bytes, takes bytes)
    "numpy": (reference.doubles_numpy, True),
    "gokernels_runes": (count_doubles, False),
    "gokernels_bytes": (count_doubles_bytes, True),
    "gokernels_parallel": (count_doubles_parallel, False),
}


@pytest.fixture(scope="module")
def fresh_1m():
    return fresh_pool(N)


@pytest.fixture(scope="module")
def fresh_10m():
    return fresh_pool(10 * N)


def _fresh(benchmark, pool, suffix, numba_doubles, cython_doubles):
    if suffix == "numpy":
        pytest.importorskip("numpy", reason="peer numpy missing: not installed (pip install numpy)")
    if suffix in FRESH_IMPLS:
        fn, on_bytes = FRESH_IMPLS[suffix]
    elif suffix == "numba":
        fn, on_bytes = need(numba_doubles, "numba"), True
    elif suffix == "cython":
        fn, on_bytes = need(cython_doubles, "Cython"), True
    else:
        name, on_bytes = {s: (n, b) for s, n, b in RUST_TESTS}[suffix]
        fn = rust(name)
    run = _on_fresh(pool)(fn, on_bytes)
    assert all(run() for _ in pool)  # every input of the pool, checked once before timing
    assert benchmark(run)


FRESH = list(FRESH_IMPLS) + ["numba", "cython"] + [r[0] for r in RUST_TESTS]


@pytest.mark.benchmark(group="doubles: 1M random ASCII letters, fresh input each call")
@pytest.mark.parametrize("suffix", FRESH)
def test_fresh(request, benchmark, fresh_1m, numba_doubles, cython_doubles, suffix):
    benchmark.name = "test_fresh_" + suffix
    if suffix == "numpy":
        benchmark.extra_info["baseline"] = True
    _fresh(benchmark, fresh_1m, suffix, numba_doubles, cython_doubles)


@pytest.mark.benchmark(group="doubles: 10M random ASCII letters, fresh input each call")
@pytest.mark.parametrize("suffix", FRESH)
def test_fresh_10m(request, benchmark, fresh_10m, numba_doubles, cython_doubles, suffix):
    benchmark.name = "test_fresh_10m_" + suffix
    if suffix == "numpy":
        benchmark.extra_info["baseline"] = True
    _fresh(benchmark, fresh_10m, suffix, numba_doubles, cython_doubles)


# ---- the parallel kernel's crossover: parallel against sequential from 64K to 16M ----

PARALLEL_PLOT = "count_doubles_parallel vs count_doubles"


@pytest.mark.parametrize("n", PARALLEL_SIZES)
def test_sweep_sequential(baseline, n):
    baseline.group = "doubles: parallel vs sequential, %s letters" % format(n, ",")
    on_plot(baseline, PARALLEL_PLOT, "gokernels count_doubles", n)
    s = BIG[:n]
    assert baseline(count_doubles, s) == reference.doubles_once(s)


@pytest.mark.parametrize("n", PARALLEL_SIZES)
def test_sweep_parallel(benchmark, n):
    benchmark.group = "doubles: parallel vs sequential, %s letters" % format(n, ",")
    on_plot(benchmark, PARALLEL_PLOT, "gokernels count_doubles_parallel", n)
    s = BIG[:n]
    assert benchmark(count_doubles_parallel, s) == count_doubles(s)


@pytest.mark.parametrize("n", PARALLEL_SIZES)
def test_sweep_rust_slice_parallel(benchmark, n):
    benchmark.group = "doubles: parallel vs sequential, %s letters" % format(n, ",")
    on_plot(benchmark, PARALLEL_PLOT, "Rust slice_parallel (rayon)", n)
    b = BIG[:n].encode()
    assert benchmark(rust("count_doubles_slice_parallel"), b) == count_doubles(b.decode())
