#!/usr/bin/env python3
"""Writes docs/benchmarks.md and its plots from a saved benchmark run.

    python tools/bench/report.py [--json .benchmarks/results.json] [--go .benchmarks/go-bench.txt]
                                 [--out docs/benchmarks.md]

Reads the pytest-benchmark JSON written by `make bench` (with the "gokernels"
section that benchmarks/conftest.py adds: times measured inside node, missing
peers, goals, versions) and the text output of `go test -bench`. Every figure
on the page is a ratio measured within that one run, next to the same ratio
from the article's published numbers; times are there for reference only.
Needs gokernels (installed) and matplotlib.
"""

import argparse
import json
import os
import re
import sys
from typing import Any, Dict, List, Optional

from gokernels._bench.core import format_ratio, format_time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# The side-by-side table: each row is one article's comparison, as
# (article, workload, gokernels test, baseline test, peer tests, Rust tests measured in the same
# run, the article's own figure for the same comparison, from shared/ARTICLES.md).
# A baseline of FASTEST_EXACT is the fastest exact method in the subject's group (numpy
# sort + count of changes, polars/pandas n_unique, ...: every row that is not an
# approximation); peers of GROUP_PEERS are all other non-gokernels rows of that group.
FASTEST_EXACT = "<the fastest exact method in the group>"
GROUP_PEERS = None
HEADLINE = [
    (
        "1 lz-string",
        "the article's 99 strings of 100..9,900 chars, to Base64 and back",
        "test_article_gokernels",
        "test_article_pure_python",
        [],
        ["test_article_rust_lzma_pyo3", "test_article_rust_rust"],
        "chart only: Rust far below pure Python",
    ),
    (
        "1 lz-string",
        "1M chars of text, compress_to_base64",
        "test_text_compress_gokernels",
        "test_text_compress_pure_python",
        ["node compressToBase64 (1M text)"],
        ["test_text_compress_rust_lzma_pyo3", "test_text_compress_rust_rust"],
        "",
    ),
    (
        "1 lz-string",
        "1M chars of text, decompress_from_base64",
        "test_text_decompress_gokernels",
        "test_text_decompress_pure_python",
        ["node decompressFromBase64 (1M text)"],
        ["test_text_decompress_rust_lzma_pyo3", "test_text_decompress_rust_rust"],
        "",
    ),
    (
        "1 list_sum",
        "the article's 200 ints (baseline: builtin sum())",
        "test_list_sum_200_gokernels",
        "test_list_sum_200_builtin",
        [],
        [],
        "Rust slower than sum() (< 1x)",
    ),
    (
        "2 count doubles",
        "1M random letters, str (count_doubles), warm: the same string every call",
        "test_gokernels_runes",
        "test_python_zip",
        ["test_numpy", "test_numba", "test_cython"],
        ["test_rust_chars", "test_rust_chars_once"],
        "Rust chars once 44-50x zip; 0.3x numba",
    ),
    (
        "2 count doubles",
        "1M random letters, bytes (count_doubles_bytes), warm",
        "test_gokernels_bytes",
        "test_python_zip",
        ["test_numpy", "test_numba", "test_cython"],
        ["test_rust_bytes", "test_rust_slice"],
        "Rust bytes once 91-146x zip; 0.6-0.9x numba",
    ),
    (
        "2 count doubles",
        "1M random letters, bytes, fresh: a new string each call (baseline: numpy)",
        "test_fresh_gokernels_bytes",
        "test_fresh_numpy",
        ["test_fresh_numba", "test_fresh_cython"],
        ["test_fresh_rust_bytes", "test_fresh_rust_slice"],
        "",
    ),
    (
        "4 PyO3 + rayon",
        "10M random letters, count_doubles_parallel, warm (article's baseline: regex)",
        "test_10m_gokernels_parallel",
        "test_10m_regex",
        ["test_10m_numpy", "test_10m_numba", "test_10m_cython"],
        ["test_10m_rust_slice_parallel"],
        "Rust slice_parallel 70x regex",
    ),
    (
        "4 PyO3 + rayon",
        "10M random letters, count_doubles_parallel, fresh (baseline: numpy)",
        "test_fresh_10m_gokernels_parallel",
        "test_fresh_10m_numpy",
        ["test_fresh_10m_numba", "test_fresh_10m_cython"],
        ["test_fresh_10m_rust_slice_parallel"],
        "",
    ),
    (
        "3 CVM",
        "10M str items, 100k distinct (baseline: the article's pure-Python CVM)",
        "test_words_gokernels",
        "test_words_pure_python_cvm",
        GROUP_PEERS,
        ["test_words_rust_cvm"],
        "Rust optimized 3.7x pure CVM; 0.67x set()",
    ),
    (
        "3 CVM",
        "10M int64 in a numpy array (baseline: the fastest exact count)",
        "test_array_gokernels",
        FASTEST_EXACT,
        [],
        [],
        "not in the article (its suggested next step)",
    ),
    (
        "5 short_long",
        "200,000 words",
        "test_short_long_gokernels",
        "test_short_long_python",
        [],
        [],
        "Rust via CFFI 5.4x (and a different answer)",
    ),
    (
        "4 random_string",
        "1M ASCII letters",
        "test_random_string_gokernels",
        "test_random_string_python",
        [],
        [],
        "Rust 0.24 s vs 11 s for 10M: ~46x",
    ),
    (
        "binding",
        "one call of count_doubles('ab') (baseline: len('ab'); Rust: a PyO3 no-op)",
        "test_call_overhead",
        "test_call_len",
        [],
        ["test_call_pyo3_noop"],
        "",
    ),
]

