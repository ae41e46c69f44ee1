"""gokernels refuses every interpreter but the main one (issue 11).

Its C statics (the lz-string exception types, CVMCounter) and the Go runtime exist once per process. A legacy
sub-interpreter (mod_wsgi's kind; `_xxsubinterpreters` with isolated=False on 3.12; `_interpreters` with the
'legacy' config on 3.13; any Py_NewInterpreter on 3.10-3.11) ignores the Py_mod_multiple_interpreters slot,
and used to re-run module init, after which `except lz.DecompressError` in the main interpreter no longer
caught. Now the import raises ImportError there, and the main interpreter is untouched.

Each case runs in a child process, so a failure cannot leave this pytest process with broken statics.
"""

import subprocess
import sys
import sysconfig
import textwrap

import pytest


def _runners():
    """The ways this CPython offers to run code in a sub-interpreter, by name -> (kind, Python source of a
    function run(code) for the child)."""
    have = {}
    try:
        import _testcapi  # noqa: F401  (a test module; distributions may leave it out)
    except ImportError:
        pass
    else:
        # Py_NewInterpreter(): the legacy config on every version.
        have["_testcapi.run_in_subinterp"] = (
            "legacy",
            "def run(code):\n    import _testcapi\n    _testcapi.run_in_subinterp(code)\n",
        )
    if sys.version_info < (3, 13):
        try:
            import _xxsubinterpreters  # noqa: F401
        except ImportError:
            pass
        else:
            if sys.version_info < (3, 12):
                # 3.10/3.11 know no isolation: every sub-interpreter is the legacy kind.
                have["_xxsubinterpreters"] = (
                    "legacy",
                    "def run(code):\n    import _xxsubinterpreters as m\n    i = m.create()\n"
                    "    try:\n        m.run_string(i, code)\n    finally:\n        m.destroy(i)\n",
                )
            else:
                for kind, iso in (("legacy", False), ("isolated", True)):
                    have["_xxsubinterpreters-" + kind] = (
                        kind,
                        "def run(code):\n    import _xxsubinterpreters as m\n    i = m.create(isolated=%r)\n"
                        "    try:\n        m.run_string(i, code)\n    finally:\n        m.destroy(i)\n" % iso,
                    )
    else:
        try:
            import _interpreters  # noqa: F401
        except ImportError:
            pass
        else:
            for kind in ("legacy", "isolated"):
                have["_interpreters-" + kind] = (
                    kind,
                    "def run(code):\n    import _interpreters as m\n    i = m.create(%r)\n"
                    "    try:\n        err = m.exec(i, code)\n        assert err is None, err\n"
                    "    finally:\n        m.destroy(i)\n" % kind,
                )
    return have


RUNNERS = _runners()

CHILD = """
import os, sys, tempfile
import gokernels
import gokernels.lzstring as lz

def caught_in_main():
    try:
        lz.decompress("")  # the reference returns null: DecompressError
    except lz.DecompressError as exc:
        return type(exc) is lz.DecompressError
    return False

assert caught_in_main()
assert gokernels.count_doubles("aab") == 1  # the Go runtime is up before the sub-interpreter starts
out = tempfile.mktemp()
run(
    "out = %r\\n"
    "try:\\n"
    "    import gokernels._native\\n"
    "except ImportError as exc:\\n"
    "    result = 'ImportError: ' + str(exc)\\n"
    "except BaseException as exc:\\n"
    "    result = 'other: %%s: %%s' %% (type(exc).__name__, exc)\\n"
    "else:\\n"
    "    result = 'imported'\\n"
    "with open(out, 'w') as f:\\n"
    "    f.write(result)\\n" % out
)
with open(out) as f:
    print("SUB", f.read())
os.unlink(out)
# The main interpreter still catches its own exception types, and the kernels work.
assert caught_in_main(), "except lz.DecompressError no longer catches"
try:
    lz.decompress_from_base64(lz.compress_to_base64("x" * 100), max_length=10)
except lz.OutputTooLongError:
    pass
assert gokernels.CVMCounter is gokernels.cvm.CVMCounter
c = gokernels.CVMCounter(seed=1)
c.update(range(10))
assert c.estimate() == 10
assert gokernels.list_sum([1, 2]) == 3
print("MAIN ok")
"""


@pytest.mark.skipif(
    not RUNNERS,
    reason="this CPython offers no sub-interpreter API (_testcapi, _xxsubinterpreters, _interpreters all missing)",
)
@pytest.mark.parametrize("name", sorted(RUNNERS) or ["none"])
def test_sub_interpreter_import_is_refused_and_main_keeps_working(name):
    kind, runner = RUNNERS[name]
    code = runner + textwrap.dedent(CHILD)
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    sub = [line for line in r.stdout.splitlines() if line.startswith("SUB ")]
    assert len(sub) == 1, r.stdout
    assert sub[0].startswith("SUB ImportError: "), sub[0]
    if kind == "legacy" and not sysconfig.get_config_var("Py_GIL_DISABLED"):
        # Our own refusal, from the module's exec slot. (A free-threaded CPython checks
        # Py_mod_multiple_interpreters for legacy sub-interpreters too, and refuses first.)
        assert "sub-interpreter" in sub[0] and "main interpreter" in sub[0], sub[0]
    else:
        # CPython's refusal from Py_mod_multiple_interpreters, before our code runs.
        assert "subinterpreters" in sub[0] or "sub-interpreter" in sub[0], sub[0]
    assert "MAIN ok" in r.stdout


def test_reimport_in_the_main_interpreter_keeps_the_exception_types():
    """`del sys.modules[...]` and a new import (or importlib.reload) run module init again in the same
    interpreter: the new module must hand out the same exception types and classes as the first."""
    code = textwrap.dedent(
        """
        import importlib, sys
        import gokernels.lzstring as lz
        first = sys.modules["gokernels._native"]
        del sys.modules["gokernels._native"]
        second = importlib.import_module("gokernels._native")
        assert second is not first
        assert second.DecompressError is first.DecompressError is lz.DecompressError
        assert second.OutputTooLongError is first.OutputTooLongError
        assert second.CVMCounter is first.CVMCounter
        importlib.reload(second)
        assert second.DecompressError is lz.DecompressError
        for f in (first.decompress, second.decompress, lz.decompress):
            try:
                f("")
            except lz.DecompressError:
                pass
            else:
                raise AssertionError("not caught")
        print("ok")
        """
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and r.stdout.strip() == "ok", r.stdout + r.stderr
