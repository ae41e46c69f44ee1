"""Count doubles (articles 2 and 4): the articles' pure-Python versions,
numpy, numba, Cython, and gokernels' rune, byte and parallel kernels, on
article 2's 1M letters and article 4's 10M."""

import random
import string

import pytest

from conftest import Goal, need, on_plot
from gokernels import reference
from gokernels._bench import peers
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
}

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


@pytest.mark.benchmark(group="doubles: 16M characters, parallel vs sequential")
class TestParallel:
    def test_sequential_16m(self, baseline):
        assert baseline(count_doubles, BIG) == BIG_EXPECTED

    def test_parallel_16m(self, benchmark):
        assert benchmark(count_doubles_parallel, BIG) == BIG_EXPECTED
