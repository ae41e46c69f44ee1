"""The gokernels command line.

gokernels bench [--quick] [--json FILE] [--only NAME ...]
    Time every kernel against its pure-Python version on built-in inputs.
"""

import argparse
import sys
from typing import List, Optional


def _bench(args: argparse.Namespace) -> int:
    from gokernels._bench import SUITES
    from gokernels._bench.core import Progress, format_tables, run_cases, write_json

    names = args.only or list(SUITES)
    unknown = [n for n in names if n not in SUITES]
    if unknown:
        print(
            "gokernels bench: unknown suite %s (choose from %s)" % (", ".join(unknown), ", ".join(SUITES)),
            file=sys.stderr,
        )
        return 2
    cases = [c for n in names for c in SUITES[n](args.quick)]
    progress = Progress(sum(len(c.impls) for c in cases))
    try:
        results = run_cases(cases, args.quick, progress)
    finally:
        progress.close()
    print(format_tables(results), end="")
    sys.stdout.flush()
    if args.json:
        write_json(args.json, results)
    wrong = [r for r in results if not r.ok]
    for r in wrong:
        print("gokernels bench: %s / %s: %s" % (r.title, r.impl, r.note), file=sys.stderr)
    return 1 if wrong else 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gokernels", description="Fast Python kernels written in Go.")
    parser.add_argument("--version", action="version", version="%(prog)s " + _version())
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    bench = sub.add_parser(
        "bench",
        help="time every kernel against its pure-Python version",
        description="Time every kernel against its pure-Python version and peers on "
        "built-in inputs; every answer is checked first.",
    )
    bench.add_argument("--quick", action="store_true", help="smaller inputs and shorter timings")
    bench.add_argument("--json", metavar="FILE", help="also write the results as JSON to FILE")
    bench.add_argument("--only", metavar="SUITE", action="append", help="run only this suite (repeatable)")
    bench.set_defaults(func=_bench)
    from gokernels import _lzcli

    _lzcli.add_parser(sub)
    return parser


def _version() -> str:
    import gokernels

    return gokernels.__version__


def main(argv: Optional[List[str]] = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("gokernels: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # Like other Unix tools: a closed pipe (| head) ends the run quietly.
        sys.stderr.close()
        return 141


if __name__ == "__main__":
    sys.exit(main())