# rows that are approximations, not exact counts (for FASTEST_EXACT)
# (the suites time polars and DuckDB through their approximate counters,
# approx_n_unique and approx_count_distinct)
APPROXIMATE = ("gokernels", "rust", "hll", "datasketches", "cvm", "approx", "sketch", "polars", "duckdb")

PEER_NAMES = {
    "test_numpy": "numpy",
    "test_numba": "numba",
    "test_cython": "Cython",
    "test_10m_numpy": "numpy",
    "test_10m_numba": "numba",
    "test_10m_cython": "Cython",
    "test_fresh_numba": "numba",
    "test_fresh_cython": "Cython",
    "test_fresh_10m_numba": "numba",
    "test_fresh_10m_cython": "Cython",
    "test_words_set": "set()",
    "test_words_datasketches_hll": "DataSketches HLL",
    "node compressToBase64 (1M text)": "node",
    "node decompressFromBase64 (1M text)": "node",
}

RUST_NAMES = {
    "test_article_rust_lzma_pyo3": "lzma_pyo3",
    "test_article_rust_rust": "lz-str",
    "test_text_compress_rust_lzma_pyo3": "lzma_pyo3",
    "test_text_compress_rust_rust": "lz-str",
    "test_text_decompress_rust_lzma_pyo3": "lzma_pyo3",
    "test_text_decompress_rust_rust": "lz-str",
    "test_rust_chars": "chars",
    "test_rust_chars_once": "chars once",
    "test_rust_bytes": "bytes once",
    "test_rust_slice": "slice",
    "test_fresh_rust_bytes": "bytes once",
    "test_fresh_rust_slice": "slice",
    "test_10m_rust_slice_parallel": "rayon",
    "test_fresh_10m_rust_slice_parallel": "rayon",
    "test_words_rust_cvm": "optimized CVM",
    "test_call_pyo3_noop": "PyO3 no-op",
}

PLOTS = {  # plot name in the JSON -> file in docs/
    "count doubles (random ASCII letters)": "bench-doubles.png",
    "lz-string round trip (random uppercase letters and digits)": "bench-lzstring-sweep.png",
    "count_doubles_parallel vs count_doubles": "bench-parallel.png",
}


def ratio(x: Optional[float]) -> str:
    return "—" if x is None else format_ratio(x)


def fmt_time(seconds: float) -> str:
    return format_time(seconds, micro="µs")


