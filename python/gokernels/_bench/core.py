"""Timing and reporting for `gokernels bench`.

A suite is a list of cases; a case is one input and the implementations timed
on it. Every implementation's answer is checked against the case's expected
value before it is timed, so a fast wrong answer fails the run instead of
winning it. Times are the best of a few repeats of an auto-ranged loop, like
timeit; speed-ups are ratios within one run, which is what carries over
between machines.
"""

import datetime
import json
import math
import os
import platform
import sys
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional


def prepared(make: Callable[[], Callable[[], Any]]) -> Callable[[], Any]:
    """A timed call whose function make() builds, with its inputs, the first
    time it is needed: in prepare(), which the adapter calls before timing
    (collecting the tests builds nothing), or at the first call."""
    state: Dict[str, Callable[[], Any]] = {}

    def prepare() -> None:
        if "fn" not in state:
            state["fn"] = make()

    def run() -> Any:
        prepare()
        return state["fn"]()

    run.prepare = prepare  # type: ignore[attr-defined]
    return run


@dataclass
class Goal:
    """An issue's goal, judged by `make bench` (benchmarks/conftest.py) on
    the medians of pytest-benchmark tests named by subject and baseline:
    subject's time / baseline's <= at_most, or baseline's / subject's >=
    at_least; or subject must reach gbps on nbytes, or stay under ns."""

    text: str
    subject: str
    baseline: Optional[str] = None
    at_most: Optional[float] = None
    at_least: Optional[float] = None
    nbytes: Optional[int] = None
    gbps: Optional[float] = None
    ns: Optional[float] = None


@dataclass
class Impl:
    name: str
    fn: Callable[[], Any]  # one call of the implementation on the case's input
    baseline: bool = False  # the pure-Python version the speed-ups divide
    group: str = ""  # "python", "peer", "rust" (the articles' Rust kernels, also a peer), "gokernels"
    missing: Optional[str] = None  # why a peer could not run (not installed, ...)
    expected: Any = None  # this implementation's own answer, when the case's cannot serve (see has_expected)
    has_expected: bool = False
    key: str = ""  # with Case.key: the pytest-benchmark test is test_<case key>_<impl key>
    rounds: int = 0  # pytest-benchmark: this many rounds of one call (a slow baseline), 0 for its default
    check: Optional[Callable[[Any, Any], bool]] = None  # replaces the case's check for this implementation
    bench_name: str = ""  # pytest-benchmark: the name it records, when not the test's (test_x_y for test_x[y])


@dataclass
class Case:
    suite: str
    title: str
    expected: Any
    impls: List[Impl]
    size: int = 0  # input size, for plots
    check: Optional[Callable[[Any, Any], bool]] = None  # default: ==
    plot: str = ""  # cases sharing a plot name are the points of one time-vs-size chart (--plot)
    compact: bool = False  # print with the other cases of its plot as one table, a column per size
    versus: str = "pure Python"  # what the baseline is, for the speed-up column's heading
    # pytest-benchmark (benchmarks/test_bench_cases.py) times the cases that have a key, one test
    # per implementation, in the benchmark group `group` (default: the title), judging `goals`
    key: str = ""
    group: str = ""
    goals: List[Goal] = field(default_factory=list)
    # pytest-benchmark: time each call in rounds of about a millisecond of back-to-back calls (a tiny call);
    # an Impl key "[id]" makes it the parameter id of one test test_<case key>[id]
    per_call: bool = False
    cls: str = ""  # pytest-benchmark: the tests are methods of this test class (TestArticle::test_...)


@dataclass
class Result:
    suite: str
    title: str
    impl: str
    group: str
    seconds: Optional[float]
    size: int
    ok: bool
    note: str = ""
    speedup: Optional[float] = None
    plot: str = ""
    compact: bool = False
    versus: str = "pure Python"
    extra: Dict[str, Any] = field(default_factory=dict)


def best_time(fn: Callable[[], Any], quick: bool) -> float:
    """Seconds per call: the best of several repeats of an auto-ranged loop.
    A slow implementation (a pure-Python loop over 10M items) gets fewer
    repeats: they stop once they have taken `budget` seconds."""
    target = 0.02 if quick else 0.1
    repeats = 3 if quick else 5
    budget = 0.3 if quick else 1.5
    number = 1
    while True:
        start = time.perf_counter()
        for _ in range(number):
            fn()
        elapsed = time.perf_counter() - start
        if elapsed >= target or number >= 1 << 24:
            break
        number = max(number * 2, int(number * target / max(elapsed, 1e-9) * 1.2))
    best = elapsed / number
    spent = elapsed
    for _ in range(repeats - 1):
        if spent >= budget:
            break
        start = time.perf_counter()
        for _ in range(number):
            fn()
        elapsed = time.perf_counter() - start
        spent += elapsed
        best = min(best, elapsed / number)
    return best


