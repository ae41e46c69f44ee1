"""`gokernels lz compress|decompress [--format F]`: lz-string as a Unix filter.

Reads stdin, writes stdout; errors go to stderr with exit status 1 (2 for
usage errors). Text is UTF-8 on both sides, except where a format is not text:

  base64, uri, utf16   compressed text, one trailing newline (stripped again on input)
  bytes                binary: the Uint8Array form (big-endian 16-bit units)
  raw                  binary: the raw form's 16-bit units as UTF-16-LE, since they
                       are arbitrary code units, not text
"""

import argparse
import os
import sys

FORMATS = ("base64", "uri", "utf16", "raw", "bytes")


def add_parser(sub) -> None:
    lz = sub.add_parser(
        "lz",
        help="compress or decompress stdin to stdout with lz-string",
        description="lz-string, byte-exact with the JavaScript lz-string 1.5.0, as a filter from stdin to stdout.",
        epilog=__doc__.split("\n\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    lz.add_argument("action", choices=("compress", "decompress"))
    lz.add_argument("--format", "-f", choices=FORMATS, default="base64", help="the compressed form (default: base64)")
    lz.add_argument(
        "--max-length",
        type=int,
        default=None,
        metavar="N",
        help="decompress: fail when the output would exceed N UTF-16 units (default: 2**26)",
    )
    lz.set_defaults(func=run)


def _read_text(data: bytes, what: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _Fail("%s is not valid UTF-8 (%s)" % (what, exc.reason)) from None


class _Fail(Exception):
    pass


def _write_all(data: bytes) -> None:
    """Write every byte to stdout, or raise OSError (BrokenPipeError for a closed
    pipe). A pipe whose reader goes away takes part of a write and returns a
    short count; BufferedWriter.write does not report that, so write(2) is
    called here until nothing is left."""
    sys.stdout.flush()
    fd = sys.stdout.fileno()
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def run(args: argparse.Namespace) -> int:
    from gokernels import lzstring as lz

    if sys.stdin is None:
        print("gokernels lz %s: cannot read input: stdin is closed" % args.action, file=sys.stderr)
        return 1
    data = sys.stdin.buffer.read()
    try:
        if args.action == "compress":
            text = _read_text(data, "input")
            if args.format == "bytes":
                _write_all(lz.compress_to_uint8array(text))
            elif args.format == "raw":
                _write_all(lz.compress(text).encode("utf-16-le", "surrogatepass"))
            else:
                fn = {
                    "base64": lz.compress_to_base64,
                    "uri": lz.compress_to_encoded_uri_component,
                    "utf16": lz.compress_to_utf16,
                }[args.format]
                _write_all(fn(text).encode("utf-8") + b"\n")
        else:
            max_length = lz.DEFAULT_MAX_LENGTH if args.max_length is None else args.max_length
            if max_length < 0:
                raise _Fail("--max-length must be >= 0")
            if args.format == "bytes":
                text = lz.decompress_from_uint8array(data, max_length)
            elif args.format == "raw":
                if len(data) % 2:
                    raise _Fail("raw input must be UTF-16-LE: an even number of bytes")
                text = lz.decompress(data.decode("utf-16-le", "surrogatepass"), max_length)
            else:
                packed = _read_text(data, "compressed input")
                if packed.endswith("\n"):
                    packed = packed[:-2] if packed.endswith("\r\n") else packed[:-1]
                fn = {
                    "base64": lz.decompress_from_base64,
                    "uri": lz.decompress_from_encoded_uri_component,
                    "utf16": lz.decompress_from_utf16,
                }[args.format]
                text = fn(packed, max_length)
            # A lone surrogate cannot be UTF-8; write it as Python's surrogatepass
            # would rather than fail halfway.
            _write_all(text.encode("utf-8", "surrogatepass"))
    except (_Fail, lz.DecompressError) as exc:
        print("gokernels lz %s: %s" % (args.action, exc), file=sys.stderr)
        return 1
    return 0
