"""SIGURG and the Go runtime: exactly the behaviour README "Limits" documents (issue 11).

Go uses SIGURG to preempt its goroutines (since Go 1.14). In a c-shared library it installs its own SIGURG
handler when it starts (the first gokernels call) and does not forward SIGURG to a handler installed before:
 - a Python SIGURG handler installed BEFORE the first call never runs afterwards;
 - one installed AFTER the first call replaces Go's: it runs for every SIGURG sent to the process, and
   (unless GODEBUG=asyncpreemptoff=1) also for Go's own preemption signals, at Go's whim;
 - the workaround: GODEBUG=asyncpreemptoff=1 in the environment Python starts with (Go then never sends
   SIGURG) and the handler installed after the first call: it then runs exactly once per SIGURG sent.
"""

import os
import signal
import subprocess
import sys
import textwrap

import pytest

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGURG"), reason="no SIGURG on this platform")

CHILD = """
import os, signal, sys, time
import gokernels, gokernels.lzstring as lz

when = sys.argv[1]
hits = []
def handler(signum, frame):
    hits.append(signum)

if when == "before":
    signal.signal(signal.SIGURG, handler)
gokernels.count_doubles("aa")  # the Go runtime starts here
if when == "after":
    signal.signal(signal.SIGURG, handler)

# Go work that gets goroutines preempted (long-running, allocating, on all cores); still right.
texts = ["abcdefghij" * 50_000 + str(i) for i in range(8)]
want = [lz.compress_to_base64(t) for t in texts]
deadline = time.monotonic() + 0.5
while time.monotonic() < deadline:
    assert lz.compress_many(texts, workers=2) == want
spurious = len(hits)

for _ in range(20):
    os.kill(os.getpid(), signal.SIGURG)
    time.sleep(0.002)
time.sleep(0.05)
print(spurious, len(hits) - spurious)
"""


def run(when, godebug=None):
    env = dict(os.environ)
    env.pop("GODEBUG", None)
    if godebug:
        env["GODEBUG"] = godebug
    r = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(CHILD), when], env=env, capture_output=True, text=True, timeout=120
    )
    assert r.returncode == 0, r.stdout + r.stderr
    spurious, external = map(int, r.stdout.split())
    return spurious, external


def test_handler_installed_before_the_first_call_never_runs():
    assert run("before") == (0, 0)


def test_handler_installed_after_the_first_call_gets_every_signal_sent():
    _, external = run("after")  # Go's own preemption signals may come on top: documented, not counted
    assert external == 20


def test_workaround_asyncpreemptoff_and_handler_after_first_call_is_exact():
    assert run("after", "asyncpreemptoff=1") == (0, 20)
