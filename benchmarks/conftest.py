"""Benchmark suite: pytest-benchmark, with every benchmark asserting its answer.

`pytest benchmarks --benchmark-disable` runs each benchmark once as a
correctness smoke test (CI does that). A timed run (`make bench`) ends with a
table of ratios against the baseline measured in the same run, and with the
issue goals each module declares in GOALS, so results carry over between
machines. Ratios and goals use each benchmark's median round: on a shared
machine a few rounds stall behind other work, which drags a mean but not a
median.

A peer that cannot run here (not installed, no compiler) is skipped with the
message "peer NAME missing: reason" (use `need` or `skip_missing`), and every
such skip is listed at the end of the run and in the saved JSON: rows never
vanish silently. --benchmark-json output gains a "gokernels" section: times
measured outside Python, missing peers, judged goals, versions (read by
tools/bench/report.py).
"""

import os
import subprocess
from typing import Any, Dict, List, Optional

import pytest

from gokernels._bench import core

# The goals' type lives with the cases (gokernels._bench.core), which carry their own goals;
# the modules here import it from this file, as before.
Goal = core.Goal

_goals: List[Goal] = []
_external: Dict[str, Dict[str, Any]] = {}  # name -> {"seconds", "group", "extra_info"}, timed outside Python
_missing: Dict[str, Dict[str, Any]] = {}  # test name -> {"group", "message"}


def skip_missing(peer: str, reason: str):
    """Skip the current test because a peer cannot run here (and say why)."""
    pytest.skip("peer %s missing: %s" % (peer, reason))


def need(peer_and_reason, peer: str):
    """For the (function, reason) pairs of gokernels._bench.peers: the
    function, or a skip naming the missing peer."""
    fn, why = peer_and_reason
    if fn is None:
        skip_missing(peer, why)
    return fn


def rust(name: str):
    """A function of the articles' Rust kernels (benchmarks/rust, built by
    `make rust-peers`), or a skip naming the missing peer."""
    from gokernels._bench import peers

    return need(peers.rust(name), "Rust")


def on_plot(benchmark, plot: str, impl: str, size: int) -> None:
    """Marks a benchmark as one point of a time-vs-size chart (report.py)."""
    benchmark.extra_info.update(plot=plot, impl=impl, size=size)


_load: Dict[str, Optional[float]] = {"start": None}


def _load_average() -> Optional[float]:
    try:
        return os.getloadavg()[0]
    except (AttributeError, OSError):
        return None


def pytest_sessionstart(session):
    _load["start"] = _load_average()


def pytest_collection_modifyitems(session, config, items):
    seen = set()
    for item in items:
        mod = getattr(item, "module", None)
        if mod is not None and mod not in seen:
            seen.add(mod)
            _goals.extend(getattr(mod, "GOALS", []))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.skipped and call.excinfo is not None:
        message = str(call.excinfo.value)
        if message.startswith("peer ") and " missing: " in message:
            marker = item.get_closest_marker("benchmark")
            group = marker.kwargs.get("group") if marker else None
            bench = getattr(item, "funcargs", {}).get("benchmark")
            info = getattr(bench, "extra_info", None) or {}
            _missing[item.name] = {
                "group": group,
                "message": message,
                "plot": info.get("plot"),
                "impl": info.get("impl"),
            }


