"""Every count-doubles implementation agrees on every input.

One harness: each case runs through every implementation (the Go kernels in
all their variants and the pure-Python references), and all must equal the
definition.
"""

import array
import random

import pytest

import gokernels
from gokernels import reference
from gokernels.doubles import count_doubles, count_doubles_bytes, count_doubles_parallel


def definition(seq):
    return sum(1 for i in range(len(seq) - 1) if seq[i] == seq[i + 1])


# name -> function of a str giving the count over code points
RUNE_IMPLS = {
    "count_doubles": count_doubles,
    "count_doubles_parallel": count_doubles_parallel,
    "count_doubles_parallel/1": lambda s: count_doubles_parallel(s, 1),
    "count_doubles_parallel/2": lambda s: count_doubles_parallel(s, workers=2),
    "count_doubles_parallel/3": lambda s: count_doubles_parallel(s, 3),
    "count_doubles_parallel/64": lambda s: count_doubles_parallel(s, 64),
    "gokernels.count_doubles": gokernels.count_doubles,
    "ref/zip": reference.doubles_zip,
    "ref/once": reference.doubles_once,
    "ref/itertools": reference.doubles_itertools,
    "ref/comprehension": reference.doubles_comprehension,
    "ref/regex": reference.doubles_regex,
}

# name -> function of bytes giving the count over bytes
BYTE_IMPLS = {
    "count_doubles_bytes(bytes)": count_doubles_bytes,
    "count_doubles_bytes(bytearray)": lambda b: count_doubles_bytes(bytearray(b)),
    "count_doubles_bytes(memoryview)": lambda b: count_doubles_bytes(memoryview(b)),
    "count_doubles_bytes(array)": lambda b: count_doubles_bytes(array.array("B", b)),
    "count_doubles(latin-1 str)": lambda b: count_doubles(b.decode("latin-1")),
    "ref/zip": reference.doubles_zip,
}


def _random_str(rnd, n, alphabet):
    return "".join(rnd.choices(alphabet, k=n))


def _cases():
    rnd = random.Random(12345)
    cases = {
        "empty": "",
        "one": "a",
        "two-equal": "aa",
        "two-different": "ab",
        "nul": "\x00\x00\x00a\x00",
        "newlines": "\n\n\r\n\n",
        "latin1": "ééé\xff\xff\x00",
        "bmp": "€€x€\uffff\uffff",
        "lone-surrogates": "\ud800\ud800\udc00\udc00\ud800",
        "astral": "😀😀😀x\U0010ffff\U0010ffff",
        "mixed-kinds": "aa" + "€€" + "😀😀",
    }
    # Lengths around word (8), vector (16/32 units) and block widths, with runs at the edges.
    for n in list(range(0, 70)) + [127, 128, 129, 255, 256, 257, 1023, 1024, 1025]:
        for name, alphabet in (("ab", "ab"), ("a", "a"), ("uni", "é€😀"), ("2byte", "\u0100\u0101")):
            cases["len%d-%s" % (n, name)] = _random_str(rnd, n, alphabet)
    # Above the GIL-release threshold (2**17 bytes) and the parallel one (2**22 code points).
    for n in (1 << 17, (1 << 22) + 1, 3 * (1 << 22) + 7):
        cases["large-%d" % n] = _random_str(rnd, n, "abc")
    cases["large-2byte"] = _random_str(rnd, 300_000, "\u0100\u0101\u0102")
    cases["large-4byte"] = _random_str(rnd, 300_000, "\U0001f600\U0001f601")
    cases["letters-1M"] = "".join(rnd.choices("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", k=1_000_000))
    return cases


CASES = _cases()
SLOW_REFS = {"ref/zip", "ref/once", "ref/itertools", "ref/comprehension", "ref/regex"}


@pytest.mark.parametrize("case", sorted(CASES))
def test_runes_every_implementation(case):
    s = CASES[case]
    want = definition(s) if len(s) < 5000 else reference.doubles_once(s)
    for name, impl in RUNE_IMPLS.items():
        if name in SLOW_REFS and len(s) > 300_000 and name != "ref/once":
            continue  # each pure-Python reference is exercised on all smaller cases
        assert impl(s) == want, name


