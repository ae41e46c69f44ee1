"""Thread scaling cases (benchmarks/test_bench_threads.py): two Python threads,
each calling a kernel on its own 1M-char str, against one thread making both
calls in turn. The threads are started once (by the first timed call's
prepare()) and released together for every call, and each call makes
REPS[kernel] calls per string, so releasing and joining the threads is a
small part of it."""

import sysconfig
import threading
from functools import partial
from typing import Any, List, Optional

from gokernels import count_doubles, lzstring
from gokernels._bench.core import Case, Goal, Impl
from gokernels._bench.inputs import natural_text
from gokernels.reference import doubles_zip

FREE_THREADED = bool(sysconfig.get_config_var("Py_GIL_DISABLED"))
N = 1_000_000
REPS = {"compress_to_base64": 1, "count_doubles": 200}  # count_doubles: about 30 us per call


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


class LazyPair:
    """A Pair started by the first call that needs it; close() ends it."""

    def __init__(self) -> None:
        self.pair: Optional[Pair] = None

    def get(self) -> Pair:
        if self.pair is None:
            self.pair = Pair()
        return self.pair

    def close(self) -> None:
        if self.pair is not None:
            self.pair.close()
            self.pair = None


def _repeat(fn, s, reps):
    r = None
    for _ in range(reps):
        r = fn(s)
    return r


def _one_thread(fn, texts, reps):
    return [_repeat(fn, s, reps) for s in texts]


def _two_threads(lazy, fn, texts, reps):
    return lazy.get().run([partial(_repeat, fn, s, reps) for s in texts])


def _threaded(lazy: LazyPair, fn, texts, reps):
    run = partial(_two_threads, lazy, fn, texts, reps)

    def prepare() -> None:
        # One untimed round first: a thread that returns from Go keeps its
        # Go scheduler slot (P) until Go's monitor takes it back, up to
        # 10 ms later, so the first rounds after the one-thread case (whose
        # thread still holds one) wait for slots; later rounds do not.
        run()

    def call() -> Any:
        return run()

    call.prepare = prepare  # type: ignore[attr-defined]
    return call


def bench_cases(lazy: LazyPair) -> List[Case]:
    """test_compress_one_thread / _two_threads and test_doubles_one_thread /
    _two_threads; the goals hold on a free-threaded build only (with the GIL,
    count_doubles cannot overlap, and compress_to_base64 overlaps anyway)."""
    texts = [natural_text(N, seed=s) for s in (1, 2)]
    packed = [lzstring.compress_to_base64(t) for t in texts]  # made once, by one thread
    assert [lzstring.decompress_from_base64(p) for p in packed] == texts
    counts = [doubles_zip(t) for t in texts]
    out = []
    for key, fn, expected, rounds, what, group in (
        (
            "compress",
            lzstring.compress_to_base64,
            packed,
            11,  # a round is one call per thread, 30-60 ms: enough rounds for a steady median
            "compress_to_base64",
            "threads: compress_to_base64 on 2 strings of 1M chars",
        ),
        (
            "doubles",
            count_doubles,
            counts,
            21,
            "count_doubles",
            "threads: count_doubles on 2 strings of 1M chars (x%d)" % REPS["count_doubles"],
        ),
    ):
        reps = REPS[what]
        goals = [
            Goal(
                "free-threaded: 2 threads of %s (1M chars each) at least 1.7x one thread doing both" % what,
                "test_%s_two_threads" % key,
                "test_%s_one_thread" % key,
                at_least=1.7,
            )
        ]
        out.append(
            Case(
                "threads",
                group,
                expected,
                [
                    Impl(
                        "one thread, both strings in turn",
                        partial(_one_thread, fn, texts, reps),
                        baseline=True,
                        group="gokernels",
                        key="one_thread",
                        rounds=rounds,
                    ),
                    Impl(
                        "two threads, a string each",
                        _threaded(lazy, fn, texts, reps),
                        group="gokernels",
                        key="two_threads",
                        rounds=rounds,
                    ),
                ],
                2 * N,
                key=key,
                goals=goals if FREE_THREADED else [],
            )
        )
    return out
