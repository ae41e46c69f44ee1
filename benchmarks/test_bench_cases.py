"""The pytest-benchmark adapter over gokernels._bench: the cases that carry a
key (Case.key, Impl.key) are defined once there, timed by `gokernels bench`
and here, where each implementation becomes the test
test_<case key>_<impl key> in the benchmark group Case.group (default: the
title), its answer checked as `gokernels bench` checks it. Each case's goals
are judged at the end of `make bench`; a missing peer is skipped with its
reason. GOKERNELS_BENCH_SMOKE=1 (the CI smoke run) builds the quick inputs.

To time a new case in both places, give it and its implementations a key.
A case with per_call (the call-overhead table, gokernels._bench.calls) is
timed in rounds of about a millisecond of back-to-back calls, and its
implementations keyed "[id]" are the parameters of one test
test_<case key>[id].
"""

import os
import time
from functools import partial

import pytest

from conftest import skip_missing
from gokernels._bench import calls, lists, lzstring, text
from gokernels._bench.inputs import natural_text

QUICK = bool(os.environ.get("GOKERNELS_BENCH_SMOKE"))


def _cases():
    cases = text.cases(QUICK) + lists.cases(QUICK) + calls.cases(QUICK)
    cases += lzstring.fresh(natural_text(100_000 if QUICK else 1_000_000), QUICK)
    return [c for c in cases if c.key]


CASES = _cases()
GOALS = [g for case in CASES for g in case.goals]


def _right(case, impl, got):
    expected = impl.expected if impl.has_expected else case.expected
    return case.check(got, expected) if case.check else got == expected


def _per_call(benchmark, fn):
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


def _time(benchmark, case, impl):
    if impl.missing:
        skip_missing(impl.name, impl.missing)
    if impl.baseline:
        benchmark.extra_info["baseline"] = True
    if case.per_call:
        got = _per_call(benchmark, impl.fn)
    elif impl.rounds:
        got = benchmark.pedantic(impl.fn, rounds=impl.rounds, iterations=1)
    else:
        got = benchmark(impl.fn)
    assert _right(case, impl, got), "%s / %s: wrong answer %r" % (case.title, impl.name, got)


def _make_test(case, impl):
    def run(benchmark):
        _time(benchmark, case, impl)

    name = "test_%s_%s" % (case.key, impl.key)
    run.__name__ = run.__qualname__ = name
    run.__doc__ = "%s: %s" % (case.title, impl.name)
    return name, pytest.mark.benchmark(group=case.group or case.title)(run)


def _make_parametrized(case, impls):
    def run(benchmark, impl):
        _time(benchmark, case, impl)

    name = "test_%s" % case.key
    run.__name__ = run.__qualname__ = name
    run.__doc__ = "%s: one test per implementation" % case.title
    ids = [impl.key[1:-1] for impl in impls]
    run = pytest.mark.parametrize("impl", impls, ids=ids)(run)
    return name, pytest.mark.benchmark(group=case.group or case.title)(run)


def _register():
    names = set()

    def add(name, test):
        assert name not in names, "two benchmarks named " + name
        names.add(name)
        globals()[name] = test

    for case in CASES:
        params = [impl for impl in case.impls if impl.key.startswith("[")]
        for impl in case.impls:
            assert impl.key, "%s / %s has no key" % (case.title, impl.name)
            if not impl.key.startswith("["):
                add(*_make_test(case, impl))
        if params:
            add(*_make_parametrized(case, params))


_register()
