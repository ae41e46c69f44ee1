"""Thread scaling: two Python threads, each calling a kernel on its own 1M-char
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

import sysconfig
import threading

import pytest

from conftest import Goal
from gokernels import count_doubles, lzstring
from gokernels._bench.inputs import natural_text
from gokernels.reference import doubles_zip

FREE_THREADED = bool(sysconfig.get_config_var("Py_GIL_DISABLED"))
N = 1_000_000
TEXTS = [natural_text(N, seed=s) for s in (1, 2)]
PACKED = [lzstring.compress_to_base64(t) for t in TEXTS]  # made once, by one thread
DOUBLES = [doubles_zip(t) for t in TEXTS]
REPS = {"compress_to_base64": 1, "count_doubles": 200}  # count_doubles: about 30 us per call
COMPRESS_GROUP = "threads: compress_to_base64 on 2 strings of 1M chars"
DOUBLES_GROUP = "threads: count_doubles on 2 strings of 1M chars (x%d)" % REPS["count_doubles"]

# The goals hold on a free-threaded build only: with the GIL, count_doubles
# cannot overlap (and compress_to_base64 overlaps anyway).
GOALS = (
    [
        Goal(
            "free-threaded: 2 threads of compress_to_base64 (1M chars each) at least 1.7x one thread doing both",
            "test_compress_two_threads",
            "test_compress_one_thread",
            at_least=1.7,
        ),
        Goal(
            "free-threaded: 2 threads of count_doubles (1M chars each) at least 1.7x one thread doing both",
            "test_doubles_two_threads",
            "test_doubles_one_thread",
            at_least=1.7,
        ),
    ]
    if FREE_THREADED
    else []
)


class Pair:
    """Two worker threads that each run one job whenever run() releases them."""

    def __init__(self):
        self.go = threading.Barrier(3)
        self.done = threading.Barrier(3)
        self.jobs = None
        self.results = [None, None]
        self.errors = []
        self.threads = [threading.Thread(target=self._work, args=(i,), daemon=True) for i in (0, 1)]
        for t in self.threads:
            t.start()

    def _work(self, i):
        while True:
            self.go.wait()
            if self.jobs is None:
                return
            try:
                self.results[i] = self.jobs[i]()
            except BaseException as e:  # noqa: B036 - re-raised by run()
                self.errors.append(e)
            self.done.wait()

    def run(self, jobs):
        self.jobs = jobs
        self.go.wait()
        self.done.wait()
        if self.errors:
            raise self.errors[0]
        return list(self.results)

    def close(self):
        self.jobs = None
        self.go.wait()
        for t in self.threads:
            t.join()


@pytest.fixture(scope="module")
def pair():
    p = Pair()
    yield p
    p.close()


def _repeat(fn, s, reps):
    r = None
    for _ in range(reps):
        r = fn(s)
    return r


def _one_thread(fn, reps):
    return [_repeat(fn, s, reps) for s in TEXTS]


def _two_threads(pair, fn, reps):
    return pair.run([lambda s=s: _repeat(fn, s, reps) for s in TEXTS])


@pytest.mark.benchmark(group=COMPRESS_GROUP)
def test_compress_one_thread(baseline):
    reps = REPS["compress_to_base64"]
    assert baseline.pedantic(_one_thread, (lzstring.compress_to_base64, reps), rounds=5) == PACKED


@pytest.mark.benchmark(group=COMPRESS_GROUP)
def test_compress_two_threads(benchmark, pair):
    reps = REPS["compress_to_base64"]
    assert benchmark.pedantic(_two_threads, (pair, lzstring.compress_to_base64, reps), rounds=5) == PACKED
    assert [lzstring.decompress_from_base64(p) for p in PACKED] == TEXTS


@pytest.mark.benchmark(group=DOUBLES_GROUP)
def test_doubles_one_thread(baseline):
    assert baseline.pedantic(_one_thread, (count_doubles, REPS["count_doubles"]), rounds=10) == DOUBLES


@pytest.mark.benchmark(group=DOUBLES_GROUP)
def test_doubles_two_threads(benchmark, pair):
    assert benchmark.pedantic(_two_threads, (pair, count_doubles, REPS["count_doubles"]), rounds=10) == DOUBLES
