"""The gokernels command line.

gokernels bench [--quick] [--json FILE] [--plot FILE.png] [--only SUITE ...]
    Time every kernel against its pure-Python version and the articles' peers
    on built-in inputs (gokernels/_bench/).
gokernels lz compress|decompress [--format raw|base64|utf16|uri|bytes]
    lz-string from stdin to stdout (gokernels/_lzcli.py).
"""

import argparse
import sys
from typing import List, Optional


def _add_bench(sub) -> None:
    from gokernels._bench.command import add_parser

    add_parser(sub)


def _add_lz(sub) -> None:
    from gokernels._lzcli import add_parser

    add_parser(sub)


# One function per subcommand: each gets the subparsers object, adds its
# parser, and sets `func` (called with the parsed arguments, returns the exit
# status). Add a subcommand by appending its function here.
SUBCOMMANDS = [_add_bench, _add_lz]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gokernels", description="Fast Python kernels written in Go.")
    parser.add_argument("--version", action="version", version="%(prog)s " + _version())
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for add in SUBCOMMANDS:
        add(sub)
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
