"""Every public function against bad input, in one table.

The rows live with their kernel in tests/kernels.py (each entry's `bad`):
a call and what it must do: raise the documented exception type with a
message naming the function or the argument (the listed words must all
appear), or work and give the listed answer (str subclasses, empty input,
odd but valid values). User code that raises (a __hash__, __iter__, __len__
or __next__) must see its own exception, unchanged. The whole table also
runs in one subprocess, so a crash on any row fails a test instead of
killing pytest.
"""

import os
import subprocess
import sys
import tempfile

import pytest

from kernels import KERNELS, Raises, bad_rows, runnable

ROWS = bad_rows()


def check_row(ident, call, expect):
    """Runs one row; returns None, or what went wrong."""
    try:
        got = call()
    except BaseException as e:  # noqa: B036 - anything but the expected is a failure
        if not isinstance(expect, Raises):
            return "raised %s: %s" % (type(e).__name__, e)
        if type(e) is not expect.exc:
            return "raised %s (%s), want %s" % (type(e).__name__, e, expect.exc.__name__)
        missing = [w for w in expect.words if w not in str(e)]
        if missing:
            return "message %r lacks %r" % (str(e), missing)
        return None
    if isinstance(expect, Raises):
        return "returned %r, want %s" % (got, expect.exc.__name__)
    want = expect.want
    if callable(want):
        return None if want(got) else "returned %r" % (got,)
    return None if got == want and type(got) is type(want) else "returned %r, want %r" % (got, want)


@pytest.mark.parametrize("ident, call, expect", ROWS, ids=[r[0] for r in ROWS])
def test_row(ident, call, expect):
    problem = check_row(ident, call, expect)
    assert problem is None, problem


def test_every_public_function_has_rows():
    """Every registry entry that can run here has bad-input rows, at least
    one of them an error (the registry itself covers __all__: test_kernels.py)."""
    lacking = [
        k.name for k in runnable() if k.needs != "dask" and not any(isinstance(e, Raises) for _, _, e in k.bad())
    ]
    assert lacking == []
    assert len({k.name for k in KERNELS}) >= 37
    assert any(ident.startswith("LZString.") for ident, _, _ in ROWS)


def run_table():
    failures = [(ident, check_row(ident, call, expect)) for ident, call, expect in ROWS]
    return [f for f in failures if f[1] is not None]


def test_whole_table_in_one_process():
    """The table again in a fresh interpreter: a crash (not just a wrong
    exception) on any row, or a process that dies at exit, fails here."""
    code = (
        "import runpy, sys\n"
        "sys.path.insert(0, sys.argv[2])\n"
        "ns = runpy.run_path(sys.argv[1])\n"
        "bad = ns['run_table']()\n"
        "bad += ns['run_table']()  # twice: state left by errors must not matter\n"
        "print(len(ns['ROWS']), len(bad))\n"
        "for b in bad[:20]: print(b)\n"
    )
    r = subprocess.run(
        [sys.executable, "-c", code, os.path.abspath(__file__), os.path.dirname(os.path.abspath(__file__))],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tempfile.gettempdir(),
    )
    assert r.returncode == 0, "the process died: %s\n%s" % (r.returncode, r.stderr[-3000:])
    first = r.stdout.split("\n")[0].split()
    assert int(first[0]) == len(ROWS)
    # Row failures are reported by test_row; here only the process must live.
    assert r.stderr == "" or "Warning" in r.stderr, r.stderr[-2000:]
