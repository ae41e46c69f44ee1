"""Benchmark cases for the count-doubles family (articles 2 and 4)."""

import random
import string
from functools import partial

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
        impls = [Impl("pure Python (zip)", partial(reference.doubles_zip, s), baseline=True, group="python")]
        if n == 1_000_000:  # the other pure-Python versions only on the smaller input
            impls += [
                Impl("pure Python (iterate once)", partial(reference.doubles_once, s), group="python"),
                Impl("pure Python (itertools)", partial(reference.doubles_itertools, s), group="python"),
                Impl("pure Python (comprehension)", partial(reference.doubles_comprehension, s), group="python"),
                Impl("regex", partial(reference.doubles_regex, s), group="python"),
            ]
        try:
            import numpy  # noqa: F401

            impls.append(Impl("numpy", partial(reference.doubles_numpy, b), group="peer"))
        except ImportError:
            impls.append(Impl("numpy", int, group="peer", missing="numpy is not installed"))
        impls += [
            Impl("gokernels count_doubles", partial(doubles.count_doubles, s), group="gokernels"),
            Impl("gokernels count_doubles_bytes", partial(doubles.count_doubles_bytes, b), group="gokernels"),
            Impl("gokernels count_doubles_parallel", partial(doubles.count_doubles_parallel, s), group="gokernels"),
        ]
        expected = reference.doubles_once(s)
        out.append(Case("doubles", "count doubles: %s random ASCII letters" % format(n, ","), expected, impls, n))
    return out
