"""Reliability: fork, threads and the GIL, signals, faulthandler.

Anything that could hang (fork, pools, signals, crashes) runs in a
subprocess with a timeout, so a hang fails its test instead of freezing
pytest. tests/test_runtime.py already checks that importing starts no Go
thread and the basic fork cases; these tests extend them to every kernel.
"""

import os
import queue
import subprocess
import sys
import tempfile
import textwrap
import threading
import time

import pytest

import gokernels
import gokernels.lzstring as lz
from gokernels import CVMCounter

FORK_MESSAGE_WORDS = ("spawn", "forkserver")


def run_python(code, timeout=60, args=(), flags=()):
    """Runs code in a fresh interpreter from a neutral directory; a hang fails the test."""
    with tempfile.TemporaryDirectory() as cwd:
        path = os.path.join(cwd, "script.py")
        with open(path, "w") as f:
            f.write(textwrap.dedent(code))
        try:
            return subprocess.run(
                [sys.executable, *flags, path, *args], cwd=cwd, capture_output=True, text=True, timeout=timeout
            )
        except subprocess.TimeoutExpired as e:
            pytest.fail(
                "the subprocess hung (no exit within %ss); output so far: %r %r" % (timeout, e.stdout, e.stderr)
            )


def check_ok(r):
    assert r.returncode == 0, "exit %s\nstdout:\n%s\nstderr:\n%s" % (r.returncode, r.stdout, r.stderr[-4000:])
    return r.stdout


# Code shared by the fork scripts: every public kernel, on inputs large enough
# to release the GIL and to make Go allocate, each returning something
# comparable (a digest of big results).
KERNELS = r"""
import hashlib, gokernels as g, gokernels.lzstring as lz

BIG = "ab" * 1_500_000 + "cc"                       # 3M chars: above every GIL threshold
WIDE = "\u20ac\U0001f600" * 200_000 + "\U0001f600"  # kind 4
TEXT = "the quick brown fox jumps over a lazy dog extraordinarily " * 20_000
ITEMS = [str(i % 5000) for i in range(300_000)]

def digest(x):
    if isinstance(x, (str, bytes, list)):
        return hashlib.sha256(repr(x).encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return x

def packed_forms():
    s = TEXT[:200_000]
    return {
        "raw": lz.compress(s), "utf16": lz.compress_to_utf16(s), "base64": lz.compress_to_base64(s),
        "uri": lz.compress_to_encoded_uri_component(s), "bytes": lz.compress_to_uint8array(s),
    }

def kernel_calls(packed):
    def counter():
        c = g.CVMCounter(seed=3)
        c.update(ITEMS)
        c.add("x")
        return c.estimate()
    return {
        "count_doubles": lambda: g.count_doubles(BIG),
        "count_doubles(wide)": lambda: g.count_doubles(WIDE),
        "count_doubles_bytes": lambda: g.count_doubles_bytes(BIG.encode()),
        "count_doubles_bytes(str)": lambda: g.count_doubles_bytes(WIDE),
        "count_doubles_parallel": lambda: g.count_doubles_parallel(BIG, workers=2),
        "short_long": lambda: g.short_long(TEXT),
        "random_string": lambda: digest(g.random_string(2_000_000, seed=5)),
        "random_string(wide)": lambda: digest(g.random_string(300_000, "\u20ac\U0001f600", seed=5)),
        "count_approx": lambda: g.count_approx(ITEMS, seed=1),
        "CVMCounter": counter,
        "compress": lambda: digest(lz.compress(TEXT)),
        "compress_to_utf16": lambda: digest(lz.compress_to_utf16(WIDE)),
        "compress_to_base64": lambda: digest(lz.compress_to_base64(BIG)),
        "compress_to_encoded_uri_component": lambda: digest(lz.compress_to_encoded_uri_component(TEXT)),
        "compress_to_uint8array": lambda: digest(lz.compress_to_uint8array(TEXT)),
        "decompress": lambda: digest(lz.decompress(packed["raw"])),
        "decompress_from_utf16": lambda: digest(lz.decompress_from_utf16(packed["utf16"])),
        "decompress_from_base64": lambda: digest(lz.decompress_from_base64(packed["base64"])),
        "decompress_from_encoded_uri_component": lambda: digest(
            lz.decompress_from_encoded_uri_component(packed["uri"])),
        "decompress_from_uint8array": lambda: digest(lz.decompress_from_uint8array(bytearray(packed["bytes"]))),
        "compress_many": lambda: digest(lz.compress_many([TEXT[:50_000]] * 8, "uri", workers=2)),
        "decompress_many": lambda: digest(lz.decompress_many([packed["base64"]] * 4, workers=2)),
        "list_sum": lambda: g.list_sum(list(range(-5, 1_000_000)) + [2**70]),
    }

C_ONLY = {"list_sum"}  # no Go inside: works in any process

def wait_child(pid, timeout):
    # The child's exit code, or "hang" (after killing it).
    import os, time
    deadline = time.monotonic() + timeout
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        if time.monotonic() > deadline:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
            return "hang"
        time.sleep(0.005)
"""


