"""The cost of one call (the binding overhead): every public function on a
tiny input, against the builtin len() as the baseline of a C call that does
no work. Article 1 lost its list_sum race to exactly this cost."""

from functools import partial

import gokernels
from gokernels import lzstring as lz
from gokernels._bench import peers
from gokernels._bench.core import Case, Impl


def calls():
    """(name, zero-argument function, expected answer) for each public
    function on a tiny input; shared with benchmarks/test_bench_calls.py.
    Each module declares its own rows (_tiny_calls, next to its __all__), so
    a new function's tiny call is written in its module, once."""
    from gokernels import cvm, doubles, lists, text

    return [row for mod in (doubles, text, lists, cvm, lz) for row in mod._tiny_calls()]


def cases(quick: bool):
    impls = [
        Impl(
            "builtin len('ab'): a C call doing nothing",
            partial(len, "ab"),
            baseline=True,
            group="python",
            expected=2,
            has_expected=True,
        )
    ]
    noop, why = peers.rust("noop")
    impls.append(
        Impl(
            "PyO3 noop('ab'): a Rust function doing nothing",
            partial(noop or int, "ab"),
            group="rust",
            missing=why,
            expected=0,
            has_expected=True,
        )
    )
    rust_bytes, why = peers.rust("count_doubles_bytes")
    impls.append(
        Impl(
            "Rust count_doubles_bytes(b'ab') (article 2)",
            partial(rust_bytes or int, b"ab"),
            group="rust",
            missing=why,
            expected=0,
            has_expected=True,
        )
    )
    for name, fn, expected in calls():
        impls.append(Impl(name, fn, group="gokernels", expected=expected, has_expected=True))
    title = "one call on a tiny input (the binding overhead)"
    return [Case("calls", title, None, impls, 2, check=_check, versus="len()")]


def _check(got, expected):
    if expected is None:  # CVMCounter() returns a counter, add/update return None
        return got is None or isinstance(got, gokernels.CVMCounter)
    return got == expected
