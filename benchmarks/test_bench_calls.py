"""The cost of one call (binding overhead): every public function on a tiny
input, against the builtin len() in the same run. Article 1's list_sum lost
to sum() on exactly this cost."""

import time
from functools import partial

import pytest

from conftest import Goal, rust
from gokernels._bench.calls import calls

CALLS = calls()
GROUP = "calls: one call on a tiny input (baseline: len('ab'))"

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


def _pedantic(benchmark, fn):
    """Times fn in rounds of about a millisecond (the first call loads Go)."""
    fn()
    target, args, kwargs = fn, (), {}
    if isinstance(fn, partial):  # call the function itself, without partial's layer
        target, args, kwargs = fn.func, fn.args, fn.keywords
    iterations = 1
    if not benchmark.disabled:
        start = time.perf_counter()
        for _ in range(200):
            fn()
        per_call = (time.perf_counter() - start) / 200
        iterations = max(1, min(10_000, int(1e-3 / max(per_call, 1e-9))))
    return benchmark.pedantic(target, args, kwargs, iterations=iterations, rounds=100, warmup_rounds=1)


def _check(got, expected):
    if expected is None:  # CVMCounter() returns a counter; add and update return None
        return got is None or type(got).__name__ == "CVMCounter"
    return got == expected


@pytest.mark.benchmark(group=GROUP)
def test_call_len(baseline):
    assert _pedantic(baseline, partial(len, "ab")) == 2


@pytest.mark.benchmark(group=GROUP)
def test_call_overhead(benchmark):
    """count_doubles('ab'): the name the goals above use."""
    name, fn, expected = CALLS[0]
    assert name == "count_doubles('ab')"
    assert _pedantic(benchmark, fn) == expected


@pytest.mark.benchmark(group=GROUP)
@pytest.mark.parametrize("name, fn, expected", CALLS[1:], ids=[c[0] for c in CALLS[1:]])
def test_call(benchmark, name, fn, expected):
    assert _check(_pedantic(benchmark, fn), expected)


@pytest.mark.benchmark(group=GROUP)
def test_call_pyo3_noop(benchmark):
    """A PyO3 function (benchmarks/rust) that takes one argument and returns 0."""
    assert _pedantic(benchmark, partial(rust("noop"), "ab")) == 0


@pytest.mark.benchmark(group=GROUP)
def test_call_rust_count_doubles_bytes(benchmark):
    """Article 2's Rust bytes-once kernel on b'ab'."""
    assert _pedantic(benchmark, partial(rust("count_doubles_bytes"), b"ab")) == 0
