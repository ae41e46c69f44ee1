"""`gokernels bench --plot/--json`: the chart is drawn (not empty), the JSON
holds the sweep, and --plot without matplotlib fails with one line, status 2;
on a pipe it reports progress line by line; a missing peer (the Rust kernels,
lzma_pyo3, numba, ...) is listed with the command that installs it."""

import json
import os
import subprocess
import sys
import tempfile

import pytest

# Run outside the checkout: `gokernels bench` builds benchmarks/rust with cargo when it
# finds it in the current directory, which these tests do not want to wait for. An empty
# directory of our own, since `python -m` imports from the current directory (a stray
# extension module in /tmp, built for another Python, crashed the child).
OUTSIDE = tempfile.mkdtemp(prefix="gokernels-bench-cli-")


def run(*args, code=None, **kw):
    argv = [sys.executable, "-c", code, *args] if code else [sys.executable, "-m", "gokernels", *args]
    kw.setdefault("cwd", OUTSIDE)
    return subprocess.run(argv, capture_output=True, text=True, **kw)


@pytest.fixture(scope="module")
def lz_run(tmp_path_factory):
    pytest.importorskip("matplotlib", reason="--plot needs matplotlib (requirements-dev.txt)")
    d = tmp_path_factory.mktemp("bench")
    png, js = d / "sweep.png", d / "r.json"
    r = run("bench", "--quick", "--only", "lzstring", "--plot", str(png), "--json", str(js), timeout=300)
    assert r.returncode == 0, r.stderr
    return r, png, js


def test_plot_is_a_non_trivial_png(lz_run):
    from matplotlib.image import imread

    _, png, _ = lz_run
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(data) > 20_000, "a chart with axes, lines and a legend is bigger than %d bytes" % len(data)
    pixels = imread(str(png))[:, :, :3]
    # the lines are coloured; an empty chart has only black, grey and white
    coloured = ((pixels.max(axis=2) - pixels.min(axis=2)) > 0.3).sum()
    assert coloured > 500, "only %d coloured pixels: no lines drawn" % coloured


def test_json_holds_the_sweep(lz_run):
    r, _, js = lz_run
    data = json.loads(js.read_text())
    sweep = [row for row in data["results"] if row["plot"]]
    assert {row["size"] for row in sweep} == {100, 1_000, 10_000}
    rust = {"Rust lz-str (lzma_pyo3, the article's wrapper)", "Rust lz-str (benchmarks/rust)"}
    assert {row["impl"] for row in sweep} == {"pure Python (lzstring package)", "gokernels"} | rust
    for row in sweep:  # a Rust row is timed, or missing with the way to install it
        if row["impl"] in rust and row["seconds"] is None:
            assert "pip install hmt-lzma-pyo3" in row["note"] or "make rust-peers" in row["note"], row
        else:
            assert row["ok"] and row["seconds"] > 0, row
    assert all(row["speedup"] > 1 for row in sweep if row["impl"] == "gokernels")
    assert data["machine"]["cores"] >= 1 and data["machine"]["go"].startswith("go")
    assert "time per input size" in r.stdout  # the sweep prints as one table, a column per size


def test_plot_without_matplotlib_fails_with_one_line(tmp_path):
    png = tmp_path / "p.png"
    code = (
        "import sys; sys.modules['matplotlib'] = None\n"
        "from gokernels.cli import main\n"
        "sys.exit(main(['bench', '--quick', '--only', 'lzstring', '--plot', sys.argv[1]]))"
    )
    r = run(str(png), code=code, timeout=120)
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "matplotlib" in lines[0], r.stderr
    assert r.stdout == "" and not png.exists()  # fails before running anything


def test_plot_needs_a_size_sweep(tmp_path):
    pytest.importorskip("matplotlib", reason="--plot needs matplotlib (requirements-dev.txt)")
    r = run("bench", "--quick", "--only", "text", "--plot", str(tmp_path / "p.png"), timeout=120)
    assert r.returncode == 2 and "--plot" in r.stderr


