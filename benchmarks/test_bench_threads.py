"""Thread scaling (the cases of gokernels._bench.threads, through the adapter in
conftest.py): two Python threads, each calling a kernel on its own 1M-char
str, against one thread making both calls in turn. On a free-threaded CPython
(the module declares Py_MOD_GIL_NOT_USED) the two threads run at once, so on 2
cores they should finish in little more than half the time; with the GIL,
compress_to_base64 still overlaps (it releases the GIL from 8K units) but
count_doubles on 1M chars does not (it keeps the GIL below 4 MiB).

The threads are started once and released together for every round (thread
start-up would otherwise be timed too), and each round makes REPS calls per
string, so releasing and joining the threads is a small part of a round.
`make bench-threads PYTHON=.venv/py3.13t/bin/python` times them.
"""

import pytest

from conftest import register_cases
from gokernels._bench.threads import LazyPair, bench_cases

PAIR = LazyPair()


@pytest.fixture(scope="module", autouse=True)
def _pair():
    """The worker threads live as long as this module's tests."""
    yield
    PAIR.close()


GOALS = register_cases(globals(), bench_cases(PAIR))