def load(path: str) -> Dict[str, Any]:
    with open(path) as f:
        data = json.load(f)
    extra = data.get("gokernels") or {}
    rows: Dict[str, Dict[str, Any]] = {}
    for b in data.get("benchmarks", []):
        st = b["stats"]
        rows[b["name"]] = {
            "name": b["name"],
            "group": b.get("group") or "",
            "time": st["median"],  # the median round, as conftest's ratios and goals
            "stddev": st["stddev"],
            "rounds": st["rounds"],
            "baseline": bool(b.get("extra_info", {}).get("baseline")),
            "extra": b.get("extra_info", {}),
            "external": False,
        }
    for e in extra.get("external", []):
        rows[e["name"]] = {
            "name": e["name"],
            "group": e.get("group") or "timed outside Python",
            "time": e["seconds"],
            "stddev": None,
            "rounds": None,
            "baseline": False,
            "extra": e.get("extra_info") or {},
            "external": True,
        }
    return {"rows": rows, "extra": extra, "raw": data}


def machine_lines(run: Dict[str, Any]) -> List[str]:
    raw, m = run["raw"], run["extra"].get("machine") or {}
    cpu = raw.get("machine_info", {}).get("cpu", {}) or {}
    peers = m.get("peers") or {}
    date = (raw.get("datetime") or m.get("date") or "")[:16].replace("T", " ")
    lines = [
        "- **Date**: %s UTC" % date if date else "",
        "- **Machine**: %s, %s cores (%s), %s"
        % (
            m.get("processor") or cpu.get("brand_raw") or "?",
            m.get("cores") or cpu.get("count") or "?",
            m.get("machine") or cpu.get("arch_string_raw") or "",
            m.get("platform") or "",
        ),
        "- **Python** %s, **Go** %s, **numpy** %s, gokernels %s"
        % (m.get("python", "?"), m.get("go") or "?", m.get("numpy") or "not installed", m.get("gokernels", "?")),
        "- **Peers**: "
        + ", ".join("%s %s" % (k, v or "(missing)") for k, v in peers.items())
        + (", node %s" % m["node"] if m.get("node") else ", node (missing)"),
        "- **Load**: %s" % load_text(m) if load_text(m) else "",
    ]
    return [ln for ln in lines if ln]


def load_text(m: Dict[str, Any]) -> str:
    """The 1-minute load average when the run started and ended."""
    a, b = m.get("load_start"), m.get("load_end")
    if a is None and b is None:
        return ""
    cores = m.get("cores") or "?"
    return "load average %s at the start, %s at the end (%s cores)" % (
        "?" if a is None else "%.2f" % a,
        "?" if b is None else "%.2f" % b,
        cores,
    )


README_START = "<!-- bench-headline: written by tools/bench/report.py from the last `make bench`; do not edit -->"
README_END = "<!-- /bench-headline -->"


def readme_block(run: Dict[str, Any]) -> List[str]:
    m = run["extra"].get("machine") or {}
    raw = run["raw"]
    date = (raw.get("datetime") or m.get("date") or "")[:16].replace("T", " ")
    return [
        README_START,
        "Measured by `make bench` on %s UTC: %s, %s cores, Python %s, Go %s; %s. Every ratio divides two "
        "medians of the same run; `gokernels bench` measures the same comparisons (its own inputs and timer). "
        "*Warm*: the same input every call (in cache); *fresh*: a new input each call, from a pool three times "
        "the L3 cache."
        % (date, m.get("processor", "?"), m.get("cores", "?"), m.get("python", "?"), m.get("go", "?"), load_text(m)),
        "",
        *headline(run),
        README_END,
    ]


def write_readme(run: Dict[str, Any], path: str) -> bool:
    """Replaces the text between the markers in README.md. False when the
    markers are missing."""
    with open(path) as f:
        text = f.read()
    if README_START not in text or README_END not in text:
        return False
    head, rest = text.split(README_START, 1)
    _, tail = rest.split(README_END, 1)
    with open(path, "w") as f:
        f.write(head + "\n".join(readme_block(run)) + tail)
    return True


