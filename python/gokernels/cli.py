"""The gokernels command line.

gokernels bench [--quick] [--json FILE] [--plot FILE.png] [--only SUITE ...]
    Time every kernel against its pure-Python version and the articles' peers
    on built-in inputs (gokernels/_bench/).
gokernels lz compress|decompress [--format raw|base64|utf16|uri|bytes]
    lz-string from stdin to stdout (gokernels/_lzcli.py).
"""

import argparse
import errno
import os
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
    if sys.stdout is None:
        # Started with stdout closed (`>&-`): print() would drop every line silently.
        return _fail("gokernels %s: cannot write output: stdout is closed" % args.command)
    try:
        status = args.func(args)
        sys.stdout.flush()  # a write error must end here, not in the interpreter's exit
        return status
    except KeyboardInterrupt:
        print("gokernels: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # Like other Unix filters: the reader has gone (| head); end quietly with
        # 128 + SIGPIPE, never 0, since output was lost.
        _drop_stdout()
        return 141
    except OSError as exc:
        if exc.filename is not None or exc.errno not in _OUTPUT_ERRNOS:
            raise  # not a write to stdout (a --json path, say): the traceback says where
        _drop_stdout()
        return _fail("gokernels %s: cannot write output: %s" % (args.command, exc.strerror or exc))


# write(2) errors on stdout (a full disk or /dev/full, a closed or unwritable
# descriptor, a device error, a quota).
_OUTPUT_ERRNOS = {errno.ENOSPC, errno.EBADF, errno.EIO, errno.EDQUOT, errno.EFBIG, errno.EINVAL, errno.EPIPE}


def _fail(message: str) -> int:
    try:
        print(message, file=sys.stderr)
    except (OSError, AttributeError):
        pass  # stderr is gone too: the exit status still says it
    return 1


def _drop_stdout() -> None:
    """Point stdout at /dev/null, so the interpreter's final flush of what is still
    buffered cannot fail again (which would print "Exception ignored" and exit 120)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


if __name__ == "__main__":
    sys.exit(main())
