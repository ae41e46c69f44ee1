"""Timing and reporting for `gokernels bench`.

A suite is a list of cases; a case is one input and the implementations timed
on it. Every implementation's answer is checked against the case's expected
value before it is timed, so a fast wrong answer fails the run instead of
winning it. Times are the best of a few repeats of an auto-ranged loop, like
timeit; speed-ups are ratios within one run, which is what carries over
between machines.
"""

import json
import math
import platform
import sys
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional


@dataclass
class Impl:
    name: str
    fn: Callable[[], Any]  # one call of the implementation on the case's input
    baseline: bool = False  # the pure-Python version the speed-ups divide
    group: str = ""  # "python", "peer", "gokernels"
    missing: Optional[str] = None  # why a peer could not run (not installed, ...)


@dataclass
class Case:
    suite: str
    title: str
    expected: Any
    impls: List[Impl]
    size: int = 0  # input size, for plots
    check: Optional[Callable[[Any, Any], bool]] = None  # default: ==


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
    extra: Dict[str, Any] = field(default_factory=dict)


def best_time(fn: Callable[[], Any], quick: bool) -> float:
    """Seconds per call: the best of several repeats of an auto-ranged loop."""
    target = 0.02 if quick else 0.2
    repeats = 3 if quick else 5
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
    for _ in range(repeats - 1):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        best = min(best, (time.perf_counter() - start) / number)
    return best


class Progress:
    """One status line on stderr while the benchmarks run (only on a terminal)."""

    def __init__(self, total: int, stream=sys.stderr):
        self.total, self.done, self.stream = total, 0, stream
        self.live = hasattr(stream, "isatty") and stream.isatty()

    def step(self, what: str) -> None:
        self.done += 1
        if self.live:
            self.stream.write("\r\033[K[%d/%d] %s" % (self.done, self.total, what[:70]))
            self.stream.flush()

    def close(self) -> None:
        if self.live:
            self.stream.write("\r\033[K")
            self.stream.flush()


def run_cases(cases: List[Case], quick: bool, progress: Progress) -> List[Result]:
    results = []
    for case in cases:
        base = None
        rows = []
        for impl in case.impls:
            progress.step("%s: %s" % (case.title, impl.name))
            if impl.missing:
                rows.append(
                    Result(
                        case.suite, case.title, impl.name, impl.group, None, case.size, True, "missing: " + impl.missing
                    )
                )
                continue
            got = impl.fn()
            same = case.check(got, case.expected) if case.check else got == case.expected
            if not same:
                rows.append(
                    Result(
                        case.suite,
                        case.title,
                        impl.name,
                        impl.group,
                        None,
                        case.size,
                        False,
                        "WRONG ANSWER: %r, expected %r" % (_short(got), _short(case.expected)),
                    )
                )
                continue
            seconds = best_time(impl.fn, quick)
            if impl.baseline:
                base = seconds
            rows.append(Result(case.suite, case.title, impl.name, impl.group, seconds, case.size, True))
        for r in rows:
            if base and r.seconds:
                r.speedup = base / r.seconds
        results.extend(rows)
    return results


def _short(x: Any) -> Any:
    s = repr(x)
    return s if len(s) < 60 else s[:57] + "..."


def format_time(seconds: float) -> str:
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("us", 1e-6), ("ns", 1e-9)):
        if seconds >= scale or unit == "ns":
            return "%.3g %s" % (seconds / scale, unit)
    return "%g s" % seconds


def format_tables(results: List[Result]) -> str:
    """One table per case: time, speed-up over pure Python, and over the
    fastest peer (numpy, set(), ...) where the case has peers."""
    out = []
    titles = []
    for r in results:
        if r.title not in titles:
            titles.append(r.title)
    for title in titles:
        rows = [r for r in results if r.title == title]
        peers = [r.seconds for r in rows if r.group == "peer" and r.seconds]
        best_peer = min(peers) if peers else None
        width = max(len(r.impl) for r in rows) + 2
        out.append(title)
        out.append("  %-*s %10s %16s %14s" % (width, "implementation", "time", "vs pure Python", "vs best peer"))
        for r in rows:
            if r.seconds is None:
                out.append("  %-*s %s" % (width, r.impl, r.note))
                continue
            speed = "%.1fx" % r.speedup if r.speedup else ""
            vs_peer = "%.2fx" % (best_peer / r.seconds) if best_peer and r.group != "peer" else ""
            out.append("  %-*s %10s %16s %14s" % (width, r.impl, format_time(r.seconds), speed, vs_peer))
        out.append("")
    return "\n".join(out)


def machine_info() -> Dict[str, Any]:
    import gokernels

    return {
        "python": sys.version.split()[0],
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "processor": _cpu_model(),
        "gokernels": gokernels.__version__,
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


def write_json(path: str, results: List[Result]) -> None:
    data = {
        "machine": machine_info(),
        "results": [
            {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in r.__dict__.items()} for r in results
        ],
    }
    with open(path, "w") as f:
        json.dump(data, f, indent=1)
