"""Reliability under threads: the first use from many threads at once,
every kernel from many threads, the GIL released during long calls (and held
by list_sum), buffers resized during a call, CVMCounter shared by threads.

The registry (tests/kernels.py) adds every kernel's small call and variants
to the thread table, and a GIL case for every kernel it marks gil="released"
that the hand-written cases below do not already time.
"""

import sys
import sysconfig
import threading
import time

import pytest
from subproc import KERNELS as KERNELS_SCRIPT
from subproc import check_ok, run_python

import gokernels
import gokernels.lzstring as lz
from gokernels import CVMCounter
from kernels import KERNELS, runnable


def test_first_use_from_many_threads_at_once():
    """Eight threads make their first call at the same instant: the library
    loads once and every answer is right."""
    out = check_ok(
        run_python(
            KERNELS_SCRIPT
            + r"""
import threading
assert not g._native._go_loaded()
counter = lambda: (lambda c: (c.update(ITEMS), c.add("x"), c.estimate())[-1])(g.CVMCounter(seed=3))
calls = [
    ("count_doubles", lambda: g.count_doubles(BIG)),
    ("count_doubles_bytes(str)", lambda: g.count_doubles_bytes(WIDE)),
    ("count_doubles_parallel", lambda: g.count_doubles_parallel(BIG, workers=2)),
    ("short_long", lambda: g.short_long(TEXT)),
    ("random_string(wide)", lambda: digest(g.random_string(300_000, "\u20ac\U0001f600", seed=5))),
    ("count_approx", lambda: g.count_approx(ITEMS, seed=1)),
    ("CVMCounter", counter),
    ("compress", lambda: digest(lz.compress(TEXT))),
    ("compress_many", lambda: digest(lz.compress_many([TEXT[:50_000]] * 8, "uri", workers=2))),
    ("compress_to_uint8array", lambda: digest(lz.compress_to_uint8array(TEXT))),
]
barrier = threading.Barrier(len(calls))
got = {}
def run(name, f):
    barrier.wait()
    got[name] = f()
threads = [threading.Thread(target=run, args=nf) for nf in calls]
for t in threads:
    t.start()
for t in threads:
    t.join()
assert got == {n: f() for n, f in calls}
print(len(got))
"""
        )
    )
    assert int(out) == 10


def _thread_table():
    rnd = __import__("random").Random(8)
    letters = "".join(rnd.choices("abcd", k=400_000))
    wide = "".join(rnd.choices("\u20ac\U0001f600ab", k=150_000))
    text = " ".join(rnd.choices(["the", "a", "extraordinary", "fox", "internationalization"], k=40_000))
    packed = lz.compress_to_base64(text[:30_000])
    raw8 = lz.compress_to_uint8array(wide[:20_000])
    items = [str(rnd.randrange(3000)) for _ in range(60_000)]
    small = ["ab", "aab", "x" * 50, "é€😀" * 3]

    def counter():
        c = CVMCounter(seed=2)
        c.update(items[:30_000])
        for x in items[30_000:30_500]:
            c.add(x)
        c.update(iter(items[30_500:]))
        return c.estimate()

    return {
        "count_doubles": lambda: gokernels.count_doubles(letters),
        "count_doubles/wide": lambda: gokernels.count_doubles(wide),
        "count_doubles/small": lambda: [gokernels.count_doubles(s) for s in small],
        "count_doubles_bytes": lambda: gokernels.count_doubles_bytes(bytearray(letters.encode())),
        "count_doubles_bytes/str": lambda: gokernels.count_doubles_bytes(wide),
        "count_doubles_parallel": lambda: gokernels.count_doubles_parallel(letters, 3),
        "short_long": lambda: gokernels.short_long(text),
        "random_string": lambda: gokernels.random_string(300_000, seed=9),
        "random_string/wide": lambda: gokernels.random_string(50_000, "é😀", seed=9),
        "list_sum": lambda: gokernels.list_sum([2**64, *range(50_000)]),
        "count_approx": lambda: gokernels.count_approx(items, seed=4),
        "CVMCounter": counter,
        "compress": lambda: lz.compress(text[:40_000]),
        "compress_to_utf16": lambda: lz.compress_to_utf16(wide[:30_000]),
        "compress_to_base64": lambda: lz.compress_to_base64(letters[:50_000]),
        "compress_to_encoded_uri_component": lambda: lz.compress_to_encoded_uri_component(small[3] * 100),
        "compress_to_uint8array": lambda: lz.compress_to_uint8array(text[:9000]),
        "decompress_from_base64": lambda: lz.decompress_from_base64(packed),
        "decompress_from_uint8array": lambda: lz.decompress_from_uint8array(raw8),
        "compress_many": lambda: lz.compress_many([text[:5000], wide[:5000], ""] * 4, "utf16", workers=2),
        "decompress_many": lambda: lz.decompress_many([packed] * 3, workers=2),
        "errors": lambda: _errors(),
        **_registry_calls(),
    }


