"""Benchmark suite: pytest-benchmark, with every benchmark asserting its answer.

`pytest benchmarks --benchmark-disable` runs each benchmark once as a
correctness smoke test (CI does that). A timed run (`make bench`) ends with a
table of ratios against the baseline measured in the same run, and with the
issue goals each module declares in GOALS, so results carry over between
machines.
"""

from dataclasses import dataclass
from typing import Optional

import pytest


@dataclass
class Goal:
    """subject's mean time divided by baseline's must be <= at_most (or
    baseline / subject >= at_least); or subject must reach gbps / stay under ns."""

    text: str
    subject: str
    baseline: Optional[str] = None
    at_most: Optional[float] = None
    at_least: Optional[float] = None
    nbytes: Optional[int] = None
    gbps: Optional[float] = None
    ns: Optional[float] = None


_goals = []
_external = {}  # benchmark name -> seconds per call, timed outside Python (node)


def pytest_collection_modifyitems(session, config, items):
    seen = set()
    for item in items:
        mod = getattr(item, "module", None)
        if mod is not None and mod not in seen:
            seen.add(mod)
            _goals.extend(getattr(mod, "GOALS", []))


def _means(config):
    bs = getattr(config, "_benchmarksession", None)
    if bs is None or bs.disabled:
        return None, {}
    means, groups = dict(_external), {}
    for b in bs.benchmarks:
        if not b.stats or not b.stats.rounds:
            continue
        means[b.name] = b.stats.mean
        groups.setdefault(b.group or "", []).append(b)
    return groups, means


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    groups, means = _means(config)
    if not groups:
        return
    tr = terminalreporter
    tr.section("ratios within this run")
    for group, benches in sorted(groups.items()):
        base = [b for b in benches if b.extra_info.get("baseline")]
        base_mean = base[0].stats.mean if base else None
        tr.write_line("%s%s" % (group, " (baseline: %s)" % base[0].name if base else ""))
        for b in sorted(benches, key=lambda b: b.stats.mean):
            ratio = " %10.1fx faster" % (base_mean / b.stats.mean) if base_mean else ""
            tr.write_line("  %-60s %12.3f us%s" % (b.name, b.stats.mean * 1e6, ratio))
    if _external:
        tr.write_line("timed outside Python:")
        for name, seconds in sorted(_external.items()):
            tr.write_line("  %-60s %12.3f us" % (name, seconds * 1e6))
    if _goals:
        tr.section("goals")
        for g in _goals:
            tr.write_line(_judge(g, means))


def _judge(g, means):
    s = means.get(g.subject)
    if s is None:
        return "  ?    %s (%s not run)" % (g.text, g.subject)
    if g.baseline is not None:
        b = means.get(g.baseline)
        if b is None:
            return "  ?    %s (%s not run)" % (g.text, g.baseline)
        if g.at_most is not None:
            ok, what = s / b <= g.at_most, "%.2fx the time of %s" % (s / b, g.baseline)
        else:
            ok, what = b / s >= g.at_least, "%.1fx faster than %s" % (b / s, g.baseline)
    elif g.gbps is not None:
        rate = g.nbytes / s / 1e9
        ok, what = rate >= g.gbps, "%.1f GB/s" % rate
    else:
        ok, what = s * 1e9 <= g.ns, "%.0f ns" % (s * 1e9)
    return "  %s %s: %s" % ("PASS" if ok else "MISS", g.text, what)


@pytest.fixture(scope="session")
def external():
    """Records a time measured outside Python (e.g. inside node) under a name
    that goals can use like a benchmark's."""
    return _external.__setitem__


@pytest.fixture
def baseline(benchmark):
    """A benchmark whose time the others in its group are divided by."""
    benchmark.extra_info["baseline"] = True
    return benchmark