def _resolve(rows: Dict[str, Dict[str, Any]], subject: Dict[str, Any], base: Any, peers: Any):
    """The baseline row and the peer rows of a headline entry."""
    group = [r for r in rows.values() if r["group"] == subject["group"]]
    if base == FASTEST_EXACT:
        exact = [r for r in group if not any(w in r["name"].lower() for w in APPROXIMATE)]
        b = min(exact, key=lambda r: r["time"]) if exact else None
    else:
        b = rows.get(base)
    if peers is GROUP_PEERS:
        present = [
            r
            for r in group
            if r is not b and r is not subject and not any(w in r["name"] for w in ("gokernels", "rust", "python"))
        ]
    else:
        present = [rows[p] for p in peers if p in rows]
    return b, present


def headline(run: Dict[str, Any]) -> List[str]:
    rows = run["rows"]
    out = [
        "| article | workload | gokernels vs baseline | best peer | gokernels vs best peer "
        "| gokernels vs the article's Rust, measured here | the article's figure |",
        "|---|---|---:|---|---:|---:|---|",
    ]
    for article, what, subject, base, peers, rust, published in HEADLINE:
        s = rows.get(subject)
        if s is None:
            continue
        b, present = _resolve(rows, s, base, peers)
        vs_base = b["time"] / s["time"] if b else None
        if base == FASTEST_EXACT and b:
            exact = [r for r in rows.values() if r["group"] == s["group"] and r is not s]
            lone = len([r for r in exact if not any(w in r["name"].lower() for w in APPROXIMATE)]) == 1
            what = what.replace(
                "the fastest exact count",
                "the fastest exact count in the run, `%s`%s"
                % (b["name"], ": numpy's slow path, the only exact row this run had" if lone else ""),
            )
        best = min(present, key=lambda r: r["time"]) if present else None
        best_name = PEER_NAMES.get(best["name"], best["name"]) if best else "—"
        vs_peer = best["time"] / s["time"] if best else None
        measured = [rows[r] for r in rust if r in rows]
        fastest_rust = min(measured, key=lambda r: r["time"]) if measured else None
        if fastest_rust:
            vs_rust = "%s (%s)" % (
                ratio(fastest_rust["time"] / s["time"]),
                RUST_NAMES.get(fastest_rust["name"], fastest_rust["name"]),
            )
        else:
            vs_rust = "not built" if rust else "—"
        out.append(
            "| %s | %s | %s | %s | %s | %s | %s |"
            % (article, what, ratio(vs_base), best_name, ratio(vs_peer), vs_rust, published or "—")
        )
    return out


def crossover(run: Dict[str, Any]) -> List[str]:
    """count_doubles_parallel against count_doubles (and rayon) at each size of
    the sweep, and the smallest size from which the parallel kernel is 10%
    faster."""
    rows = run["rows"]
    sizes = sorted(
        int(name[len("test_sweep_sequential[") : -1]) for name in rows if name.startswith("test_sweep_sequential[")
    )
    if not sizes:
        return []
    out = [
        "| letters | count_doubles | count_doubles_parallel vs count_doubles "
        "| Rust slice_parallel (rayon) vs count_doubles |",
        "|---:|---:|---:|---:|",
    ]
    first = None
    for n in sizes:
        seq = rows["test_sweep_sequential[%d]" % n]
        par = rows.get("test_sweep_parallel[%d]" % n)
        ray = rows.get("test_sweep_rust_slice_parallel[%d]" % n)
        speed = seq["time"] / par["time"] if par else None
        if speed and speed >= 1.1 and n >= MIN_PARALLEL_LETTERS:
            first = first or n
        else:
            first = None  # the crossover is the size from which every larger one pays
        out.append(
            "| %s | %s | %s | %s |"
            % (
                format(n, ","),
                fmt_time(seq["time"]),
                ratio(speed),
                ratio(seq["time"] / ray["time"]) if ray else "—",
            )
        )
    out += [
        "",
        "Crossover: count_doubles_parallel is at least 1.1x count_doubles from %s letters on (it counts on the "
        "calling thread alone below 4 MiB of storage, so smaller sizes differ by noise only)."
        % (format(first, ",") if first else "no size of the sweep"),
    ]
    m = run["extra"].get("machine") or {}
    busy = [x for x in (m.get("load_start"), m.get("load_end")) if x is not None and x >= 1]
    if busy:
        out += [
            "",
            "**This run's parallel ratios do not count**: the load average was %.1f (other work held the "
            "cores), so a helper thread waited for a core. Measure on an idle machine (`uptime` below 1): "
            "`make bench`, or `gokernels bench --only doubles`." % max(busy),
        ]
    return out


