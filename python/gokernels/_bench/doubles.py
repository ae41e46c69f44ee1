"""Benchmark cases for the count-doubles family (articles 2 and 4)."""

import random
import string

from gokernels import doubles, reference
from gokernels._bench.core import Case, Impl


def letters(n: int, seed: int = 0) -> str:
    """The articles' input: n random ASCII letters."""
    rnd = random.Random(seed)
    return "".join(rnd.choices(string.ascii_letters, k=n))


def cases(quick: bool):
    sizes = [1_000_000] if quick else [1_000_000, 10_000_000]
    out = []
    for n in sizes:
        s = letters(n)
        b = s.encode()
        impls = [
            Impl("pure Python (zip)", lambda: reference.doubles_zip(s), baseline=True, group="python"),
            Impl("pure Python (iterate once)", lambda: reference.doubles_once(s), group="python"),
            Impl("pure Python (itertools)", lambda: reference.doubles_itertools(s), group="python"),
            Impl("pure Python (comprehension)", lambda: reference.doubles_comprehension(s), group="python"),
            Impl("regex", lambda: reference.doubles_regex(s), group="python"),
        ]
        try:
            import numpy  # noqa: F401

            impls.append(Impl("numpy", lambda: reference.doubles_numpy(b), group="peer"))
        except ImportError:
            impls.append(Impl("numpy", lambda: None, group="peer", missing="numpy is not installed"))
        impls += [
            Impl("gokernels count_doubles", lambda: doubles.count_doubles(s), group="gokernels"),
            Impl("gokernels count_doubles_bytes", lambda: doubles.count_doubles_bytes(b), group="gokernels"),
            Impl("gokernels count_doubles_parallel", lambda: doubles.count_doubles_parallel(s), group="gokernels"),
        ]
        if quick or n > 1_000_000:  # the slow pure-Python rows only once at 10M
            impls = [i for i in impls if i.group != "python" or i.baseline or n == 1_000_000]
        expected = reference.doubles_once(s)
        out.append(Case("doubles", "count doubles: %s random ASCII letters" % format(n, ","), expected, impls, n))
    return out
