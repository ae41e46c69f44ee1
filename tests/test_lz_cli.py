"""`gokernels lz`: a Unix filter. Output equals the library's, round trips
hold for every format, errors go to stderr with a non-zero status."""

import subprocess
import sys

import pytest

import gokernels.lzstring as lz

TEXT = "hello héllo 😀 " * 50 + "\n" + "the end"


def lzcli(*args, data=b""):
    return subprocess.run([sys.executable, "-m", "gokernels", "lz", *args], input=data, capture_output=True, timeout=60)


@pytest.mark.parametrize("fmt", ["base64", "uri", "utf16", "raw", "bytes"])
def test_round_trip_and_output(fmt):
    c = lzcli("compress", "--format", fmt, data=TEXT.encode())
    assert c.returncode == 0 and c.stderr == b""
    expected = {
        "base64": (lz.compress_to_base64(TEXT) + "\n").encode(),
        "uri": (lz.compress_to_encoded_uri_component(TEXT) + "\n").encode(),
        "utf16": (lz.compress_to_utf16(TEXT) + "\n").encode(),
        "raw": lz.compress(TEXT).encode("utf-16-le", "surrogatepass"),
        "bytes": lz.compress_to_uint8array(TEXT),
    }[fmt]
    assert c.stdout == expected
    d = lzcli("decompress", "-f", fmt, data=c.stdout)
    assert d.returncode == 0 and d.stdout == TEXT.encode()


def test_default_format_is_base64_and_empty_input():
    c = lzcli("compress")
    assert c.stdout == b"Q===\n"
    d = lzcli("decompress", data=c.stdout)
    assert d.returncode == 0 and d.stdout == b""


@pytest.mark.parametrize(
    "args, data, words",
    [
        (("decompress",), b"", b"invalid"),  # the reference returns null for ""
        (("decompress", "-f", "bytes"), b"\x00\x01\x02", b"invalid"),  # odd length
        (("decompress", "-f", "raw"), b"\x00\x01\x02", b"even number"),
        (("compress",), b"\xff\xfe bad utf-8", b"not valid UTF-8"),
        (("decompress", "--max-length", "10"), (lz.compress_to_base64("a" * 100) + "\n").encode(), b"max_length=10"),
    ],
)
def test_errors_exit_1_on_stderr(args, data, words):
    r = lzcli(*args, data=data)
    assert r.returncode == 1 and r.stdout == b""
    assert words in r.stderr and r.stderr.startswith(b"gokernels lz")


def test_usage_errors_exit_2():
    assert lzcli("frobnicate").returncode == 2
    assert lzcli("compress", "--format", "zip").returncode == 2
    r = lzcli("--help")
    assert r.returncode == 0 and b"stdin" in r.stdout