MIN_PARALLEL_LETTERS = 4 << 20  # kernels/doubles MinParallelBytes, in ASCII letters


def group_tables(run: Dict[str, Any]) -> List[str]:
    rows = run["rows"]
    missing = run["extra"].get("missing", [])
    groups: Dict[str, List[Dict[str, Any]]] = {}
    for r in rows.values():
        groups.setdefault(r["group"], []).append(r)
    out: List[str] = []
    for group in sorted(groups):
        members = sorted(groups[group], key=lambda r: r["time"])
        base = next((r for r in members if r["baseline"]), None)
        out += ["### " + group, ""]
        if base:
            out.append("Baseline: `%s`." % base["name"])
            out.append("")
        out += ["| implementation | median | ± stddev | rounds | vs baseline |", "|---|---:|---:|---:|---:|"]
        for r in members:
            out.append(
                "| `%s`%s | %s | %s | %s | %s |"
                % (
                    r["name"],
                    " (timed inside node)" if r["external"] else "",
                    fmt_time(r["time"]),
                    fmt_time(r["stddev"]) if r["stddev"] is not None and (r["rounds"] or 0) > 1 else "",
                    r["rounds"] if r["rounds"] is not None else "",
                    ratio(base["time"] / r["time"]) if base else "",
                )
            )
        for m in missing:
            if m.get("group") == group:
                out.append("| `%s` | %s | | | |" % (m["name"], m["message"]))
        out.append("")
    return out


def goal_table(run: Dict[str, Any]) -> List[str]:
    goals = run["extra"].get("goals", [])
    if not goals:
        return []
    out = ["| goal | measured | |", "|---|---|---|"]
    for g in goals:
        verdict = {True: "PASS", False: "MISS", None: "not run"}[g.get("ok")]
        out.append("| %s | %s | %s |" % (g["text"], g.get("measured", ""), verdict))
    return out


_GO_LINE = re.compile(r"^(Benchmark\S+)\s+(\d+)\s+([\d.]+) ns/op(?:\s+([\d.]+) MB/s)?")


def go_table(path: Optional[str]) -> List[str]:
    if not path or not os.path.exists(path):
        return []
    out = ["| package | benchmark | ns/op | MB/s |", "|---|---|---:|---:|"]
    pkg = ""
    with open(path) as f:
        for line in f:
            if line.startswith("pkg:"):
                pkg = line.split(":", 1)[1].strip()
            m = _GO_LINE.match(line)
            if m:
                out.append("| %s | `%s` | %s | %s |" % (pkg.split("/")[-1], m.group(1), m.group(3), m.group(4) or ""))
    return out if len(out) > 2 else []


def draw_plots(run: Dict[str, Any], docs: str) -> List[str]:
    from gokernels._bench.plot import draw

    panels: Dict[str, Dict[str, list]] = {}
    groups: Dict[str, str] = {}
    for r in run["rows"].values():
        e = r["extra"]
        if e.get("plot") and e.get("impl") and e.get("size"):
            panels.setdefault(e["plot"], {}).setdefault(e["impl"], []).append((e["size"], r["time"]))
            impl = e["impl"]
            groups[impl] = (
                "gokernels"
                if impl.startswith("gokernels")
                else "python"
                if impl.startswith(("pure", "regex"))
                else "peer"
            )
    missing: Dict[str, List[str]] = {}
    for m in run["extra"].get("missing", []):
        if m.get("plot") and m.get("impl") and m["impl"] not in missing.get(m["plot"], []):
            missing.setdefault(m["plot"], []).append(m["impl"])
    m = run["extra"].get("machine") or {}
    title = "Python %s, Go %s, %s (%s cores); shared, noisy machine: compare ratios" % (
        m.get("python", "?"),
        m.get("go", "?"),
        m.get("processor", "?"),
        m.get("cores", "?"),
    )
    written = []
    for plot, impls in panels.items():
        name = PLOTS.get(plot) or ("bench-" + re.sub(r"[^a-z0-9]+", "-", plot.lower()).strip("-") + ".png")
        if draw({plot: impls}, os.path.join(docs, name), title, groups, missing):
            written.append((plot, name))
    return ["![%s](%s)" % (plot, name) for plot, name in written]


