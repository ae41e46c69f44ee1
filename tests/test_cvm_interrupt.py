"""Long count_approx calls on arrays answer Ctrl-C: KeyboardInterrupt within
200 ms of SIGINT, on a call that would run far longer than 100 ms."""

import subprocess
import sys

import pytest

pytest.importorskip("numpy")

CODE = r"""
import os, signal, threading, time
import numpy as np
import gokernels

# Distinct keys in a large buffer: every element is a table insert, so the
# call is long without a huge array.
a = np.random.default_rng(1).permutation(12_000_000).astype(np.int64)
small = a[:1_000_000]
t = time.perf_counter()
gokernels.count_approx(small, epsilon=0.002)
per_elem = (time.perf_counter() - t) / len(small)
full = per_elem * len(a)
sent = []

def fire():
    sent.append(time.perf_counter())
    os.kill(os.getpid(), signal.SIGINT)

timer = threading.Timer(0.1, fire)
start = time.perf_counter()
timer.start()
try:
    gokernels.count_approx(a, epsilon=0.002)
    print("finished", full, time.perf_counter() - start)
except KeyboardInterrupt:
    print("interrupted", full, time.perf_counter() - sent[0])
"""


def test_count_approx_on_an_array_answers_ctrl_c():
    r = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    what, full, latency = r.stdout.split()
    assert float(full) > 0.3, "the call is too short to test: %s s" % full
    assert what == "interrupted", r.stdout
    assert float(latency) < 0.2, "KeyboardInterrupt %.3f s after SIGINT" % float(latency)
