"""Benchmark cases for list_sum (article 1's lost race) against the builtin
sum(): the article's 200 ints, 1M small ints, and 1M ints on fresh lists (a
different list each call, more memory than the caches hold)."""

import random
from functools import partial

from gokernels import lists
from gokernels._bench.core import Case, Goal, Impl
from gokernels._bench.inputs import FRESH_BYTES, on_fresh


def cases(quick: bool):
    small = random.Random(0).sample(range(1, 50000), 200)
    big = list(range(1_000_000))
    out = []
    for title, group, key, items, goal in (
        (
            "list_sum: the article's 200 ints",
            "list_sum: the article's 200 ints",
            "list_sum_200",
            small,
            Goal("list_sum of the article's 200 ints within 1.2x of sum()", "", "", at_most=1.2),
        ),
        (
            "list_sum: 1,000,000 small ints",
            "list_sum: 1M small ints",
            "list_sum_1m",
            big,
            Goal("list_sum of 1M small ints faster than sum()", "", "", at_least=1.0),
        ),
    ):
        goal.subject, goal.baseline = "test_%s_gokernels" % key, "test_%s_builtin" % key
        out.append(
            Case(
                "lists",
                title,
                sum(items),
                [
                    Impl("builtin sum()", partial(sum, items), baseline=True, group="python", key="builtin"),
                    Impl("gokernels list_sum", partial(lists.list_sum, items), group="gokernels", key="gokernels"),
                ],
                len(items),
                versus="sum()",
                key=key,
                group=group,
                goals=[goal],
            )
        )
    out.append(fresh(quick))
    return out


def fresh(quick: bool):
    """1M ints (100k with quick) from a pool of distinct lists: each list
    and its int objects take about 36 bytes per item."""
    n = 100_000 if quick else 1_000_000
    count = max(3, FRESH_BYTES // (36 * n))
    pool = []
    for i in range(count):
        items = list(range(i * n + 1000, (i + 1) * n + 1000))  # past the small-int cache: every int its own object
        pool.append((items, sum(items)))
    return Case(
        "lists",
        "list_sum: %s ints, warm and fresh (a new list each call, %d in turn)" % (format(n, ","), count),
        True,
        [
            Impl("builtin sum(), warm", on_fresh(sum, pool[:1]), baseline=True, group="python", key="builtin_warm"),
            Impl("builtin sum(), fresh", on_fresh(sum, pool), group="python", key="builtin_fresh"),
            Impl("gokernels list_sum, warm", on_fresh(lists.list_sum, pool[:1]), group="gokernels", key="warm"),
            Impl("gokernels list_sum, fresh", on_fresh(lists.list_sum, pool), group="gokernels", key="fresh"),
        ],
        n,
        versus="sum() warm",
        key="list_sum_fresh",
    )
