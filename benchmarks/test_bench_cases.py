"""The pytest-benchmark adapter over gokernels._bench: the cases that carry a
key (Case.key, Impl.key) are defined once there, timed by `gokernels bench`
and here, where each implementation becomes the test
test_<case key>_<impl key> in the benchmark group Case.group (default: the
title), its answer checked as `gokernels bench` checks it. Each case's goals
are judged at the end of `make bench`; a missing peer is skipped with its
reason. GOKERNELS_BENCH_SMOKE=1 (the CI smoke run) builds the quick inputs.

To time a new case in both places, give it and its implementations a key.
"""

import os

import pytest

from conftest import skip_missing
from gokernels._bench import lists, lzstring, text
from gokernels._bench.inputs import natural_text

QUICK = bool(os.environ.get("GOKERNELS_BENCH_SMOKE"))


def _cases():
    cases = text.cases(QUICK) + lists.cases(QUICK)
    cases += lzstring.fresh(natural_text(100_000 if QUICK else 1_000_000), QUICK)
    return [c for c in cases if c.key]


CASES = _cases()
GOALS = [g for case in CASES for g in case.goals]


def _right(case, impl, got):
    expected = impl.expected if impl.has_expected else case.expected
    return case.check(got, expected) if case.check else got == expected


def _make_test(case, impl):
    def run(benchmark):
        if impl.missing:
            skip_missing(impl.name, impl.missing)
        if impl.baseline:
            benchmark.extra_info["baseline"] = True
        if impl.rounds:
            got = benchmark.pedantic(impl.fn, rounds=impl.rounds, iterations=1)
        else:
            got = benchmark(impl.fn)
        assert _right(case, impl, got), "%s / %s: wrong answer %r" % (case.title, impl.name, got)

    name = "test_%s_%s" % (case.key, impl.key)
    run.__name__ = run.__qualname__ = name
    run.__doc__ = "%s: %s" % (case.title, impl.name)
    return name, pytest.mark.benchmark(group=case.group or case.title)(run)


def _register():
    names = set()
    for case in CASES:
        for impl in case.impls:
            assert impl.key, "%s / %s has no key" % (case.title, impl.name)
            name, test = _make_test(case, impl)
            assert name not in names, "two benchmarks named " + name
            names.add(name)
            globals()[name] = test


_register()