def test_missing_peer_is_listed_not_dropped():
    """With numba, Cython and datasketches unimportable, their rows say missing."""
    code = (
        "import sys\n"
        "for m in ('numba', 'Cython', 'datasketches'): sys.modules[m] = None\n"
        "from gokernels._bench import cvm, doubles\n"
        "from gokernels._bench.core import Progress, format_tables, run_cases\n"
        "cases = [doubles.cases(True)[0], cvm.cases(True)[0]]\n"
        "for c in cases: c.impls = [i for i in c.impls if i.missing or i.baseline]\n"
        "print(format_tables(run_cases(cases, True, Progress(0))))"
    )
    r = run(code=code, timeout=300)
    assert r.returncode == 0, r.stderr
    assert "missing: numba is not installed" in r.stdout
    assert "missing: Cython is not installed" in r.stdout
    assert "missing: datasketches is not installed" in r.stdout


def test_missing_rust_peers_name_their_install_command():
    """With neither the Rust kernels nor lzma_pyo3 importable (and no checkout
    in the current directory), their rows say how to get them."""
    code = (
        "import sys\n"
        "for m in ('gokernels_rust_peers', 'lzma_pyo3'): sys.modules[m] = None\n"
        "from gokernels._bench import calls, doubles, lzstring\n"
        "from gokernels._bench.core import Progress, format_tables, run_cases\n"
        "cases = [doubles.cases(True)[0], lzstring.cases(True)[0], calls.cases(True)[0]]\n"
        "for c in cases: c.impls = [i for i in c.impls if i.missing or i.baseline]\n"
        "print(format_tables(run_cases(cases, True, Progress(0))))"
    )
    r = run(code=code, timeout=300, env=dict(os.environ, GOKERNELS_RUST_CRATE=""))
    assert r.returncode == 0, r.stderr
    missing = [ln for ln in r.stdout.splitlines() if "missing:" in ln]
    rust = [ln for ln in missing if ln.lstrip().startswith(("Rust", "PyO3"))]
    assert len(rust) >= 5 + 2 + 2, r.stdout  # five count-doubles kernels, two lz-str, no-op and bytes in calls
    for line in rust:
        assert "make rust-peers" in line or "pip install hmt-lzma-pyo3" in line, line
    assert any("pip install hmt-lzma-pyo3" in ln for ln in rust)


def test_progress_on_a_pipe_is_one_line_per_table():
    """stderr not a terminal: a line per preparation step and per finished
    table, then a summary, none of them with terminal escapes."""
    r = run("bench", "--quick", "--only", "text", timeout=300)
    assert r.returncode == 0, r.stderr
    lines = r.stderr.strip().splitlines()
    assert lines and all(ln.startswith("gokernels bench: [") for ln in lines), r.stderr
    assert "\r" not in r.stderr and "\033" not in r.stderr
    tables = [ln for ln in lines if "] done " in ln]
    printed = [ln for ln in r.stdout.splitlines() if ln and not ln.startswith(" ") and ":" in ln]
    titles = [ln for ln in printed if ln.split(":")[0] in ("short_long", "random_string", "list_sum")]
    assert len(tables) == len(titles) >= 3, (r.stderr, titles)
    for title in titles:
        assert any(title in ln for ln in tables), title
    assert "finished: %d tables" % len(tables) in lines[-1]
    assert "preparing the text suite" in lines[0]


def test_every_suite_is_selectable_and_lists_runs_alone():
    """Each suite name --only accepts holds exactly the cases of that suite
    (the lists cases were once in the text suite, which --only could not
    select), and `--only lists` prints the list_sum tables, warm and fresh."""
    from gokernels._bench import SUITES, lists

    assert "lists" in SUITES
    assert {c.suite for c in lists.cases(True)} == {"lists"}
    r = run("bench", "--quick", "--only", "lists", timeout=300)
    assert r.returncode == 0, r.stderr
    titles = [ln for ln in r.stdout.splitlines() if ln.startswith("list_sum:")]
    assert len(titles) == 3, r.stdout
    assert any("fresh" in t for t in titles)
    assert "gokernels list_sum, fresh" in r.stdout and "builtin sum(), warm" in r.stdout
    assert not any(ln.startswith(("short_long", "random_string")) for ln in r.stdout.splitlines())
