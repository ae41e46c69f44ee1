"""`gokernels lz`: a Unix filter. Output equals the library's, round trips
hold for every format, errors go to stderr with a non-zero status."""

import os
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


# ---- issue 11: pipes, full disks and closed descriptors, as a Unix filter ----

BIG_PLAIN = "abcdefghij" * 3_000_000  # 30 MB out of about 1 KB of input
BIG_PACKED = (lz.compress_to_base64(BIG_PLAIN) + "\n").encode()


def lz_popen(*args, **kw):
    return subprocess.Popen([sys.executable, "-m", "gokernels", "lz", *args], stderr=subprocess.PIPE, **kw)


def assert_one_line_no_traceback(stderr, *words):
    text = stderr.decode(errors="replace")
    assert "Traceback" not in text and "Exception ignored" not in text, text
    assert len(text.splitlines()) <= 1, text
    for w in words:
        assert w in text, text


def test_reader_that_stops_early_gives_141_not_0():
    """`gokernels lz decompress | head -c 1M`: the reader closes the pipe after 1 MiB of 30 MB. The output
    was lost, so the status must not be 0 (it was: a short write went unnoticed)."""
    p = lz_popen("decompress", stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    p.stdin.write(BIG_PACKED)
    p.stdin.close()
    got = p.stdout.read(1 << 20)
    p.stdout.close()
    err = p.stderr.read()
    assert p.wait(timeout=60) == 141
    assert len(got) == 1 << 20 and got == BIG_PLAIN[: 1 << 20].encode()
    assert_one_line_no_traceback(err)


def test_reader_that_reads_everything_gets_everything():
    p = lz_popen("decompress", stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    out, err = p.communicate(BIG_PACKED, timeout=60)
    assert p.returncode == 0 and err == b""
    assert out == BIG_PLAIN.encode()


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full (Linux)")
@pytest.mark.parametrize("action, data", [("decompress", BIG_PACKED), ("compress", b"hello")])
def test_full_device_gives_one_line_and_1(action, data):
    with open("/dev/full", "wb") as full:
        p = lz_popen(action, stdin=subprocess.PIPE, stdout=full)
        _, err = p.communicate(data, timeout=60)
    assert p.returncode == 1
    assert_one_line_no_traceback(err, "gokernels lz", "No space left on device")


@pytest.mark.parametrize("action, data", [("decompress", BIG_PACKED), ("compress", b"hello")])
def test_closed_stdout_gives_one_line_and_1(action, data):
    # The shell's `>&-`: descriptor 1 is closed in the child before Python starts.
    p = lz_popen(action, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, preexec_fn=lambda: os.close(1))
    _, err = p.communicate(data, timeout=60)
    assert p.returncode == 1
    assert_one_line_no_traceback(err, "gokernels lz", "stdout is closed")


def test_closed_stdin_gives_one_line_and_1():
    p = lz_popen("compress", stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, preexec_fn=lambda: os.close(0))
    out, err = p.communicate(timeout=60)
    assert p.returncode == 1 and out == b""
    assert_one_line_no_traceback(err, "stdin is closed")