# ---------------------------------------------------------------- fork


def test_fork_before_first_use_every_kernel_works():
    """A child forked before the first call runs every kernel (its own Go
    runtime) with the parent's answers; a grandchild forked after the
    child's first use gets the RuntimeError, not a hang."""
    out = check_ok(
        run_python(
            KERNELS
            + r"""
import json, os, warnings
warnings.simplefilter("ignore", DeprecationWarning)  # 3.12+: fork with threads
assert not g._native._go_loaded()
r, w = os.pipe()
pid = os.fork()
if pid == 0:
    calls = kernel_calls(packed_forms())
    got = {name: f() for name, f in calls.items()}
    gpid = os.fork()  # the child's runtime is running now
    if gpid == 0:
        try:
            g.count_doubles("aa")
            os._exit(3)
        except RuntimeError as e:
            os._exit(0 if "spawn" in str(e) else 4)
    got["grandchild"] = wait_child(gpid, 30)
    os.write(w, json.dumps(got).encode())
    os._exit(0)
os.close(w)
code = wait_child(pid, 60)
assert code == 0, code
child = json.loads(os.read(r, 1 << 20).decode())
assert child.pop("grandchild") == 0
want = {name: f() for name, f in kernel_calls(packed_forms()).items()}
assert child == want, [k for k in want if child.get(k) != want[k]]
print(len(want))
"""
        )
    )
    assert int(out) >= 20


def test_fork_after_first_use_every_kernel_raises_never_hangs():
    """After the runtime started, a child gets RuntimeError (naming spawn and
    forkserver) from every Go kernel, however much it allocates; a CVMCounter
    made in the parent can be used (RuntimeError) and freed in the child; the
    child's normal interpreter exit does not call into Go; list_sum (C only)
    still works; the parent is unaffected."""
    out = check_ok(
        run_python(
            KERNELS
            + r"""
import gc, json, os, sys, warnings
warnings.simplefilter("ignore", DeprecationWarning)
packed = packed_forms()
calls = kernel_calls(packed)
want = {name: f() for name, f in calls.items()}
c = g.CVMCounter(seed=1)
c.update(range(100))
kept = g.CVMCounter(seed=2)  # never touched in the child: freed at its exit
kept.add(1)
r, w = os.pipe()
pid = os.fork()
if pid == 0:
    res = {}
    junk = []
    for rnd in range(2):
        for name, f in calls.items():
            junk.append(bytearray(4 << 20))  # heavy allocation between calls
            try:
                res[name] = ["ok", f() == want[name]]
            except RuntimeError as e:
                res[name] = ["RuntimeError", all(w in str(e) for w in ("spawn", "forkserver"))]
        junk = [list(range(100_000)) for _ in range(20)]
        gc.collect()
    for name, f in [("add", lambda: c.add(5)), ("update", lambda: c.update([1, 2])),
                    ("estimate", c.estimate), ("repr", lambda: repr(c)), ("new", g.CVMCounter)]:
        try:
            f()
            res["counter." + name] = ["ok", None]
        except RuntimeError as e:
            res["counter." + name] = ["RuntimeError", "spawn" in str(e)]
    res["counter.attrs"] = ["ok", (c.threshold, c.epsilon, c.delta) == (2544, 0.5, 0.001)]
    del c
    gc.collect()
    os.write(w, json.dumps(res).encode())
    sys.exit(0)  # a normal exit: finalizers run, `kept` is freed
os.close(w)
code = wait_child(pid, 60)
res = json.loads(os.read(r, 1 << 20).decode())
assert code == 0, code
works = C_ONLY | {"counter.attrs"}
bad = {k: v for k, v in res.items() if v != (["ok", True] if k in works else ["RuntimeError", True])}
assert not bad, bad
assert c.estimate() == 100 and kept.estimate() == 1  # the parent is unaffected
assert {name: f() for name, f in calls.items()} == want
print(len(res))
""",
            timeout=120,
        )
    )
    assert int(out) >= 25