class Progress:
    """Progress on stderr while the benchmarks run: on a terminal, one status
    line rewritten in place; otherwise (a pipe, a log, CI) one line per
    preparation step and per finished table, and a summary at the end."""

    def __init__(self, total: int, stream=None):
        self.stream = stream if stream is not None else sys.stderr
        self.total, self.done, self.tables = total, 0, 0
        self.live = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.start = time.perf_counter()

    def _line(self, text: str) -> None:
        self.stream.write("gokernels bench: [%4.0f s] %s\n" % (time.perf_counter() - self.start, text))
        self.stream.flush()

    def note(self, what: str) -> None:
        """Show what is happening before the first step (building peers, ...)."""
        if self.live:
            self.stream.write("\r\033[K%s" % what[:78])
            self.stream.flush()
        else:
            self._line(what)

    def step(self, what: str) -> None:
        self.done += 1
        if self.live:
            self.stream.write("\r\033[K[%d/%d] %s" % (self.done, self.total, what[:70]))
            self.stream.flush()

    def table(self, case: "Case", rows: List["Result"]) -> None:
        """A case's table is finished."""
        self.tables += 1
        if not self.live:
            timed = [r for r in rows if r.seconds]
            fastest = min(timed, key=lambda r: r.seconds) if timed else None
            self._line(
                "done %d/%d rows: %s%s"
                % (
                    self.done,
                    self.total,
                    case.title,
                    " (fastest: %s, %s)" % (fastest.impl, format_time(fastest.seconds)) if fastest else "",
                )
            )

    def close(self, results: Optional[List["Result"]] = None) -> None:
        if self.live:
            self.stream.write("\r\033[K")
            self.stream.flush()
        elif results is not None:
            timed = sum(1 for r in results if r.seconds)
            missing = sum(1 for r in results if r.note.startswith("missing"))
            wrong = sum(1 for r in results if not r.ok)
            self._line(
                "finished: %d tables, %d rows timed, %d missing, %d wrong answers"
                % (self.tables, timed, missing, wrong)
            )


def run_cases(cases: List[Case], quick: bool, progress: Progress) -> List[Result]:
    results = []
    for case in cases:
        base = None
        rows = []
        for impl in case.impls:
            progress.step("%s: %s" % (case.title, impl.name))
            row = Result(
                case.suite,
                case.title,
                impl.name,
                impl.group,
                None,
                case.size,
                True,
                plot=case.plot,
                compact=case.compact,
                versus=case.versus,
            )
            rows.append(row)
            if impl.missing:
                row.note = "missing: " + impl.missing
                continue
            expected = impl.expected if impl.has_expected else case.expected
            got = impl.fn()
            check = impl.check or case.check
            same = check(got, expected) if check else got == expected
            if not same:
                row.ok = False
                row.note = "WRONG ANSWER: %r, expected %r" % (_short(got), _short(expected))
                continue
            row.seconds = best_time(impl.fn, quick)
            if impl.baseline:
                base = row.seconds
        for r in rows:
            if base and r.seconds:
                r.speedup = base / r.seconds
        results.extend(rows)
        progress.table(case, rows)
    return results


def _short(x: Any) -> Any:
    s = repr(x)
    return s if len(s) < 60 else s[:57] + "..."


def format_time(seconds: float, micro: str = "us") -> str:
    """1.23 s, 45.6 ms, 789 us, 12.3 ns: three significant digits. The one
    time formatter of `gokernels bench`, pytest-benchmark's summary and
    tools/bench/report.py (which passes micro="\u00b5s" for the page)."""
    for unit, scale in (("s", 1.0), ("ms", 1e-3), (micro, 1e-6), ("ns", 1e-9)):
        if seconds >= scale or unit == "ns":
            return "%.3g %s" % (seconds / scale, unit)
    return "%g s" % seconds


def format_ratio(x: float) -> str:
    """1234x, 56.7x, 1.23x, 0.0021x: two or more significant digits. The one
    ratio formatter (`gokernels bench`, benchmarks/conftest.py, report.py)."""
    if x >= 100:
        return "%.0fx" % x
    if x >= 10:
        return "%.1fx" % x
    if x >= 0.995:
        return "%.2fx" % x
    return "%.2gx" % x