@pytest.mark.parametrize("case", sorted(CASES))
def test_bytes_every_implementation(case):
    s = CASES[case]
    try:
        encoded = s.encode()
    except UnicodeEncodeError:
        with pytest.raises(UnicodeEncodeError):
            count_doubles_bytes(s)
        return
    want = definition(encoded) if len(encoded) < 5000 else reference.doubles_once(encoded)
    assert count_doubles_bytes(s) == want, "count_doubles_bytes(str)"
    for name, impl in BYTE_IMPLS.items():
        if name == "ref/zip" and len(encoded) > 300_000:
            continue
        assert impl(encoded) == want, name


def test_bytes_of_wider_buffer_counts_raw_bytes():
    a = array.array("H", [0x0101, 0x0201])  # little-endian bytes 01 01 01 02
    assert count_doubles_bytes(a) == definition(a.tobytes())


def test_str_subclass():
    class S(str):
        pass

    assert count_doubles(S("aab")) == 1
    assert count_doubles_bytes(S("aab")) == 1


@pytest.mark.parametrize(
    "call, exc, words",
    [
        (lambda: count_doubles(b"aa"), TypeError, ["count_doubles", "'s'", "bytes"]),
        (lambda: count_doubles(None), TypeError, ["count_doubles", "NoneType"]),
        (lambda: count_doubles(), TypeError, ["count_doubles", "'s'"]),
        (lambda: count_doubles("a", "b"), TypeError, ["count_doubles"]),
        (lambda: count_doubles(t="a"), TypeError, ["'t'"]),
        (lambda: count_doubles_bytes(12), TypeError, ["count_doubles_bytes", "int"]),
        (lambda: count_doubles_bytes([1, 1]), TypeError, ["count_doubles_bytes", "list"]),
        (lambda: count_doubles_bytes(memoryview(b"aabb")[::2]), BufferError, ["count_doubles_bytes", "contiguous"]),
        (lambda: count_doubles_bytes("\ud800"), UnicodeEncodeError, ["surrogate"]),
        (lambda: count_doubles_parallel(b"aa"), TypeError, ["count_doubles_parallel", "'s'"]),
        (lambda: count_doubles_parallel("aa", 0), ValueError, ["workers", "0"]),
        (lambda: count_doubles_parallel("aa", -3), ValueError, ["workers"]),
        (lambda: count_doubles_parallel("aa", 10**30), ValueError, ["workers"]),
        (lambda: count_doubles_parallel("aa", 2.0), TypeError, ["workers", "float"]),
        (lambda: count_doubles_parallel("aa", workers="2"), TypeError, ["workers", "str"]),
    ],
)
def test_bad_input(call, exc, words):
    with pytest.raises(exc) as info:
        call()
    for w in words:
        assert w in str(info.value)


def test_signatures_and_docstrings():
    import inspect

    assert str(inspect.signature(count_doubles)) == "(s)"
    assert str(inspect.signature(count_doubles_bytes)) == "(x)"
    assert str(inspect.signature(count_doubles_parallel)) == "(s, workers=None)"
    for f in (count_doubles, count_doubles_bytes, count_doubles_parallel):
        assert len(f.__doc__) > 80


def test_public_api():
    import gokernels.doubles as d

    assert set(d.__all__) == {"count_doubles", "count_doubles_bytes", "count_doubles_parallel"}
    for name in d.__all__:
        assert getattr(gokernels, name) is getattr(d, name)
    assert isinstance(gokernels.__version__, str)


# Inputs above 64 MiB are counted in pieces, with a check for signals between
# pieces (pyext/doubles.c); the pair that straddles each seam must count once.
CHUNK_BYTES = 1 << 26


