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
import time
from functools import partial
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


# ---- the adapter: gokernels._bench cases as pytest-benchmark tests ----


def _right(case, impl, got):
    expected = impl.expected if impl.has_expected else case.expected
    check = impl.check or case.check
    return check(got, expected) if check else got == expected


def _per_call(benchmark, fn):
    """Times fn in rounds of about a millisecond (the first call loads Go)."""
    fn()
    target, args, kwargs = fn, (), {}
    if isinstance(fn, partial):  # call the function itself, without partial's layer
        target, args, kwargs = fn.func, fn.args, fn.keywords
    iterations = 1
    if not benchmark.disabled:
        start = time.perf_counter()
        for _ in range(200):
            fn()
        per_call = (time.perf_counter() - start) / 200
        iterations = max(1, min(10_000, int(1e-3 / max(per_call, 1e-9))))
    return benchmark.pedantic(target, args, kwargs, iterations=iterations, rounds=100, warmup_rounds=1)


def time_case(benchmark, case, impl):
    """Times one implementation of a case and checks its answer."""
    benchmark.group = case.group or case.title
    if impl.bench_name:
        benchmark.name = impl.bench_name
    if case.plot:  # before a skip: a missing peer is listed on its chart
        on_plot(benchmark, case.plot, impl.name, case.size)
    if impl.missing:
        skip_missing(impl.name, impl.missing)
    if impl.baseline:
        benchmark.extra_info["baseline"] = True
    prepare = getattr(impl.fn, "prepare", None)
    if prepare is not None:  # builds a lazy input (a fresh-input pool) outside the timing
        prepare()
    if case.per_call:
        got = _per_call(benchmark, impl.fn)
    elif impl.rounds:
        got = benchmark.pedantic(impl.fn, rounds=impl.rounds, iterations=1)
    else:
        got = benchmark(impl.fn)
    assert _right(case, impl, got), "%s / %s: wrong answer %r" % (case.title, impl.name, got)


def _single(case, impl, method):
    if method:

        def run_method(self, benchmark):
            time_case(benchmark, case, impl)

        return run_method

    def run(benchmark):
        time_case(benchmark, case, impl)

    return run


def _parametrized(method):
    if method:

        def run_method(self, benchmark, impl):
            time_case(benchmark, *impl)

        return run_method

    def run(benchmark, impl):
        time_case(benchmark, *impl)

    return run


def register_cases(namespace: Dict[str, Any], cases) -> List[Goal]:
    """Makes each keyed implementation of the cases a test in namespace (a
    test module's globals()) and returns the cases' goals. Impl key "k" is
    the test test_<case key>_k (test_k for a case keyed ""); "k[id]" (or "[id]") is the parameter id of
    one test test_<case key>_k (test_<case key>) whose parameters may come
    from several cases (a size sweep, one case per size). With Case.cls the
    tests are methods of that class (made, or the module's own class with
    hand-written tests, extended)."""
    singles, params = [], {}
    for case in cases:
        for impl in case.impls:
            assert impl.key, "%s / %s has no key" % (case.title, impl.name)
            base, bracket, rest = impl.key.partition("[")
            name = "_".join(["test"] + [part for part in (case.key, base) if part])
            if bracket:
                params.setdefault((case.cls, name), []).append((case, impl, rest[:-1]))
            else:
                singles.append((case.cls, name, case, impl))
    tests = [(cls, name, case, _single(case, impl, bool(cls)), None, impl.name) for cls, name, case, impl in singles]
    for (cls, name), rows in params.items():
        tests.append((cls, name, rows[0][0], _parametrized(bool(cls)), rows, "one test per implementation"))
    for cls, name, case, run, rows, what in tests:
        run.__name__ = name
        run.__doc__ = "%s: %s" % (case.title, what)
        if rows:
            run = pytest.mark.parametrize("impl", [r[:2] for r in rows], ids=[r[2] for r in rows])(run)
        run = pytest.mark.benchmark(group=case.group or case.title)(run)
        if cls:
            klass = namespace.setdefault(cls, type(cls, (), {}))
            assert name not in vars(klass), "two benchmarks named %s::%s" % (cls, name)
            run.__qualname__ = "%s.%s" % (cls, name)
            setattr(klass, name, run)
        else:
            assert name not in namespace, "two benchmarks named " + name
            run.__qualname__ = name
            namespace[name] = run
    return [g for case in cases for g in case.goals]
