"""Helpers shared by the reliability tests (test_fork.py, test_threads_gil.py,
test_sigint_and_faults.py): a fresh interpreter that cannot hang pytest, and
the script prelude that calls every kernel on large inputs."""

import os
import subprocess
import sys
import tempfile
import textwrap

import pytest


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
KERNELS = (
    "TESTS_DIR = %r\n" % os.path.dirname(os.path.abspath(__file__))
    + r"""
import hashlib, gokernels as g, gokernels.lzstring as lz

BIG = "ab" * 1_500_000 + "cc"                       # 3M chars: above every GIL threshold
WIDE = "\u20ac\U0001f600" * 200_000 + "\U0001f600"  # kind 4
TEXT = "the quick brown fox jumps over a lazy dog extraordinarily " * 20_000
ITEMS = [str(i % 5000) for i in range(300_000)]

def digest(x):
    # a JSON-safe, comparable stand-in: a number as it is, anything else hashed
    if x is None or isinstance(x, (bool, int, float)):
        return x
    return hashlib.sha256(repr(x).encode("utf-8", "surrogatepass")).hexdigest()[:16]

def kernel_calls():
    # Every kernel of the registry (tests/kernels.py) on its large arguments
    # and its variants, so a new kernel runs here with no edit. The registry
    # is imported on the first call, not before: building its arguments calls
    # Go, and the fork scripts fork before the first use. dask's entry is left
    # out: its thread pool does not survive a fork.
    import sys
    if TESTS_DIR not in sys.path:
        sys.path.insert(0, TESTS_DIR)
    from kernels import KERNELS as registry
    calls = {}
    for k in registry:
        if k.fn is None or k.needs:
            continue
        for i, args in enumerate([k.large_args()] + k.variants):
            name = k.name if i == 0 else "%s/%d" % (k.name, i)
            calls[name] = lambda fn=k.fn, a=args: digest(a(fn))
    return calls

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
)
