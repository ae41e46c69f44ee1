"""Benchmark cases for short_long (the CFFI article), random_string (the
PyO3 + rayon article's input) and list_sum (article 1's lost race)."""

import random
import string
from functools import partial

from gokernels import lists, reference, text
from gokernels._bench.core import Case, Impl
from gokernels._bench.inputs import words_text


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
                    "pure Python (the article's)", partial(reference.short_long, words), baseline=True, group="python"
                ),
                Impl("gokernels short_long", partial(text.short_long, words), group="gokernels"),
            ],
            len(words),
        )
    ]
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
                ),
                Impl("gokernels random_string", partial(text.random_string, n), group="gokernels"),
            ],
            n,
            check=_random_string_ok,
        )
    )
    small = random.Random(0).sample(range(1, 50000), 200)
    big = list(range(1_000_000))
    for title, items in (("list_sum: the article's 200 ints", small), ("list_sum: 1,000,000 small ints", big)):
        out.append(
            Case(
                "lists",
                title,
                sum(items),
                [
                    Impl("builtin sum()", partial(sum, items), baseline=True, group="python"),
                    Impl("gokernels list_sum", partial(lists.list_sum, items), group="gokernels"),
                ],
                len(items),
                versus="sum()",
            )
        )
    return out
