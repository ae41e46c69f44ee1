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


def test_first_use_from_many_threads_at_once():
    """The one-time load is serialized (a mutex, taken with the GIL released): threads that all make their
    first call at the same moment, through different kernels, get right answers, and the runtime loads once."""
    r = run_python("""
        import os, threading
        import gokernels, gokernels.lzstring as lz
        calls = [
            lambda: gokernels.count_doubles("aab") == 1,
            lambda: lz.decompress_from_base64(lz.compress_to_base64("hello")) == "hello",
            lambda: gokernels.count_approx([1, 2, 2, 3]) == 3,
            lambda: len(gokernels.random_string(5, seed=1)) == 5,
            lambda: gokernels.CVMCounter().estimate() == 0,
            lambda: gokernels.short_long("extraordinary") == 1.0,
        ]
        n = 24
        barrier = threading.Barrier(n)
        results = [None] * n
        def worker(i):
            barrier.wait()
            try:
                results[i] = calls[i % len(calls)]()
            except BaseException as exc:
                results[i] = exc
        threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert results == [True] * n, results
        maps = open("/proc/self/maps").read().count("libgokernels-go.so")
        assert maps >= 1
        print("ok")
    """)
    assert r.returncode == 0 and r.stdout.strip() == "ok", r.stdout + r.stderr


def test_fork_during_the_first_load_never_hangs():
    """fork() waits for a load in progress (pthread_atfork): a child forked while another thread loads the
    runtime either sees it loaded (RuntimeError) or not at all (loads its own); it never inherits a held lock."""
    r = run_python("""
        import os, threading, time, warnings
        warnings.simplefilter("ignore", DeprecationWarning)
        import gokernels
        t = threading.Thread(target=gokernels.count_doubles, args=("aa",))
        t.start()
        pid = os.fork()
        if pid == 0:
            try:
                ok = gokernels.count_doubles("aa") == 1
            except RuntimeError as exc:
                ok = "spawn" in str(exc)
            os._exit(0 if ok else 3)
        deadline = time.monotonic() + 30
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            if time.monotonic() > deadline:
                os.kill(pid, 9)
                raise SystemExit("child hung")
            time.sleep(0.01)
        t.join()
        assert os.waitstatus_to_exitcode(status) == 0, status
        print("ok")
    """)
    assert r.returncode == 0 and r.stdout.strip() == "ok", r.stdout + r.stderr
