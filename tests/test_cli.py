"""The command line behaves like other Unix tools: output on stdout, errors on
stderr, exit status 0 on success, 2 on usage errors."""

import json
import subprocess
import sys


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
