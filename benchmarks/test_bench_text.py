"""short_long (the CFFI article), random_string (the PyO3 + rayon article's
input), and list_sum (article 1's "what doesn't work") against Python."""

import random
import string

import pytest

from conftest import Goal
from gokernels import lists, reference, text
from gokernels._bench.inputs import words_text

WORDS = words_text(200_000)
SHORT_LONG = reference.short_long(WORDS)
SMALL = random.Random(0).sample(range(1, 50000), 200)
BIG = list(range(1_000_000))

GOALS = [
    Goal(
        "short_long on 200,000 words at least 10x the article's Python",
        "test_short_long_gokernels",
        "test_short_long_python",
        at_least=10,
    ),
    Goal(
        "random_string(1M) at least 50x ''.join(random.choice(...))",
        "test_random_string_gokernels",
        "test_random_string_python",
        at_least=50,
    ),
    Goal(
        "list_sum of the article's 200 ints within 1.2x of sum()",
        "test_list_sum_200_gokernels",
        "test_list_sum_200_builtin",
        at_most=1.2,
    ),
    Goal(
        "list_sum of 1M small ints faster than sum()",
        "test_list_sum_1m_gokernels",
        "test_list_sum_1m_builtin",
        at_least=1.0,
    ),
]


@pytest.mark.benchmark(group="short_long: 200,000 words")
class TestShortLong:
    def test_short_long_python(self, baseline):
        assert baseline(reference.short_long, WORDS) == SHORT_LONG

    def test_short_long_gokernels(self, benchmark):
        assert benchmark(text.short_long, WORDS) == SHORT_LONG


def _letters_only(s, n):
    return len(s) == n and set(s) <= set(string.ascii_letters)


@pytest.mark.benchmark(group="random_string: 1M ASCII letters")
class TestRandomString:
    def test_random_string_python(self, baseline):
        out = baseline.pedantic(reference.random_string, (1_000_000,), rounds=3, iterations=1)
        assert _letters_only(out, 1_000_000)

    def test_random_string_gokernels(self, benchmark):
        assert _letters_only(benchmark(text.random_string, 1_000_000), 1_000_000)


@pytest.mark.benchmark(group="list_sum: the article's 200 ints")
class TestListSumSmall:
    def test_list_sum_200_builtin(self, baseline):
        assert baseline(sum, SMALL) == sum(SMALL)

    def test_list_sum_200_gokernels(self, benchmark):
        assert benchmark(lists.list_sum, SMALL) == sum(SMALL)


@pytest.mark.benchmark(group="list_sum: 1M small ints")
class TestListSumBig:
    def test_list_sum_1m_builtin(self, baseline):
        assert baseline(sum, BIG) == sum(BIG)

    def test_list_sum_1m_gokernels(self, benchmark):
        assert benchmark(lists.list_sum, BIG) == sum(BIG)
