"""The command line behaves like other Unix tools: output on stdout, errors on
stderr, exit status 0 on success, 2 on usage errors."""

import json
import os
import re
import subprocess
import sys

import pytest


def run(*args, **kw):
    return subprocess.run([sys.executable, "-m", "gokernels", *args], capture_output=True, text=True, **kw)


def test_bench_quick_doubles(tmp_path):
    out = tmp_path / "r.json"
    r = run("bench", "--quick", "--only", "doubles", "--json", str(out), timeout=300)
    assert r.returncode == 0, r.stderr
    assert "gokernels count_doubles" in r.stdout
    assert "pure Python (zip)" in r.stdout
    data = json.loads(out.read_text())
    rows = {row["impl"]: row for row in data["results"]}
    assert rows["gokernels count_doubles"]["ok"]
    assert rows["gokernels count_doubles"]["speedup"] > 1
    assert data["machine"]["python"] == sys.version.split()[0]


def test_usage_errors_exit_2():
    r = run()
    assert r.returncode == 2 and "usage" in r.stderr
    r = run("bench", "--only", "nonsense")
    assert r.returncode == 2 and "nonsense" in r.stderr
    r = run("frobnicate")
    assert r.returncode == 2


def test_version():
    import gokernels

    r = run("--version")
    assert r.returncode == 0 and gokernels.__version__ in r.stdout


# ---- issue 11: bench output to a closed pipe, a full device, a closed stdout ----

BENCH = [sys.executable, "-m", "gokernels", "bench", "--quick", "--only", "doubles"]


def _no_traceback(err):
    assert "Traceback" not in err and "Exception ignored" not in err, err
    # Progress lines ("gokernels bench: [  3 s] ...") go to stderr when it is not a terminal.
    lines = [ln for ln in err.splitlines() if not re.match(r"gokernels bench: \[ *\d+ s\] ", ln)]
    assert len(lines) <= 1, err


def test_bench_into_a_pipe_closed_early_gives_141():
    p = subprocess.Popen(BENCH, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    p.stdout.read(10)
    p.stdout.close()
    err = p.stderr.read()
    assert p.wait(timeout=300) == 141
    _no_traceback(err)


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full (Linux)")
def test_bench_on_a_full_device_gives_one_line_and_1():
    with open("/dev/full", "w") as full:
        r = subprocess.run(BENCH, stdout=full, stderr=subprocess.PIPE, text=True, timeout=300)
    assert r.returncode == 1
    _no_traceback(r.stderr)
    assert "No space left on device" in r.stderr


def test_bench_with_stdout_closed_gives_one_line_and_1():
    r = subprocess.run(
        BENCH, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, timeout=300, preexec_fn=lambda: os.close(1)
    )
    assert r.returncode == 1
    _no_traceback(r.stderr)
    assert "stdout is closed" in r.stderr
