"""Count doubles (articles 2 and 4): the articles' pure-Python versions,
numpy, and gokernels' rune, byte and parallel kernels on their input."""

import random
import string

import pytest

from conftest import Goal
from gokernels import reference
from gokernels.doubles import count_doubles, count_doubles_bytes, count_doubles_parallel

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
    Goal("one call on a 2-character str at most 150 ns", "test_call_overhead", ns=150),
    Goal(
        "count_doubles_parallel on 16M characters at least 1.7x sequential",
        "test_parallel_16m",
        "test_sequential_16m",
        at_least=1.7,
    ),
]

SLOW = dict(rounds=3, iterations=1, warmup_rounds=0)


@pytest.mark.benchmark(group="doubles: 1M random ASCII letters")
class TestOneMillion:
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
        pytest.importorskip("numpy", reason="peer numpy is not installed")
        assert benchmark(reference.doubles_numpy, LETTERS_B) == EXPECTED

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


@pytest.mark.benchmark(group="doubles: one call on 'ab' (binding overhead)")
def test_call_overhead(benchmark):
    count_doubles("ab")  # the first call loads the Go runtime; time the steady state
    assert benchmark.pedantic(count_doubles, ("ab",), iterations=2000, rounds=200) == 0


@pytest.mark.benchmark(group="doubles: call baseline, len('ab')")
def test_call_len(baseline):
    assert baseline.pedantic(len, ("ab",), iterations=2000, rounds=200) == 2


@pytest.mark.benchmark(group="doubles: 16M characters, parallel vs sequential")
class TestParallel:
    def test_sequential_16m(self, baseline):
        assert baseline(count_doubles, BIG) == BIG_EXPECTED

    def test_parallel_16m(self, benchmark):
        assert benchmark(count_doubles_parallel, BIG) == BIG_EXPECTED