def test_fork_while_go_is_busy_never_hangs():
    """Forks while other threads are inside Go (goroutines running, Go
    allocating and collecting): every child, including one forked from a
    non-main thread, gets the RuntimeError and exits promptly."""
    check_ok(
        run_python(
            KERNELS
            + r"""
import os, threading, time, warnings
warnings.simplefilter("ignore", DeprecationWarning)
stop = False
def busy(f):
    while not stop:
        f()
texts = [TEXT[i * 1000:(i + 1) * 1000 + 30_000] for i in range(64)]
workers = [
    threading.Thread(target=busy, args=(lambda: lz.compress_many(texts, workers=2),)),
    threading.Thread(target=busy, args=(lambda: g.count_approx(ITEMS, 0.1),)),
    threading.Thread(target=busy, args=(lambda: g.count_doubles_parallel(BIG, 2),)),
]
for t in workers:
    t.start()
time.sleep(0.2)

def child():
    try:
        g.count_doubles("aa")
        os._exit(3)
    except RuntimeError as e:
        if "spawn" not in str(e):
            os._exit(4)
    assert g.list_sum([1, 2, 3]) == 6
    x = [bytes(1 << 20) for _ in range(50)]
    os._exit(0)

codes = []
def fork_from_thread():
    pid = os.fork()
    if pid == 0:
        child()
    codes.append(wait_child(pid, 30))
for i in range(6):
    if i == 3:
        t = threading.Thread(target=fork_from_thread)
        t.start()
        t.join()
        continue
    pid = os.fork()
    if pid == 0:
        child()
    codes.append(wait_child(pid, 30))
    time.sleep(0.03)
stop = True
for t in workers:
    t.join()
assert codes == [0] * 6, codes
""",
            timeout=120,
        )
    )


POOL_SCRIPT = r"""
import multiprocessing as mp, sys
import gokernels as g, gokernels.lzstring as lz

def main(method):
    inputs = ["aab" * i + "c" * (i % 7) for i in range(300)] + ["xy" * 200_000]
    if method == "fork-before-first-use":
        # Workers forked before the parent's first call do their own first use.
        assert not g._native._go_loaded()
        early = mp.get_context("fork").Pool(2)
        got = early.map_async(g.count_doubles, inputs).get(timeout=60)
        assert got == [g.count_doubles(s) for s in inputs]
        # ...and keep working after the parent started its runtime.
        packed = early.map_async(lz.compress_to_base64, inputs).get(timeout=60)
        assert packed == [lz.compress_to_base64(s) for s in inputs]
        early.terminate()
        early.join()
        print("ok")
        return
    want = [g.count_doubles(s) for s in inputs]  # the parent's Go runtime is running
    if method == "fork":
        import warnings
        warnings.simplefilter("ignore", DeprecationWarning)
        with mp.get_context("fork").Pool(2) as pool:
            try:
                pool.map_async(g.count_doubles, inputs).get(timeout=60)
            except RuntimeError as e:
                assert "spawn" in str(e) and "forkserver" in str(e), e
                print("RuntimeError")
            else:
                print("no error")
        return
    ctx = mp.get_context(method)
    if method == "forkserver":
        ctx.set_forkserver_preload(["gokernels"])  # importing starts no Go thread
    with ctx.Pool(2) as pool:
        assert pool.map_async(g.count_doubles, inputs).get(timeout=60) == want
        packed = pool.map_async(lz.compress_to_base64, inputs).get(timeout=60)
        assert packed == [lz.compress_to_base64(s) for s in inputs]
        assert pool.map_async(lz.decompress_from_base64, packed).get(timeout=60) == inputs
        assert pool.apply_async(g.count_approx, (list(range(1000)),)).get(timeout=60) == 1000
        assert pool.apply_async(g.short_long, ("extraordinary a b",)).get(timeout=60) == 0.5
    print("ok")

if __name__ == "__main__":
    main(sys.argv[1])
"""


@pytest.mark.parametrize("method", ["spawn", "forkserver", "fork-before-first-use"])
def test_pool_works(method):
    assert check_ok(run_python(POOL_SCRIPT, args=[method], timeout=120)).strip() == "ok"


def test_fork_pool_after_first_use_raises_in_workers():
    assert check_ok(run_python(POOL_SCRIPT, args=["fork"], timeout=120)).strip() == "RuntimeError"


# ---------------------------------------------------------------- threads