def main(argv: Optional[List[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--json", default=os.path.join(ROOT, ".benchmarks", "results.json"))
    ap.add_argument("--go", default=os.path.join(ROOT, ".benchmarks", "go-bench.txt"))
    ap.add_argument("--out", default=os.path.join(ROOT, "docs", "benchmarks.md"))
    ap.add_argument(
        "--readme",
        default=os.path.join(ROOT, "README.md"),
        help="README whose headline table (between its markers) to rewrite; '' for none",
    )
    args = ap.parse_args(argv)
    if not os.path.exists(args.json):
        print("report.py: no results at %s: run `make bench` first" % args.json, file=sys.stderr)
        return 2
    run = load(args.json)
    docs = os.path.dirname(os.path.abspath(args.out))
    os.makedirs(docs, exist_ok=True)
    images = draw_plots(run, docs)
    missing = run["extra"].get("missing", [])
    page = [
        "# Benchmarks",
        "",
        "Generated by `make bench` (`tools/bench/report.py` from `.benchmarks/results.json`); "
        "`make bench-report` redraws this page from the saved run. Each table of the five articles "
        "(`shared/ARTICLES.md`) is reproduced side by side with its peers, and every answer is asserted "
        "before it is timed.",
        "",
        *machine_lines(run),
        "",
        "> **Read the ratios, not the times.** The load average above says how busy the machine was. "
        "Every ratio below divides two times measured in the same run; the articles' machines differ "
        "from ours, so their figures are ratios too, and the articles' Rust is measured here "
        "(benchmarks/rust, lz-str through its published wrapper lzma_pyo3 too). Each time is the median "
        "round. *Warm* rows call their implementation again and again on the same input, which then stays "
        "in the 32 MB L3 cache for every implementation alike; *fresh* rows take a new input each call "
        "from a pool three times the cache, as a program counting new data sees it.",
        "",
        "## The articles' tables, side by side",
        "",
        "*vs baseline*: how many times faster than the workload's baseline (the article's pure-Python "
        "version unless said otherwise). *best peer*: the fastest non-gokernels implementation in the "
        "same table (numpy, numba, Cython, set(), DataSketches, node).",
        "",
        *headline(run),
        "",
    ]
    cross = crossover(run)
    if cross:
        page += [
            "## count_doubles_parallel: where it starts to pay",
            "",
            "Warm strings of each size, the same run. count_doubles_parallel counts on the calling thread and "
            "claims 256 KiB pieces with its helper goroutines, so it never waits for a helper the machine "
            "starts late; below 4 MiB it does not start one.",
            "",
            *cross,
            "",
        ]
    if images:
        page += [
            "## Time against input size",
            "",
            "Log-log, one line per implementation, like the lz-string article's chart "
            "(`gokernels bench --plot FILE.png` draws the same from built-in inputs).",
            "",
        ]
        for img in images:
            page += [img, ""]
    if missing:
        page += ["## Missing peers", "", "These rows were skipped because the peer could not run here:", ""]
        page += ["- `%s`: %s" % (m["name"], m["message"]) for m in missing] + [""]
    goals = goal_table(run)
    if goals:
        page += [
            "## Goals",
            "",
            "Each benchmark module's GOALS (benchmarks/), judged on this run's medians.",
            "",
            *goals,
            "",
        ]
    page += ["## Every table", "", *group_tables(run)]
    go = go_table(args.go)
    if go:
        page += [
            "## Go kernels alone (`go test -bench`)",
            "",
            "The kernels without Python: the ceiling the bindings approach.",
            "",
            *go,
            "",
        ]
    with open(args.out, "w") as f:
        f.write("\n".join(page).rstrip() + "\n")
    print("wrote %s and %d plot(s) in %s" % (args.out, len(images), docs))
    if args.readme:
        if write_readme(run, args.readme):
            print("rewrote the headline table in %s" % args.readme)
        else:
            print("report.py: no headline markers in %s: left alone" % args.readme, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
