"""The cost of one call (the binding overhead): every public function on a
tiny input, against the builtin len() as the baseline of a C call that does
no work. Article 1 lost its list_sum race to exactly this cost."""

from functools import partial

import gokernels
from gokernels import lzstring as lz
from gokernels._bench import peers
from gokernels._bench.core import Case, Goal, Impl

GROUP = "calls: one call on a tiny input (baseline: len('ab'))"

# pytest-benchmark (benchmarks/test_bench_cases.py): test_call_len, test_call_overhead (count_doubles('ab')),
# test_call[<row>] for every other row, test_call_pyo3_noop, test_call_rust_count_doubles_bytes
GOALS = [
    Goal("one call on a 2-character str at most 150 ns", "test_call_overhead", ns=150),
    Goal(
        "count_doubles('ab') at most 2x the time of a PyO3 function doing nothing",
        "test_call_overhead",
        "test_call_pyo3_noop",
        at_most=2.0,
    ),
    Goal(
        "count_doubles('ab') at most 5x the time of len('ab')",
        "test_call_overhead",
        "test_call_len",
        at_most=5.0,
    ),
]


def calls():
    """(name, zero-argument function, expected answer) for each public
    function on a tiny input; timed by benchmarks/test_bench_cases.py too.
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
            key="len",
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
            key="pyo3_noop",
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
            key="rust_count_doubles_bytes",
        )
    )
    for i, (name, fn, expected) in enumerate(calls()):
        # the first row (count_doubles('ab')) is the goals' test_call_overhead, the others test_call[<row>]
        key = "overhead" if i == 0 else "[%s]" % name
        impls.append(Impl(name, fn, group="gokernels", expected=expected, has_expected=True, key=key))
    title = "one call on a tiny input (the binding overhead)"
    case = Case("calls", title, None, impls, 2, check=_check, versus="len()")
    case.key, case.group, case.goals, case.per_call = "call", GROUP, GOALS, True
    return [case]


def _check(got, expected):
    if expected is None:  # CVMCounter() returns a counter, add/update return None
        return got is None or isinstance(got, gokernels.CVMCounter)
    return got == expected
