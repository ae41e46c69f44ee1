"""SIGURG and the Go runtime: exactly the behaviour README "Limits" documents (issue 11).

Go uses SIGURG to preempt its goroutines. In a c-shared library it installs its own SIGURG handler when it
loads (the first gokernels call) and never forwards SIGURG to the handler it replaced, so a Python handler
installed before the first call used to never run again (0 of 20 signals). The loader now chains: signals
sent with kill() (os.kill, `kill -URG`, any other process) reach the earlier handler, then Go's; Go's own
preemption signals (tgkill from inside the process) reach Go's only. What remains, and is tested here as
documented:
 - a signal raised inside the process (signal.raise_signal, pthread_kill) looks like Go's: Go's only;
 - a handler installed AFTER the first call replaces Go's: it runs for every SIGURG sent and, unless
   GODEBUG=asyncpreemptoff=1 is set when Python starts, also for Go's own preemption signals, now and then.
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

when, send = sys.argv[1], sys.argv[2]
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
    if send == "kill":
        os.kill(os.getpid(), signal.SIGURG)
    else:
        signal.raise_signal(signal.SIGURG)
    time.sleep(0.002)
time.sleep(0.05)
print(spurious, len(hits) - spurious)
"""


def run(when, godebug=None, send="kill"):
    env = dict(os.environ)
    env.pop("GODEBUG", None)
    if godebug:
        env["GODEBUG"] = godebug
    r = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(CHILD), when, send], env=env, capture_output=True, text=True, timeout=120
    )
    assert r.returncode == 0, r.stdout + r.stderr
    spurious, external = map(int, r.stdout.split())
    return spurious, external


@pytest.mark.parametrize("godebug", [None, "asyncpreemptoff=1"])
def test_handler_installed_before_the_first_call_gets_every_signal_sent(godebug):
    # and none of Go's own preemption signals, though Go preempts goroutines meanwhile
    assert run("before", godebug) == (0, 20)


def test_signal_raised_inside_the_process_goes_to_go_only():
    assert run("before", send="raise") == (0, 0)


def test_handler_installed_after_the_first_call_gets_every_signal_sent():
    _, external = run("after")  # Go's own preemption signals may come on top: documented, not counted
    assert external == 20


def test_asyncpreemptoff_and_handler_after_first_call_is_exact():
    assert run("after", "asyncpreemptoff=1") == (0, 20)