def _registry_calls():
    """Every kernel of the registry, on its small arguments and variants."""
    calls = {}
    for k in runnable():
        for i, args in enumerate([k.small] + k.variants):
            calls["registry:%s/%d" % (k.name, i)] = lambda fn=k.fn, a=args: a(fn)
    return calls


def _errors():
    out = []
    for f in (
        lambda: lz.decompress_from_base64("!!!!"),
        lambda: gokernels.count_approx([[1]]),
        lambda: gokernels.short_long("the a"),
        lambda: gokernels.count_doubles_bytes("\ud800" * 200_000),
    ):
        try:
            f()
        except (ValueError, TypeError) as e:
            out.append(type(e).__name__)
    return out


def test_threads_every_kernel_at_once_right_answers():
    table = _thread_table()
    want = {name: f() for name, f in table.items()}
    names = sorted(table)
    failures = []

    def worker(k):
        for rnd in range(3):
            order = names[k + rnd :] + names[: k + rnd]
            for name in order:
                try:
                    got = table[name]()
                except BaseException as e:  # noqa: B036 - report everything
                    got = e
                if got != want[name]:
                    failures.append((k, name, repr(got)[:100]))

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not any(t.is_alive() for t in threads), "a thread hung"
    assert not failures, failures[:5]


class _Spinner:
    """A thread that increments a counter and yields the GIL at every step.

    With the switch interval raised to 1000 s the interpreter never forces a
    GIL hand-over, so while the calling thread holds the GIL the spinner
    cannot run at all: the counter advances across a call only if that call
    released the GIL.
    """

    def __enter__(self):
        self.count = 0
        self.stop = False
        self.old = sys.getswitchinterval()
        sys.setswitchinterval(1000.0)
        self.thread = threading.Thread(target=self._spin, daemon=True)
        self.thread.start()
        return self

    def _spin(self):
        # time.sleep(0) releases the GIL on every version (os.sched_yield
        # does not on 3.9); the deadline turns a mistake into a failure, not a hang.
        deadline = time.monotonic() + 60
        while not self.stop and time.monotonic() < deadline:
            self.count += 1
            time.sleep(0)

    def __exit__(self, *exc):
        self.stop = True
        sys.setswitchinterval(self.old)
        self.thread.join(30)

    def advances(self, call, calls=400, seconds=4.0, enough=3):
        """How many of up to `calls` calls saw the counter move during the call."""
        seen = done = 0
        deadline = time.monotonic() + seconds
        while done < calls and seen < enough and time.monotonic() < deadline:
            c0 = self.count
            call()
            seen += self.count != c0
            done += 1
        return seen, done