def test_first_use_from_many_threads_at_once():
    """Eight threads make their first call at the same instant: the library
    loads once and every answer is right."""
    out = check_ok(
        run_python(
            KERNELS
            + r"""
import threading
assert not g._native._go_loaded()
everything = kernel_calls({})
calls = [(n, everything[n]) for n in ("count_doubles", "count_doubles_bytes(str)", "count_doubles_parallel",
         "short_long", "random_string(wide)", "count_approx", "CVMCounter", "compress", "compress_many",
         "compress_to_uint8array")]
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
    }


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


GIL_CASES = _gil_cases()
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


@no_gil
def test_list_sum_holds_the_gil():
    """list_sum reads Python objects, so it must hold the GIL (the control of the test above)."""
    items = list(range(1_000_000))
    with _Spinner() as spin:
        seen, done = spin.advances(lambda: gokernels.list_sum(items), calls=10, seconds=3.0, enough=1)
    assert seen == 0 and done > 0


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


def test_bytearray_resized_during_count_doubles_bytes():
    n = 4_000_000
    wrong, errors, calls = _resize_race(
        gokernels.count_doubles_bytes,
        lambda: bytearray(b"aab" * n),
        {n},  # "aab" * n + "zy" has the same count
    )
    assert not wrong, wrong[:5]
    assert errors > 0, "no resize was ever refused during %d calls" % calls


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


# ---------------------------------------------------------------- signals

SIGINT_SCRIPT = r"""
import itertools, os, signal, sys, threading, time
import gokernels as g, gokernels.lzstring as lz
try:
    import numpy as np
    big_array = np.arange(20_000_000)
except ImportError:
    import array
    big_array = array.array("q", range(20_000_000))

rnd_letters = g.random_string(4_000_000, seed=1)
bomb = lz.compress("a" * 20_000_000)
CASES = {
    # one long Go call each: Ctrl-C is seen when it returns
    "compress(4M random letters)": lambda: lz.compress(rnd_letters),
    "compress_to_base64(4M random letters)": lambda: lz.compress_to_base64(rnd_letters),
    "decompress(bomb, 20M units)": lambda: lz.decompress(bomb, max_length=None),
    "random_string(10**8)": lambda: g.random_string(10**8, seed=2),
    "count_approx(int64 array 2e7)": lambda: g.count_approx(big_array, seed=1),
    "compress_many(400 x 10k)": (lambda items: lambda: lz.compress_many(items))(
        [rnd_letters[i * 10_000:(i + 1) * 10_000] for i in range(400)]),
    # Python items: the signal is checked between chunks of 16384 items
    "count_approx(iterator of 10**9)": lambda: g.count_approx(itertools.repeat(7, 10**9)),
    "CVMCounter.update(iterator of 10**9)": lambda: g.CVMCounter().update(itertools.repeat("x", 10**9)),
}
only = sys.argv[1:]
# The signal comes from a thread of this process (as a terminal's would, to any thread), which then
# reads how many calls had started: no clock is involved in what the test asserts.
state = {}


def send_sigint(delay):
    time.sleep(delay)  # land inside a call, mostly the first
    os.kill(os.getpid(), signal.SIGINT)
    state["started at signal"] = state["started"]


for i, (name, f) in enumerate(CASES.items()):
    if only and name not in only:
        continue
    state.update({"started": 0, "returned": 0})
    sender = threading.Thread(target=send_sigint, args=(0.15 + 0.1 * (i % 3),))
    sender.start()
    try:
        while True:
            state["started"] += 1
            f()
            state["returned"] += 1
    except KeyboardInterrupt:
        sender.join()
        print("interrupted", state["started at signal"], state["started"], state["returned"], name, flush=True)
print("done", flush=True)
"""


def _interrupt_each(cases_timeout=300):
    """Ctrl-C during each case; returns {name: (calls started when the signal was sent, calls started
    when KeyboardInterrupt came, calls returned by then)}. cases_timeout only guards against a hang."""
    with tempfile.TemporaryDirectory() as cwd:
        path = os.path.join(cwd, "sigint.py")
        with open(path, "w") as f:
            f.write(SIGINT_SCRIPT)
        p = subprocess.Popen([sys.executable, path], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        lines = queue.Queue()
        threading.Thread(target=lambda: [lines.put(x) for x in p.stdout], daemon=True).start()
        results = {}
        try:
            while True:
                line = lines.get(timeout=cases_timeout)
                if line.startswith("done"):
                    break
                assert line.startswith("interrupted"), line
                _, at_signal, started, returned, name = line.rstrip("\n").split(" ", 4)
                results[name] = (int(at_signal), int(started), int(returned))
            assert p.wait(30) == 0, p.stderr.read()
        except queue.Empty:
            pytest.fail("no KeyboardInterrupt within %ss: %s" % (cases_timeout, p.stderr.read() if p.poll() else ""))
        finally:
            if p.poll() is None:
                p.kill()
                p.wait()
    return results


def test_ctrl_c_raises_keyboardinterrupt_within_a_call():
    results = _interrupt_each()
    assert len(results) == 8, results
    late = {}
    for name, (at_signal, started, returned) in results.items():
        assert at_signal >= 1 and started >= 1, (name, results[name])
        if "10**9" in name:
            # chunked: the first call (10**9 items: minutes) is interrupted inside, between chunks
            ok = started == 1 and returned == 0
        else:
            # one Go call: the call in progress finishes, then KeyboardInterrupt, before another call
            # (+1: the signal may land after the loop counted a call that it had not begun)
            ok = started <= at_signal + 1 and returned >= started - 1
        if not ok:
            late[name] = (at_signal, started, returned)
    assert not late, late
    print("\nCtrl-C: calls started at the signal, started and returned at KeyboardInterrupt:", results)


def test_sigpipe_after_first_use_is_brokenpipeerror():
    """The Go runtime installs a SIGPIPE handler; Python's SIG_IGN must still
    win for writes by Python, so a closed pipe is a BrokenPipeError."""
    check_ok(
        run_python(r"""
import os, gokernels
gokernels.count_doubles_parallel("aa" * 300_000, 2)
r, w = os.pipe()
os.close(r)
try:
    os.write(w, b"x")
except BrokenPipeError:
    print("ok")
assert gokernels.count_doubles("aaa") == 2
""")
    )


FAULTHANDLER_CALLS = (
    KERNELS
    + r"""
import faulthandler, sys, threading
def run_all():
    calls = kernel_calls(packed_forms())
    first = {n: f() for n, f in calls.items()}
    threads = [threading.Thread(target=lambda: [f() for f in calls.values()]) for _ in range(3)]
    for t in threads: t.start()
    for t in threads: t.join()
    assert {n: f() for n, f in calls.items()} == first
    return len(first)
"""
)


def test_x_faulthandler_every_kernel():
    out = check_ok(
        run_python(
            FAULTHANDLER_CALLS + "assert faulthandler.is_enabled()\nprint(run_all())\n", flags=["-X", "faulthandler"]
        )
    )
    assert int(out) >= 20


def test_faulthandler_enable_after_first_use_calls_still_work():
    out = check_ok(
        run_python(
            FAULTHANDLER_CALLS
            + "g.count_doubles('aa')\nfaulthandler.enable()\nprint(run_all())\n"
            + "faulthandler.disable(); faulthandler.enable(all_threads=False); print(run_all())\n"
        )
    )
    assert out.split() == [out.split()[0]] * 2


CRASH_SCRIPT = r"""
import ctypes, faulthandler, os, resource, sys
resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # no core file
import gokernels as g
g.count_doubles("aa")
if sys.argv[1] == "enable-after":
    faulthandler.enable()
lib = ctypes.CDLL(os.path.join(os.path.dirname(g.__file__), "libgokernels-go.so"))
f = lib.GkCountRunes
f.restype, f.argtypes = ctypes.c_int64, [ctypes.c_int, ctypes.c_void_p, ctypes.c_int64]
print("calling", flush=True)
f(1, 16, 1 << 20)  # reads address 16: a fault inside Go
print("survived", flush=True)
"""


@pytest.mark.parametrize("mode", ["plain", "-X faulthandler", "enable-after"])
def test_fault_inside_go_kills_the_process_not_hangs(mode):
    """A fault inside Go (forced here through ctypes with a bad pointer) ends
    the process with a Go trace; with faulthandler enabled after the first
    call, Python's traceback comes first, then a garbled Go trace."""
    flags = ["-X", "faulthandler"] if mode.startswith("-X") else []
    r = run_python(CRASH_SCRIPT, args=[mode], flags=flags, timeout=60)
    assert r.returncode != 0 and "survived" not in r.stdout
    assert "calling" in r.stdout
    assert "SIGSEGV" in r.stderr
    if mode == "enable-after":
        assert "Fatal Python error: Segmentation fault" in r.stderr
    else:
        assert "goroutine" in r.stderr and "kernels/doubles" in r.stderr  # Go's own trace
