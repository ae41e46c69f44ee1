"""The Go runtime starts on first use, not at import (see pyext/loader.c)."""

import subprocess
import sys
import textwrap

import pytest


def run_python(code, timeout=60):
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=timeout
    )


def test_import_starts_no_go_thread():
    r = run_python("""
        import os
        before = len(os.listdir('/proc/self/task'))
        import gokernels, gokernels.doubles
        from gokernels import count_doubles
        assert not gokernels._native._go_loaded()
        assert len(os.listdir('/proc/self/task')) == before, 'import started threads'
        assert count_doubles('aa') == 1
        assert gokernels._native._go_loaded()
        print(len(os.listdir('/proc/self/task')) - before)
    """)
    assert r.returncode == 0, r.stderr
    assert int(r.stdout) >= 1  # the Go runtime's threads appear on first use only


@pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="needs os.fork")
def test_fork_before_first_use_works():
    r = run_python("""
        import os, gokernels
        pid = os.fork()
        if pid == 0:
            x = [gokernels.count_doubles('aa' * 100000 + str(i)) for i in range(50)]
            os._exit(0 if x[0] == 199999 else 3)
        _, status = os.waitpid(pid, 0)
        print(os.waitstatus_to_exitcode(status) if hasattr(os, 'waitstatus_to_exitcode') else status >> 8)
    """)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "0"


@pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="needs os.fork")
def test_fork_after_first_use_raises_not_hangs():
    r = run_python(
        """
        import os, warnings, gokernels
        warnings.simplefilter('ignore', DeprecationWarning)  # 3.12+: fork with threads
        assert gokernels.count_doubles('aa') == 1
        pid = os.fork()
        if pid == 0:
            try:
                gokernels.count_doubles('a' * 10_000_000)
            except RuntimeError as e:
                os._exit(0 if 'spawn' in str(e) and 'forkserver' in str(e) else 4)
            os._exit(5)
        _, status = os.waitpid(pid, 0)
        print(status >> 8)
        assert gokernels.count_doubles('aaa') == 2  # the parent is unaffected
    """,
        timeout=60,
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "0"
