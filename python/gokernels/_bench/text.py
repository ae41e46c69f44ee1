"""Benchmark cases for short_long (the CFFI article) and random_string (the
PyO3 + rayon article's input). short_long is also timed on fresh inputs: a
different 1 MB text each call, as a program reading new text sees it."""

import string
from functools import partial

from gokernels import reference, text
from gokernels._bench.core import Case, Goal, Impl
from gokernels._bench.inputs import FRESH_BYTES, on_fresh, rotations, words_text


def _random_string_ok(got, n):
    return len(got) == n and set(got) <= set(string.ascii_letters)


def cases(quick: bool):
    words = words_text(200_000)
    out = [
        Case(
            "text",
            "short_long: 200,000 words",
            reference.short_long(words),
            [
                Impl(
                    "pure Python (the article's)",
                    partial(reference.short_long, words),
                    baseline=True,
                    group="python",
                    key="python",
                ),
                Impl("gokernels short_long", partial(text.short_long, words), group="gokernels", key="gokernels"),
            ],
            len(words),
            key="short_long",
            goals=[
                Goal(
                    "short_long on 200,000 words at least 10x the article's Python",
                    "test_short_long_gokernels",
                    "test_short_long_python",
                    at_least=10,
                )
            ],
        )
    ]
    out += short_long_fresh(quick)
    n = 100_000 if quick else 1_000_000
    out.append(
        Case(
            "text",
            "random_string: %s ASCII letters" % format(n, ","),
            n,
            [
                Impl(
                    "pure Python (random.choice per character)",
                    partial(reference.random_string, n),
                    baseline=True,
                    group="python",
                    key="python",
                    rounds=3,
                ),
                Impl("gokernels random_string", partial(text.random_string, n), group="gokernels", key="gokernels"),
            ],
            n,
            check=_random_string_ok,
            key="random_string",
            group="random_string: 1M ASCII letters",
            goals=[
                Goal(
                    "random_string(1M) at least 50x ''.join(random.choice(...))",
                    "test_random_string_gokernels",
                    "test_random_string_python",
                    at_least=50,
                )
            ],
        )
    )
    return out


def short_long_fresh(quick: bool):
    """short_long on 1 MB of words (100 kB with quick), warm (the same text
    every call) and fresh (a different text each call, more of them than
    the caches hold)."""
    n = 100_000 if quick else 1_000_000
    warm = words_text(n // 6 + 1)[:n]
    pool = [(t, text.short_long(t)) for t in rotations(warm, max(2, FRESH_BYTES // n))]
    # The answers come from gokernels: check some against the article's Python.
    for t, want in pool[:2]:
        assert reference.short_long(t) == want
    title = "short_long: %s chars of words" % format(n, ",")
    return [
        Case(
            "text",
            title + ", warm and fresh (a new text each call, %d in turn)" % len(pool),
            True,
            [
                Impl(
                    "pure Python (the article's), warm",
                    on_fresh(reference.short_long, pool[:1]),
                    baseline=True,
                    group="python",
                    key="python_warm",
                ),
                Impl(
                    "pure Python (the article's), fresh",
                    on_fresh(reference.short_long, pool),
                    group="python",
                    key="python_fresh",
                ),
                Impl("gokernels short_long, warm", on_fresh(text.short_long, pool[:1]), group="gokernels", key="warm"),
                Impl("gokernels short_long, fresh", on_fresh(text.short_long, pool), group="gokernels", key="fresh"),
            ],
            n,
            versus="pure Python, warm",
            key="short_long_1mb",
        )
    ]