def _gil_cases():
    long_wide = "\U0001f600\u20ac" * 3_000_000 + "x"  # 24 MB of kind-4 storage
    ascii_big = "abcabcabcc" * 1_000_000
    text = "a fox and the extraordinary dog " * 200_000
    b64 = lz.compress_to_base64(text[:400_000])
    raw8 = lz.compress_to_uint8array(text[:400_000])
    items = list(range(200_000))
    try:
        import numpy

        arr = numpy.arange(3_000_000)
    except ImportError:
        import array

        arr = array.array("q", range(3_000_000))
    counter = CVMCounter(seed=1)
    # name -> (long call, short call of the same function that holds the GIL,
    #          or None when the function releases it for any input)
    return {
        "count_doubles": (lambda: gokernels.count_doubles(long_wide), lambda: gokernels.count_doubles("aab" * 100)),
        "count_doubles_bytes": (
            lambda: gokernels.count_doubles_bytes(long_wide),
            lambda: gokernels.count_doubles_bytes(b"aab" * 100),
        ),
        "count_doubles_parallel": (
            lambda: gokernels.count_doubles_parallel(long_wide, 1),
            lambda: gokernels.count_doubles_parallel("aab" * 100),
        ),
        "short_long": (lambda: gokernels.short_long(text), lambda: gokernels.short_long(text[:1000])),
        "random_string": (
            lambda: gokernels.random_string(4_000_000, seed=1),
            lambda: gokernels.random_string(1000, seed=1),
        ),
        "random_string/wide": (
            lambda: gokernels.random_string(1_000_000, "\u20ac\U0001f600", seed=1),
            lambda: gokernels.random_string(100, "\u20ac\U0001f600", seed=1),
        ),
        "compress": (lambda: lz.compress(ascii_big[:300_000]), lambda: lz.compress("ab" * 100)),
        "compress_to_base64": (lambda: lz.compress_to_base64(text[:300_000]), lambda: lz.compress_to_base64("ab")),
        "decompress_from_base64": (
            lambda: lz.decompress_from_base64(b64),
            lambda: lz.decompress_from_base64(lz.compress_to_base64("ab")),
        ),
        "decompress_from_uint8array": (
            lambda: lz.decompress_from_uint8array(raw8),
            lambda: lz.decompress_from_uint8array(lz.compress_to_uint8array("ab")),
        ),
        "compress_many": (lambda: lz.compress_many([text[:100_000]] * 4, workers=2), None),
        "decompress_many": (lambda: lz.decompress_many([b64] * 2), None),
        "count_approx/list": (lambda: gokernels.count_approx(items, seed=1), None),
        "count_approx/array": (lambda: gokernels.count_approx(arr, seed=1), None),
        "CVMCounter.update": (lambda: counter.update(items), None),
    }


def _registry_gil_cases(cases):
    """A case from the registry's large and small calls for every kernel it
    marks gil="released" that the cases above do not time."""
    out = {}
    for k in runnable():
        short = k.name.replace("lzstring.", "")
        if k.gil == "released" and not any(n.split("/")[0] == short for n in cases):
            out[short] = (lambda k=k: k.large_args()(k.fn), lambda k=k: k.small(k.fn))
    return out


GIL_CASES = _gil_cases()
GIL_CASES.update(_registry_gil_cases(GIL_CASES))
# Free-threaded CPython with the GIL off (PYTHON_GIL=0): the spinner runs during every call.
no_gil = pytest.mark.skipif(
    not getattr(sys, "_is_gil_enabled", lambda: True)(), reason="the GIL is disabled: nothing to hold or release"
)


@no_gil
@pytest.mark.parametrize("name", sorted(GIL_CASES))
def test_gil_released_during_long_calls(name):
    long_call, short_call = GIL_CASES[name]
    with _Spinner() as spin:
        if short_call is not None:
            # The control: a call that holds the GIL never lets the counter
            # move, so this test would fail if the long call held it too.
            seen, done = spin.advances(short_call, calls=300, seconds=2.0, enough=1)
            assert seen == 0 and done > 0, "the counter moved across a short call: the test cannot tell"
        seen, done = spin.advances(long_call)
    assert seen > 0, "the GIL was held through %d long calls of %s" % (done, name)


def test_every_kernel_the_registry_marks_has_a_gil_case():
    released = {k.name.replace("lzstring.", "") for k in KERNELS if k.gil == "released"}
    assert released - {n.split("/")[0] for n in GIL_CASES} == set()
    assert [k.name for k in KERNELS if k.gil == "held"] == ["list_sum"]  # the test below


@no_gil
def test_list_sum_holds_the_gil():
    """list_sum reads Python objects, so it must hold the GIL (the control of the test above)."""
    items = list(range(1_000_000))
    with _Spinner() as spin:
        seen, done = spin.advances(lambda: gokernels.list_sum(items), calls=10, seconds=3.0, enough=1)
    assert seen == 0 and done > 0


