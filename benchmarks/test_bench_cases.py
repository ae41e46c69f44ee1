"""The text, lists, calls and lz-string fresh-input cases of gokernels._bench,
through the pytest-benchmark adapter (conftest.register_cases): the cases that carry a
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

from conftest import register_cases
from gokernels._bench import calls, lists, lzstring, text
from gokernels._bench.inputs import natural_text

QUICK = bool(os.environ.get("GOKERNELS_BENCH_SMOKE"))


def _cases():
    cases = text.cases(QUICK) + lists.cases(QUICK) + calls.cases(QUICK)
    cases += lzstring.fresh(natural_text(100_000 if QUICK else 1_000_000), QUICK)
    return [c for c in cases if c.key]


CASES = _cases()


GOALS = register_cases(globals(), CASES)
