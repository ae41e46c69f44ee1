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