def format_size(n: int) -> str:
    """100, 2k, 9.9k, 1M: a size short enough for a column heading."""
    for suffix, scale in (("M", 10**6), ("k", 10**3)):
        if n >= scale:
            return ("%.3g" % (n / scale)) + suffix
    return str(n)


def format_tables(results: List[Result]) -> str:
    """One table per case: time, speed-up over pure Python, and over the
    fastest peer (numpy, set(), ...) where the case has peers. Compact cases
    (a size sweep) print as one table per plot, a column per size."""
    out: List[str] = []
    order: List[Any] = []
    for r in results:
        key = ("plot", r.plot) if r.compact else ("case", r.title)
        if key not in order:
            order.append(key)
    for kind, name in order:
        if kind == "plot":
            out.extend(_sweep_table(name, [r for r in results if r.compact and r.plot == name]))
        else:
            out.extend(_case_table(name, [r for r in results if not r.compact and r.title == name]))
        out.append("")
    return "\n".join(out)


PEER_GROUPS = ("peer", "rust")


def _case_table(title: str, rows: List[Result]) -> List[str]:
    """vs best peer: the fastest peer's time (numpy, numba, Rust, ...) over
    this row's; vs Rust: the same against the fastest of the articles' Rust
    kernels, when the table has any."""
    peers = [r.seconds for r in rows if r.group in PEER_GROUPS and r.seconds]
    best_peer = min(peers) if peers else None
    rust = [r.seconds for r in rows if r.group == "rust" and r.seconds]
    best_rust = min(rust) if rust else None
    has_rust = any(r.group == "rust" for r in rows)
    width = max(len(r.impl) for r in rows) + 2
    versus = "vs " + rows[0].versus
    head = "  %-*s %10s %16s %14s" % (width, "implementation", "time", versus, "vs best peer")
    out = [title, head + ("%10s" % "vs Rust" if has_rust else "")]
    for r in rows:
        if r.seconds is None:
            out.append("  %-*s %s" % (width, r.impl, r.note))
            continue
        speed = format_ratio(r.speedup) if r.speedup else ""
        ours = r.group not in PEER_GROUPS
        vs_peer = format_ratio(best_peer / r.seconds) if best_peer and ours else ""
        line = "  %-*s %10s %16s %14s" % (width, r.impl, format_time(r.seconds), speed, vs_peer)
        if has_rust:
            line += "%10s" % (format_ratio(best_rust / r.seconds) if best_rust and ours else "")
        out.append(line.rstrip())
    return out


def _sweep_table(plot: str, rows: List[Result]) -> List[str]:
    sizes = sorted({r.size for r in rows})
    impls: List[str] = []
    for r in rows:
        if r.impl not in impls:
            impls.append(r.impl)
    cell = {(r.impl, r.size): r for r in rows}
    largest = sizes[-1]
    width = max(len(i) for i in impls) + 2
    head = "  %-*s" % (width, "implementation") + "".join("%10s" % format_size(n) for n in sizes)
    out = [plot + ": time per input size", head + "   vs %s at %s" % (rows[0].versus, format_size(largest))]
    notes = []
    for impl in impls:
        line = "  %-*s" % (width, impl)
        for n in sizes:
            point = cell.get((impl, n))
            if point is None:
                text = ""
            elif point.seconds is not None:
                text = format_time(point.seconds)
            elif not point.ok:
                text = "WRONG"
                notes.append("  %s at %s: %s" % (impl, format_size(n), point.note))
            else:
                text = "missing"
                note = "  %s: %s" % (impl, point.note)
                if note not in notes:
                    notes.append(note)
            line += "%10s" % text
        last = cell.get((impl, largest))
        if last is not None and last.speedup:
            line += "   " + format_ratio(last.speedup)
        out.append(line.rstrip())
    return out + notes


def machine_info() -> Dict[str, Any]:
    import gokernels
    from gokernels._bench.peers import go_version, versions

    peers = versions()
    return {
        "python": sys.version.split()[0],
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "processor": _cpu_model(),
        "cores": os.cpu_count(),
        "gokernels": gokernels.__version__,
        "go": go_version(),
        "numpy": peers.get("numpy"),
        "peers": peers,
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    }


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def write_json(path: str, results: List[Result], machine: Optional[Dict[str, Any]] = None) -> None:
    data = {
        "machine": machine or machine_info(),
        "results": [
            {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in r.__dict__.items()} for r in results
        ],
    }
    with open(path, "w") as f:
        json.dump(data, f, indent=1)