def _means(config):
    bs = getattr(config, "_benchmarksession", None)
    if bs is None or bs.disabled:
        return None, {}
    means, groups = {name: e["seconds"] for name, e in _external.items()}, {}
    for b in bs.benchmarks:
        if not b.stats or not b.stats.rounds:
            continue
        means[b.name] = b.stats.median
        groups.setdefault(b.group or "", []).append((b.name, b.stats.median, bool(b.extra_info.get("baseline")), ""))
    for name, e in _external.items():
        if e["group"]:
            groups.setdefault(e["group"], []).append((name, e["seconds"], False, " (timed outside Python)"))
    return groups, means


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    tr = terminalreporter
    groups, means = _means(config)
    if groups:
        tr.section("ratios within this run (medians)")
        for group, rows in sorted(groups.items()):
            base = [r for r in rows if r[2]]
            base_mean = base[0][1] if base else None
            tr.write_line("%s%s" % (group, " (baseline: %s)" % base[0][0] if base else ""))
            for name, mean, _, note in sorted(rows, key=lambda r: r[1]):
                ratio = " %10s faster" % _ratio(base_mean / mean) if base_mean else ""
                tr.write_line("  %-60s %12s%s%s" % (name, _time(mean), ratio, note))
            for name, m in sorted(_missing.items()):
                if m["group"] == group:
                    tr.write_line("  %-60s %s" % (name, m["message"]))
        loose = [(n, e) for n, e in sorted(_external.items()) if not e["group"]]
        if loose:
            tr.write_line("timed outside Python:")
            for name, e in loose:
                tr.write_line("  %-60s %12s" % (name, _time(e["seconds"])))
    if _missing:
        tr.section("missing peers (their rows were skipped, not dropped)")
        for name, m in sorted(_missing.items()):
            tr.write_line("  %s: %s" % (name, m["message"]))
    if groups and _goals:
        tr.section("goals")
        for g in _goals:
            tr.write_line(_judge(g, means)[0])


_ratio, _time = core.format_ratio, core.format_time  # the one pair of formatters


def _judge(g, means):
    """(line, ok or None when not run, measured text)"""
    s = means.get(g.subject)
    if s is None:
        return "  ?    %s (%s not run)" % (g.text, g.subject), None, "not run"
    if g.baseline is not None:
        b = means.get(g.baseline)
        if b is None:
            return "  ?    %s (%s not run)" % (g.text, g.baseline), None, "not run"
        if g.at_most is not None:
            ok, what = s / b <= g.at_most, "%s the time of %s" % (_ratio(s / b), g.baseline)
        else:
            ok, what = b / s >= g.at_least, "%s faster than %s" % (_ratio(b / s), g.baseline)
    elif g.gbps is not None:
        rate = g.nbytes / s / 1e9
        ok, what = rate >= g.gbps, "%.1f GB/s" % rate
    else:
        ok, what = s * 1e9 <= g.ns, "%.0f ns" % (s * 1e9)
    return "  %s %s: %s" % ("PASS" if ok else "MISS", g.text, what), ok, what


def _versions():
    info = core.machine_info()
    info["load_start"], info["load_end"] = _load["start"], _load_average()
    try:
        info["node"] = subprocess.run(["node", "--version"], capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        info["node"] = None
    return info


def pytest_benchmark_update_json(config, benchmarks, output_json):
    _, means = _means(config)
    output_json["gokernels"] = {
        "machine": _versions(),
        "smoke": bool(os.environ.get("GOKERNELS_BENCH_SMOKE")),
        "external": [dict(name=name, **e) for name, e in sorted(_external.items())],
        "missing": [dict(name=name, **m) for name, m in sorted(_missing.items())],
        "goals": [
            dict(zip(("line", "ok", "measured"), _judge(g, means)), text=g.text, subject=g.subject, baseline=g.baseline)
            for g in _goals
        ],
    }


@pytest.fixture(scope="session")
def external():
    """Records a time measured outside Python (e.g. inside node) under a name
    that goals can use like a benchmark's: external(name, seconds), or with
    group= to list it among that group's ratios, and plot=, impl=, size= to
    make it a point of a chart."""

    def record(name: str, seconds: float, group: Optional[str] = None, **extra_info: Any) -> None:
        _external[name] = {"seconds": seconds, "group": group, "extra_info": extra_info}

    return record


@pytest.fixture
def baseline(benchmark):
    """A benchmark whose time the others in its group are divided by."""
    benchmark.extra_info["baseline"] = True
    return benchmark
