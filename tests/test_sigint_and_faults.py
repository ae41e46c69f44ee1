"""Reliability under signals and faults: Ctrl-C within a call, SIGPIPE after
the first use, faulthandler on or off, and a fault inside Go, each in a
subprocess (subproc.py) so that a hang fails instead of freezing pytest.
(Go's SIGURG and a user's handler: tests/test_signals.py.)"""

import os
import queue
import subprocess
import sys
import tempfile
import threading

import pytest
from subproc import KERNELS as KERNELS_SCRIPT
from subproc import check_ok, run_python

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
    KERNELS_SCRIPT
    + r"""
import faulthandler, sys, threading
def run_all():
    calls = kernel_calls()
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
f = lib.GkCountUnits
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
