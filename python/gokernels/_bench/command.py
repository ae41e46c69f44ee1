"""`gokernels bench`: the parser and the run, registered by gokernels.cli."""

import argparse
import os
import sys

EPILOG = """\
Every answer is checked against the pure-Python version's before it is timed.
Times are the best of several runs; the speed-ups are ratios measured in the
same run, which is what carries over between machines. Peers that are not
installed (numba, Cython, datasketches, ...) are listed as missing.

--plot draws time against input size, log-log, one line per implementation,
for the size sweeps of the doubles and lzstring suites; it needs matplotlib
(pip install 'gokernels[plot]').
"""


def add_parser(sub) -> None:
    from gokernels._bench import SUITES

    bench = sub.add_parser(
        "bench",
        help="time every kernel against its pure-Python version and the articles' peers",
        description="Time every kernel against its pure-Python version and peers on built-in inputs.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    bench.add_argument("--quick", action="store_true", help="smaller inputs and shorter timings (about 15 s)")
    bench.add_argument("--json", metavar="FILE", help="also write the results as JSON to FILE")
    bench.add_argument("--plot", metavar="FILE.png", help="also draw time against input size into FILE.png")
    bench.add_argument(
        "--only",
        metavar="SUITE",
        action="append",
        help="run only this suite (repeatable): %s" % ", ".join(SUITES),
    )
    bench.set_defaults(func=run)


def _error(text: str) -> int:
    print("gokernels bench: " + text, file=sys.stderr)
    return 2


def _header(machine) -> str:
    return "gokernels %s, Python %s, Go %s, numpy %s, on %s (%s cores), %s" % (
        machine["gokernels"],
        machine["python"],
        machine.get("go") or "?",
        machine.get("numpy") or "not installed",
        machine["processor"] or machine["machine"],
        machine["cores"],
        machine["date"],
    )


def run(args: argparse.Namespace) -> int:
    from gokernels._bench import PLOTTED, SUITES
    from gokernels._bench.core import Progress, format_tables, machine_info, run_cases, write_json

    names = args.only or list(SUITES)
    unknown = [n for n in names if n not in SUITES]
    if unknown:
        return _error("unknown suite %s (choose from %s)" % (", ".join(unknown), ", ".join(SUITES)))
    if args.plot:
        from gokernels._bench.plot import missing_matplotlib

        why = missing_matplotlib()
        if why:
            return _error("--plot needs matplotlib: " + why)
        if not any(n in PLOTTED for n in names):
            return _error(
                "--plot draws the size sweeps of the %s suites; none of them is selected" % " and ".join(PLOTTED)
            )
        folder = os.path.dirname(os.path.abspath(args.plot))
        if not os.path.isdir(folder):
            return _error("--plot: no such directory: " + folder)
    machine = machine_info()
    print(_header(machine))
    print()
    sys.stdout.flush()
    from gokernels._bench import peers

    progress = Progress(0)
    peers.allow_build(progress.note)
    results = None
    try:
        cases = []
        for n in names:
            progress.note("preparing the %s suite: inputs and peers (numba compiles, Cython builds)..." % n)
            cases += SUITES[n](args.quick)
        progress.total = sum(len(c.impls) for c in cases)
        results = run_cases(cases, args.quick, progress)
    finally:
        progress.close(results)
    print(format_tables(results), end="")
    print("Speed-ups are ratios within this run; times are the best of several runs on a possibly busy machine.")
    sys.stdout.flush()
    status = 0
    if args.json:
        write_json(args.json, results, machine)
    if args.plot:
        from gokernels._bench.plot import draw, panels_from_results

        panels, groups, missing = panels_from_results(results)
        title = _header(machine)
        if not draw(panels, args.plot, title, groups, missing):
            print("gokernels bench: --plot: no implementation was timed, nothing to draw", file=sys.stderr)
            status = 1
    wrong = [r for r in results if not r.ok]
    for r in wrong:
        print("gokernels bench: %s / %s: %s" % (r.title, r.impl, r.note), file=sys.stderr)
    return 1 if wrong else status
