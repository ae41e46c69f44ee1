"""Benchmark cases for the count-doubles family (articles 2 and 4): the
articles' pure-Python versions, numpy, numba, Cython, and gokernels' rune,
byte and parallel kernels, at several input sizes (1M is article 2's input,
10M article 4's)."""

import random
import string
from functools import partial

from gokernels import doubles, reference
from gokernels._bench import peers
from gokernels._bench.core import Case, Impl

PLOT = "count doubles (random ASCII letters)"


def letters(n: int, seed: int = 0) -> str:
    """The articles' input: n random ASCII letters."""
    rnd = random.Random(seed)
    return "".join(rnd.choices(string.ascii_letters, k=n))


def cases(quick: bool):
    sizes = [100_000, 1_000_000] if quick else [100_000, 1_000_000, 10_000_000]
    try:
        import numpy  # noqa: F401

        numpy_missing = None
    except ImportError:
        numpy_missing = "numpy is not installed (pip install numpy)"
    numba_fn, numba_missing = peers.numba_count_doubles()
    cython_fn, cython_missing = peers.cython_count_doubles()
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
            Impl("numpy (bytes)", partial(reference.doubles_numpy, b), group="peer", missing=numpy_missing),
            Impl(
                "numba @njit (bytes)",
                partial(numba_fn, b) if numba_fn else int,
                group="peer",
                missing=numba_missing,
            ),
            Impl(
                "Cython (bytes)",
                partial(cython_fn, b) if cython_fn else int,
                group="peer",
                missing=cython_missing,
            ),
            Impl("gokernels count_doubles", partial(doubles.count_doubles, s), group="gokernels"),
            Impl("gokernels count_doubles_bytes", partial(doubles.count_doubles_bytes, b), group="gokernels"),
            Impl("gokernels count_doubles_parallel", partial(doubles.count_doubles_parallel, s), group="gokernels"),
        ]
        expected = reference.doubles_once(s)
        out.append(
            Case("doubles", "count doubles: %s random ASCII letters" % format(n, ","), expected, impls, n, plot=PLOT)
        )
    return out