@pytest.mark.parametrize(
    "alphabet",
    ["ab", "a", "\u0100\u0101", "\U0001f600\U0001f601", "a\xe9", "a\u20ac", "a\U0001f600"],
    ids=["ascii", "ascii-one-letter", "kind2", "kind4", "latin1", "bmp-utf8", "astral-utf8"],
)
def test_huge_inputs_are_counted_across_piece_seams(alphabet):
    rnd = random.Random(len(alphabet))
    block = _random_str(rnd, (1 << 20) + 3, alphabet)  # odd length: seams fall at every offset
    top = ord(max(block))
    kind = 1 if top < 0x100 else 2 if top < 0x10000 else 4
    copies = CHUNK_BYTES // (len(block) * kind) + 2
    s = block * copies
    assert len(s) * kind > CHUNK_BYTES
    want = copies * definition_fast(block) + (copies - 1) * (block[-1] == block[0])
    assert count_doubles(s) == want
    assert count_doubles_parallel(s) == want
    assert count_doubles_parallel(s, 3) == want
    enc = block.encode()
    want_bytes = copies * definition_fast(enc) + (copies - 1) * (enc[-1] == enc[0])
    assert count_doubles_bytes(s) == want_bytes
    if alphabet.isascii():
        assert count_doubles_bytes(s.encode()) == want_bytes
        assert count_doubles_bytes(bytearray(s.encode())) == want_bytes


def definition_fast(seq):
    return reference.doubles_once(seq)


def test_huge_str_with_a_surrogate_after_the_first_piece():
    s = "\u20ac" * (CHUNK_BYTES // 2 + 10) + "\ud800"
    with pytest.raises(UnicodeEncodeError):
        count_doubles_bytes(s)
    assert count_doubles(s) == len(s) - 2


# Ctrl-C: a count of gigabytes answers SIGINT within 200 ms. The inputs are
# gigabytes of address space but no memory: fresh anonymous pages read as the
# kernel's zero page (mmap for bytes; for a str, PyUnicode_New's malloc of
# untouched pages, which hold NULs: a valid str of '\0' * n).
INTERRUPT = r"""
import ctypes, mmap, signal, sys, time
import gokernels

def zeros_bytes(n):
    flags = mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS | getattr(mmap, "MAP_NORESERVE", 0)
    return mmap.mmap(-1, n, flags=flags)

def zeros_str(n):
    new = ctypes.pythonapi.PyUnicode_New
    new.restype, new.argtypes = ctypes.py_object, (ctypes.c_ssize_t, ctypes.c_uint32)
    return new(n, 127)

make = {"bytes": zeros_bytes, "str": zeros_str}[sys.argv[1]]
count = getattr(gokernels, sys.argv[2])
n = 1 << 30
while True:  # an uninterrupted call must take well over the 100 ms we wait
    x = make(n)
    start = time.perf_counter()
    assert count(x) == n - 1
    full = time.perf_counter() - start
    del x
    if full > 0.6 or n >= 1 << 34:
        break
    n *= 2
x = make(n)
signal.signal(signal.SIGALRM, signal.default_int_handler)
start = time.perf_counter()
signal.setitimer(signal.ITIMER_REAL, 0.1)
try:
    count(x)
    print("not interrupted", full)
except KeyboardInterrupt:
    print("interrupted", full, time.perf_counter() - start - 0.1)
"""


@pytest.mark.skipif(not hasattr(__import__("signal"), "setitimer"), reason="needs signal.setitimer")
@pytest.mark.parametrize(
    "make, func",
    [("bytes", "count_doubles_bytes"), ("str", "count_doubles"), ("str", "count_doubles_parallel")],
)
def test_ctrl_c_interrupts_a_huge_count(make, func):
    import subprocess
    import sys

    r = subprocess.run([sys.executable, "-c", INTERRUPT, make, func], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    what, full, *late = r.stdout.split()
    assert float(full) > 0.6, r.stdout
    assert what == "interrupted", r.stdout
    assert float(late[0]) < 0.2, "KeyboardInterrupt %.3f s after the signal" % float(late[0])