# CPython 3.13's free-threaded build does not make a bytearray's resize wait
# for its buffer exports (gh-129107, fixed in 3.14): there, in pure Python, a
# bytearray held by a live memoryview was resized by another thread in 35,074
# of 81,029 tries (3.13.5t). A kernel reading such a buffer then sees it
# change under it, whatever the kernel does.
BYTEARRAY_RACES = bool(sysconfig.get_config_var("Py_GIL_DISABLED")) and sys.version_info < (3, 14)
bytearray_exports_hold = pytest.mark.skipif(
    BYTEARRAY_RACES, reason="free-threaded 3.13 resizes a bytearray under a buffer export (gh-129107, fixed in 3.14)"
)


def _resize_race(call, make, expect, seconds=6.0):
    """Runs call(buf) in a loop while another thread keeps trying to resize
    buf; returns (wrong answers, BufferErrors seen by the resizer, calls)."""
    buf = make()
    stop = False
    errors = [0]

    def resizer():
        while not stop:
            try:
                buf.extend(b"zy")
            except BufferError:
                errors[0] += 1
                continue
            while True:  # always undo, so the content stays `make()` or `make() + b"zy"`
                try:
                    del buf[-2:]
                    break
                except BufferError:
                    errors[0] += 1

    t = threading.Thread(target=resizer)
    t.start()
    wrong, calls = [], 0
    deadline = time.monotonic() + seconds
    try:
        while time.monotonic() < deadline and (errors[0] < 3 or calls < 20):
            got = call(buf)
            calls += 1
            if got not in expect:
                wrong.append(got)
    finally:
        stop = True
        t.join(30)
    return wrong, errors[0], calls


@bytearray_exports_hold
def test_bytearray_resized_during_count_doubles_bytes():
    n = 4_000_000
    wrong, errors, calls = _resize_race(
        gokernels.count_doubles_bytes,
        lambda: bytearray(b"aab" * n),
        {n},  # "aab" * n + "zy" has the same count
    )
    assert not wrong, wrong[:5]
    assert errors > 0, "no resize was ever refused during %d calls" % calls


@bytearray_exports_hold
def test_bytearray_resized_during_decompress_and_count_approx():
    text = gokernels.random_string(100_000, seed=3)
    packed = lz.compress_to_uint8array(text)
    assert len(packed) > 4096  # long enough to release the GIL
    wrong, errors, calls = _resize_race(
        lz.decompress_from_uint8array,  # bytes after the end mark are ignored
        lambda: bytearray(packed),
        {text},
        seconds=3.0,
    )
    assert not wrong, [w[:50] for w in wrong[:3]]
    wrong2, errors2, _ = _resize_race(
        lambda b: gokernels.count_approx(b, seed=1),
        lambda: bytearray(bytes(range(250)) * 8_000),
        {250},  # b"zy" is 122, 121: already there
        seconds=3.0,
    )
    assert not wrong2, wrong2[:5]
    assert errors > 0 and errors2 > 0, (errors, errors2)


def test_cvmcounter_from_two_threads_works_or_refuses():
    """Two threads share one counter: each update either runs whole or raises
    the documented RuntimeError before adding anything; the estimate (exact:
    far below the buffer size) counts exactly the updates that ran."""
    c = CVMCounter(0.05, 0.001, seed=1)
    assert c.threshold > 100_000
    done, refused, other = [], [0], []

    def worker(t):
        for k in range(25):
            base = (t * 100 + k) * 1000
            items = [base + j % 400 for j in range(20_000)]  # 400 new distinct keys, past one chunk
            try:
                if k % 5 == 4:
                    c.update(iter(items))
                else:
                    c.update(items)
                done.append((t, k))
            except RuntimeError as e:
                if "in use by another thread" not in str(e):
                    other.append(e)
                refused[0] += 1
            for f in (c.estimate, lambda: repr(c)):
                try:
                    f()
                except RuntimeError as e:
                    if "in use by another thread" not in str(e):
                        other.append(e)

    threads = [threading.Thread(target=worker, args=(t,)) for t in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not other, other[:3]
    assert done
    assert c.estimate() == 400 * len(done), (len(done), refused[0])


def test_cvmcounter_reentry_from_hash_is_refused():
    c = CVMCounter(seed=1)

    class Sneaky:
        def __hash__(self):
            c.add(12345)  # a method of the same counter, while update() runs
            return 1

    with pytest.raises(RuntimeError, match="in use"):
        c.update([1, 2, Sneaky(), 3])
    c.update([4])
    assert c.estimate() == 3  # 1, 2 and 4: the update stopped at Sneaky
