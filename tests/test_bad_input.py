"""Every public function against bad input, in one table.

Each row is a call and what it must do: raise the documented exception type
with a message naming the function or the argument (the listed words must
all appear), or work and give the listed answer (str subclasses, empty
input, odd but valid values). User code that raises (a __hash__, __iter__,
__len__ or __next__) must see its own exception, unchanged. The whole table
also runs in one subprocess, so a crash on any row fails a test instead of
killing pytest.
"""

import array
import os
import subprocess
import sys
import tempfile

import pytest

import gokernels
import gokernels.lzstring as lz
from gokernels import CVMCounter
from gokernels.lzstring import DecompressError, LZString, OutputTooLongError

try:
    import numpy
except ImportError:  # the rows that need it are left out
    numpy = None

HUGE = 10**5000  # str() of it exceeds the default int-to-str digit limit (3.11+)


class Boom(Exception):
    """Raised by hostile user objects: must reach the caller unchanged."""


class RaisesHash:
    def __hash__(self):
        raise Boom("__hash__")


class RaisesIter:
    def __iter__(self):
        raise Boom("__iter__")


class RaisesNext:
    def __iter__(self):
        return self

    def __next__(self):
        raise Boom("__next__")


class RaisesLen:
    def __len__(self):
        raise Boom("__len__")

    def __iter__(self):
        return iter(["a", "b"])


class RaisesLengthHint:
    def __iter__(self):
        return self

    def __next__(self):
        raise StopIteration

    def __length_hint__(self):
        raise Boom("__length_hint__")


class Str(str):
    pass


class HostileStr(str):
    """A str subclass whose every Python-level method raises: the kernels read
    the str's storage, so they must work on it like on the plain str."""

    def _boom(self, *a, **k):
        raise Boom("str method called")

    __len__ = __iter__ = __getitem__ = __eq__ = __str__ = __repr__ = _boom
    encode = split = isascii = _boom
    __hash__ = _boom


class Int(int):
    pass


class AddRaises(int):
    def __add__(self, other):
        raise Boom("__add__")

    __radd__ = __add__


def label(x):
    """A short name for a value in a row id (str() of HUGE would raise)."""
    if isinstance(x, int) and abs(x) > 10**9:
        return "%s10**%d" % ("-" if x < 0 else "", 5000 if abs(x) == HUGE else len(str(abs(x))) - 1)
    return repr(x)[:10]


def released_view():
    m = memoryview(b"aabb")
    m.release()
    return m


NONCONTIG = memoryview(b"aabbccdd")[::2]


class Raises:
    def __init__(self, exc, *words):
        self.exc, self.words = exc, words


class Gives:
    def __init__(self, want):
        self.want = want  # a value, or a predicate of the result


def like_list(make, f):
    """What f(make()) must do when f takes its items as list() does."""
    try:
        items = list(make())
    except Boom:
        return Raises(Boom)
    try:
        want = f(list(items))
    except Exception as e:  # e.g. DecompressError: the items are not compressed
        return Raises(type(e))
    return Gives(want)


def _rows():
    g = gokernels
    R, G = Raises, Gives
    T, V = TypeError, ValueError
    rows = []

    def add(ident, call, expect):
        rows.append((ident, call, expect))

    def common(fname, f, good, params, nparams_pos):
        """Missing arguments, unknown and duplicate keywords, too many positionals."""
        add(fname + "/no-args", lambda f=f: f(), R(T, fname + "()", "'%s'" % params[0]))
        add(fname + "/unknown-kw", lambda f=f: f(*good, foo=1), R(T, fname + "()", "'foo'"))
        add(fname + "/duplicate-kw", lambda f=f: f(*good, **{params[0]: good[0]}), R(T, fname + "()", params[0]))
        extra = list(good) + [None] * (nparams_pos + 1 - len(good))
        add(fname + "/too-many-positional", lambda f=f: f(*extra), R(T, fname + "()", "positional"))

    # ---- doubles
    for fname, f in (("count_doubles", g.count_doubles), ("count_doubles_parallel", g.count_doubles_parallel)):
        npos = 1 if fname == "count_doubles" else 2
        for bad in (None, b"aa", bytearray(b"aa"), 5, ["a"], 1.5):
            add("%s/s=%s" % (fname, type(bad).__name__), lambda f=f, b=bad: f(b), R(T, fname + "()", "'s'"))
        add(fname + "/kw-s=int", lambda f=f: f(s=5), R(T, fname + "()", "'s'", "int"))
        add(fname + "/empty", lambda f=f: f(""), G(0))
        add(fname + "/str-subclass", lambda f=f: f(Str("aab")), G(1))
        add(fname + "/hostile-str-subclass", lambda f=f: f(HostileStr("aabb" * 100_000)), G(200_000))
        add(fname + "/by-keyword", lambda f=f: f(s="aa"), G(1))
        common(fname, f, ("aa",), ["s", "workers"], npos)
    f = g.count_doubles_parallel
    for w in ("2", 2.0, [2]):
        add(
            "count_doubles_parallel/workers=%r" % (w,),
            lambda w=w, f=f: f("aa", w),
            R(T, "count_doubles_parallel()", "'workers'"),
        )
    for w in (0, -1, 4097, 10**30, -(10**30), HUGE, -HUGE):
        add(
            "count_doubles_parallel/workers=%s" % label(w),
            lambda w=w, f=f: f("aa", workers=w),
            R(V, "count_doubles_parallel()", "'workers'"),
        )
    add("count_doubles_parallel/workers=None", lambda f=f: f("aab", None), G(1))
    add("count_doubles_parallel/workers=True", lambda f=f: f("aab", True), G(1))

    f = g.count_doubles_bytes
    for bad in (None, 5, 1.5, ["a"], object(), RaisesIter()):
        add(
            "count_doubles_bytes/x=%s" % type(bad).__name__,
            lambda b=bad, f=f: f(b),
            R(T, "count_doubles_bytes()", "'x'"),
        )
    add("count_doubles_bytes/kw-x=None", lambda f=f: f(x=None), R(T, "count_doubles_bytes()", "'x'"))
    add(
        "count_doubles_bytes/non-contiguous-memoryview",
        lambda f=f: f(NONCONTIG),
        R(BufferError, "count_doubles_bytes()", "'x'", "contiguous"),
    )
    add(
        "count_doubles_bytes/released-memoryview",
        lambda f=f: f(released_view()),
        R(BufferError, "count_doubles_bytes()", "'x'", "released"),
    )
    add("count_doubles_bytes/lone-surrogate", lambda f=f: f("a\ud800"), R(UnicodeEncodeError, "surrogate"))
    for empty in ("", b"", bytearray(), memoryview(b""), array.array("B")):
        add("count_doubles_bytes/empty-%s" % type(empty).__name__, lambda e=empty, f=f: f(e), G(0))
    add("count_doubles_bytes/str-subclass", lambda f=f: f(Str("ééé")), G(0))
    add("count_doubles_bytes/hostile-str-subclass", lambda f=f: f(HostileStr("aab" * 50_000 + "é")), G(50_000))
    add("count_doubles_bytes/contiguous-slice", lambda f=f: f(memoryview(b"xaabb")[1:]), G(2))
    add("count_doubles_bytes/wide-array", lambda f=f: f(array.array("H", [0x0101, 0x0201])), G(2))
    common("count_doubles_bytes", f, (b"aa",), ["x"], 1)

    # ---- text
    f = g.short_long
    for bad in (None, b"abc", 3, ["a"]):
        add("short_long/text=%s" % type(bad).__name__, lambda b=bad, f=f: f(b), R(T, "short_long()", "'text'"))
    for empty in ("", "   ", "the a", "\u3000"):
        add("short_long/no-word-%r" % empty, lambda e=empty, f=f: f(e), R(V, "short_long()", "'text'"))
    add("short_long/str-subclass", lambda f=f: f(Str("extraordinary fox")), G(0.5))
    add("short_long/hostile-str-subclass", lambda f=f: f(HostileStr("extraordinary fox the")), G(0.5))
    common("short_long", f, ("word",), ["text"], 1)

    f = g.random_string
    for bad in (None, "5", 2.0, [5]):
        add("random_string/n=%r" % (bad,), lambda b=bad, f=f: f(b), R(T, "random_string()", "'n'"))
    add("random_string/n=-1", lambda f=f: f(-1), R(V, "random_string()", "'n'", ">= 0"))
    add("random_string/n=-10**30", lambda f=f: f(-(10**30)), R(V, "random_string()", "'n'", ">= 0"))
    add("random_string/n=-HUGE", lambda f=f: f(-HUGE), R(V, "random_string()", "'n'", ">= 0"))
    add("random_string/n=10**30", lambda f=f: f(10**30), R(OverflowError, "random_string()", "'n'"))
    add("random_string/n=HUGE", lambda f=f: f(HUGE), R(OverflowError, "random_string()", "'n'"))
    add("random_string/n=2**62", lambda f=f: f(2**62), R(MemoryError))  # an allocation that cannot succeed
    add("random_string/n=2**61-wide", lambda f=f: f(2**61, "\U0001f600"), R(MemoryError))
    add("random_string/n=0", lambda f=f: f(0), G(""))
    add("random_string/n=True", lambda f=f: f(True, "x"), G("x"))
    for bad in (None, b"ab", 5, ["a"]):
        add("random_string/alphabet=%r" % (bad,), lambda b=bad, f=f: f(3, b), R(T, "random_string()", "'alphabet'"))
    add("random_string/alphabet-empty", lambda f=f: f(3, ""), R(V, "random_string()", "'alphabet'", "empty"))
    add("random_string/alphabet-str-subclass", lambda f=f: f(4, Str("ab"), seed=1), G(f(4, "ab", seed=1)))
    add("random_string/alphabet-hostile", lambda f=f: f(4, HostileStr("ab"), seed=1), G(f(4, "ab", seed=1)))
    for bad in ("1", 1.5, [1]):
        add("random_string/seed=%r" % (bad,), lambda b=bad, f=f: f(3, seed=b), R(T, "random_string()", "'seed'"))
    add("random_string/seed=-1", lambda f=f: f(9, seed=-1), G(f(9, seed=2**64 - 1)))
    add("random_string/seed=HUGE", lambda f=f: f(9, seed=HUGE), G(lambda r: len(r) == 9))
    add("random_string/seed-positional", lambda f=f: f(3, "ab", 1), R(T, "random_string()", "positional"))
    add("random_string/no-args", lambda f=f: f(), R(T, "random_string()", "'n'"))
    add("random_string/unknown-kw", lambda f=f: f(3, foo=1), R(T, "random_string()", "'foo'"))
    add("random_string/duplicate-kw", lambda f=f: f(3, n=3), R(T, "random_string()", "'n'"))

    # ---- lists
    f = g.list_sum
    for bad in (None, 5, "12", b"12", {1, 2}, {1: 2}, iter([1]), RaisesIter(), range(3)):
        add("list_sum/items=%s" % type(bad).__name__, lambda b=bad, f=f: f(b), R(T, "list_sum()", "'items'"))
    add("list_sum/str-item", lambda f=f: f([1, "2"]), R(T, "list_sum()", "item 1", "str"))
    add("list_sum/float-item", lambda f=f: f((1, 2.0)), R(T, "list_sum()", "item 1", "float"))
    add("list_sum/None-item-after-big", lambda f=f: f([2**70, None]), R(T, "list_sum()", "item 1"))
    add("list_sum/add-raises", lambda f=f: f([1, AddRaises(2)]), R(Boom, "__add__"))
    add("list_sum/empty", lambda f=f: f([]), G(0))
    add("list_sum/empty-tuple", lambda f=f: f(()), G(0))
    add("list_sum/int-subclass-and-bool", lambda f=f: f([Int(2), True, 2**64]), G(2**64 + 3))
    add("list_sum/huge", lambda f=f: f([HUGE, -HUGE, 1]), G(1))
    common("list_sum", f, ([1],), ["items"], 1)

    # ---- cvm
    f = g.count_approx
    for bad in (None, 5, 1.5, object()):
        add("count_approx/items=%s" % type(bad).__name__, lambda b=bad, f=f: f(b), R(T, "count_approx()", "'items'"))
    add("count_approx/unhashable", lambda f=f: f([1, [2]]), R(T, "unhashable"))
    add("count_approx/__hash__-raises", lambda f=f: f([1, RaisesHash()]), R(Boom, "__hash__"))
    add("count_approx/__iter__-raises", lambda f=f: f(RaisesIter()), R(Boom, "__iter__"))
    add("count_approx/__next__-raises", lambda f=f: f(RaisesNext()), R(Boom, "__next__"))
    add("count_approx/__len__-raises", lambda f=f: f(RaisesLen()), R(Boom, "__len__"))
    add("count_approx/__length_hint__-raises", lambda f=f: f(RaisesLengthHint()), R(Boom, "__length_hint__"))
    add("count_approx/str-item-hostile", lambda f=f: f([HostileStr("x")]), R(Boom))
    for bad in ("0.5", None, [0.5]):
        add("count_approx/epsilon=%r" % (bad,), lambda b=bad, f=f: f([1], b), R(T, "count_approx()", "'epsilon'"))
        add("count_approx/delta=%r" % (bad,), lambda b=bad, f=f: f([1], delta=b), R(T, "count_approx()", "'delta'"))
    for bad in (0, 1, -0.5, 1.5, float("nan"), float("inf"), 10**400, -(10**400), HUGE, True):
        add("count_approx/epsilon=%s" % label(bad), lambda b=bad, f=f: f([1], b), R(V, "count_approx()", "'epsilon'"))
        add("count_approx/delta=%s" % label(bad), lambda b=bad, f=f: f([1], 0.5, b), R(V, "count_approx()", "'delta'"))
    add("count_approx/epsilon-too-small", lambda f=f: f([1], 1e-9), R(V, "count_approx()", "too small"))
    for bad in ("1", 1.5):
        add("count_approx/seed=%r" % (bad,), lambda b=bad, f=f: f([1], seed=b), R(T, "count_approx()", "'seed'"))
    add("count_approx/seed=HUGE", lambda f=f: f([1, 2], seed=HUGE), G(2))
    for empty in ([], (), "", b"", iter([]), {}, set()):
        add("count_approx/empty-%s" % type(empty).__name__, lambda e=empty, f=f: f(e), G(0))
    add("count_approx/str-subclass-items", lambda f=f: f([Str("x"), "x", Str("y")]), G(2))
    add("count_approx/non-contiguous-memoryview", lambda f=f: f(NONCONTIG), G(4))
    add("count_approx/released-memoryview", lambda f=f: f(released_view()), R(V, "released"))
    common("count_approx", f, ([1],), ["items", "epsilon", "delta"], 3)

    C = CVMCounter
    add("CVMCounter/epsilon=None", lambda: C(None), R(T, "CVMCounter()", "'epsilon'"))
    add("CVMCounter/epsilon=str", lambda: C("0.5"), R(T, "CVMCounter()", "'epsilon'"))
    add("CVMCounter/epsilon=HUGE", lambda: C(HUGE), R(V, "CVMCounter()", "'epsilon'"))
    add("CVMCounter/delta=0", lambda: C(0.5, 0), R(V, "CVMCounter()", "'delta'"))
    add("CVMCounter/delta=-10**400", lambda: C(0.5, -(10**400)), R(V, "CVMCounter()", "'delta'"))
    add("CVMCounter/stream_length=-1", lambda: C(stream_length=-1), R(V, "CVMCounter()", "'stream_length'"))
    add("CVMCounter/stream_length=-HUGE", lambda: C(stream_length=-HUGE), R(V, "CVMCounter()", "'stream_length'"))
    add(
        "CVMCounter/stream_length=HUGE",
        lambda: C(stream_length=HUGE),
        R(OverflowError, "CVMCounter()", "'stream_length'"),
    )
    add("CVMCounter/stream_length=str", lambda: C(stream_length="5"), R(T, "CVMCounter()", "'stream_length'"))
    add("CVMCounter/stream_length=0", lambda: C(stream_length=0).estimate(), G(0))
    add("CVMCounter/seed=str", lambda: C(seed="x"), R(T, "CVMCounter()", "'seed'"))
    add("CVMCounter/unknown-kw", lambda: C(foo=1), R(T, "CVMCounter()", "'foo'"))
    add("CVMCounter/too-many-positional", lambda: C(0.5, 0.1, 5), R(T, "CVMCounter()", "positional"))
    add("CVMCounter/keywords-None", lambda: C(0.5, 0.1, stream_length=None, seed=None).epsilon, G(0.5))
    add("CVMCounter.add/no-args", lambda: C().add(), R(T, "add()"))
    add("CVMCounter.add/keyword", lambda: C().add(x=1), R(T, "add()"))
    add("CVMCounter.add/unhashable", lambda: C().add([1]), R(T, "unhashable"))
    add("CVMCounter.add/__hash__-raises", lambda: C().add(RaisesHash()), R(Boom))
    add("CVMCounter.update/None", lambda: C().update(None), R(T, "update()", "'items'"))
    add("CVMCounter.update/int", lambda: C().update(5), R(T, "update()", "'items'", "int"))
    add("CVMCounter.update/no-args", lambda: C().update(), R(T, "update()"))
    add("CVMCounter.update/__iter__-raises", lambda: C().update(RaisesIter()), R(Boom))
    add("CVMCounter.update/__next__-raises", lambda: C().update(RaisesNext()), R(Boom))
    add("CVMCounter.update/unhashable", lambda: C().update([1, {}]), R(T, "unhashable"))
    add("CVMCounter.estimate/arg", lambda: C().estimate(1), R(T, "estimate()"))

    def survives_errors():
        c = C(seed=1)
        for bad in ([[1]], RaisesIter(), RaisesNext(), [1, 2, RaisesHash()], None):
            try:
                c.update(bad)
            except (TypeError, Boom):
                pass
        c.update(["x", "y"])
        return c.estimate()

    add("CVMCounter/usable-after-errors", survives_errors, G(4))  # 1, 2 (before the bad hash), x, y

    # ---- lzstring: the ten functions
    compressors = {
        "compress": lz.compress,
        "compress_to_utf16": lz.compress_to_utf16,
        "compress_to_base64": lz.compress_to_base64,
        "compress_to_encoded_uri_component": lz.compress_to_encoded_uri_component,
        "compress_to_uint8array": lz.compress_to_uint8array,
    }
    for fname, f in compressors.items():
        for bad in (None, b"abc", 5, ["a"]):
            add("%s/s=%s" % (fname, type(bad).__name__), lambda f=f, b=bad: f(b), R(T, fname + "()", "'s'"))
        add(fname + "/kw-s=bytes", lambda f=f: f(s=b"x"), R(T, fname + "()", "'s'"))
        add(fname + "/empty", lambda f=f: f(""), G(lambda r: r in ("", b"", " ", "Q===") or len(r) <= 4))
        add(fname + "/str-subclass", lambda f=f: f(Str("hello é😀")), G(f("hello é😀")))
        add(fname + "/hostile-str-subclass", lambda f=f: f(HostileStr("hello " * 2000)), G(f("hello " * 2000)))
        add(fname + "/lone-surrogates", lambda f=f: f("\udc00a\ud800"), G(lambda r: len(r) > 0))
        common(fname, f, ("x",), ["s"], 1)

    text = "hello, world é😀 " * 10
    packed = {
        "decompress": lz.compress(text),
        "decompress_from_utf16": lz.compress_to_utf16(text),
        "decompress_from_base64": lz.compress_to_base64(text),
        "decompress_from_encoded_uri_component": lz.compress_to_encoded_uri_component(text),
        "decompress_from_uint8array": lz.compress_to_uint8array(text),
    }
    decompressors = {name: getattr(lz, name) for name in packed}
    for fname, f in decompressors.items():
        arg = "data" if fname.endswith("uint8array") else "s"
        good = packed[fname]
        bad_types = (None, 5, "abc") if arg == "data" else (None, 5, b"abc", bytearray(b"abc"))
        for bad in bad_types:
            add(
                "%s/%s=%s" % (fname, arg, type(bad).__name__), lambda f=f, b=bad: f(b), R(T, fname + "()", "'%s'" % arg)
            )
        add(fname + "/empty", lambda f=f, e=good[:0]: f(e), R(DecompressError, fname + "()"))
        for m in (-1, -(10**30), -HUGE):
            add(
                "%s/max_length=%s" % (fname, label(m)),
                lambda f=f, good=good, m=m: f(good, max_length=m),
                R(V, fname + "()", "'max_length'"),
            )
        for m in ("5", 1.5):
            add(
                "%s/max_length=%r" % (fname, m),
                lambda f=f, good=good, m=m: f(good, m),
                R(T, fname + "()", "'max_length'"),
            )
        add(
            fname + "/max_length=0",
            lambda f=f, good=good: f(good, 0),
            R(OutputTooLongError, fname + "()", "max_length"),
        )
        for m in (None, 10**30, HUGE, len(text.encode("utf-16-le")) // 2):
            add("%s/max_length-ok-%s" % (fname, label(m)), lambda f=f, good=good, m=m: f(good, max_length=m), G(text))
        common(fname, f, (good,), [arg, "max_length"], 2)
        if arg == "s":
            add(fname + "/str-subclass", lambda f=f, good=good: f(Str(good)), G(text))
            add(fname + "/hostile-str-subclass", lambda f=f, good=good: f(HostileStr(good)), G(text))
    f = lz.decompress_from_uint8array
    good = packed["decompress_from_uint8array"]
    add(
        "decompress_from_uint8array/odd-length",
        lambda f=f: f(good[:-1]),
        R(DecompressError, "decompress_from_uint8array()"),
    )
    for kind, buf in (
        ("bytearray", bytearray(good)),
        ("memoryview", memoryview(good)),
        ("array", array.array("B", good)),
    ):
        add("decompress_from_uint8array/" + kind, lambda b=buf, f=f: f(b), G(text))
    add(
        "decompress_from_uint8array/non-contiguous",
        lambda f=f: f(memoryview(good + good)[::2]),
        R(BufferError, "decompress_from_uint8array()", "'data'"),
    )
    add(
        "decompress_from_uint8array/released-memoryview",
        lambda f=f: f(released_view()),
        R(BufferError, "decompress_from_uint8array()", "'data'", "released"),
    )

    # ---- lzstring: the batch helpers
    for fname, f, ok_items in (
        ("compress_many", lz.compress_many, ["a", "b"]),
        ("decompress_many", lz.decompress_many, [packed["decompress_from_base64"]]),
    ):
        for bad in (None, 5, 1.5):
            add("%s/items=%s" % (fname, type(bad).__name__), lambda f=f, b=bad: f(b), R(T, fname + "()", "'items'"))
        add(fname + "/item-None", lambda f=f: f([None]), R(T, fname + "()", "item 0"))
        add(
            fname + "/item-bytes",
            lambda f=f, ok=ok_items: f(ok + [b"x"]),
            R(T, fname + "()", "item %d" % len(ok_items)),
        )
        add(fname + "/__iter__-raises", lambda f=f: f(RaisesIter()), R(Boom))
        add(fname + "/__next__-raises", lambda f=f: f(RaisesNext()), R(Boom))
        # The batch helpers take their items as list() does (what tuple()
        # calls differs by version: 3.14's no longer calls __len__): expect
        # list()'s own exception, or the answer for the items it gives.
        for cls in (RaisesLen, RaisesLengthHint):
            add("%s/%s" % (fname, cls.__name__), lambda f=f, c=cls: f(c()), like_list(cls, f))
        for fmt in (None, 5, b"raw"):
            add("%s/format=%r" % (fname, fmt), lambda f=f, fmt=fmt: f([], fmt), R(T, fname + "()", "'format'"))
        add(fname + "/format=zip", lambda f=f: f([], "zip"), R(V, fname + "()", "'format'"))
        add(fname + "/format-str-subclass", lambda f=f: f([], HostileStr("raw")), G([]))
        for w in ("2", 2.0):
            add("%s/workers=%r" % (fname, w), lambda f=f, w=w: f([], workers=w), R(T, fname + "()", "'workers'"))
        for w in (0, -1, 4097, 10**30, -HUGE, HUGE):
            add("%s/workers=%s" % (fname, label(w)), lambda f=f, w=w: f([], workers=w), R(V, fname + "()", "'workers'"))
        add(fname + "/workers-positional", lambda f=f: f([], "raw", 2), R(T, fname + "()", "positional"))
        add(fname + "/empty", lambda f=f: f([]), G([]))
        add(fname + "/empty-iterator", lambda f=f: f(iter(())), G([]))
        add(fname + "/no-args", lambda f=f: f(), R(T, fname + "()", "'items'"))
        add(fname + "/unknown-kw", lambda f=f: f([], foo=1), R(T, fname + "()", "'foo'"))
    f = lz.compress_many
    add("compress_many/max_length", lambda f=f: f(["a"], max_length=5), R(T, "compress_many()", "max_length"))
    add(
        "compress_many/str-subclasses",
        lambda f=f: f([Str("ab"), HostileStr("ab")]),
        G([lz.compress_to_base64("ab")] * 2),
    )
    f = lz.decompress_many
    add(
        "decompress_many/corrupt-item",
        lambda f=f: f(["", lz.compress_to_base64("ok")]),
        R(DecompressError, "decompress_many()", "item 0"),
    )
    add(
        "decompress_many/too-long",
        lambda f=f: f([lz.compress_to_base64("abc")], max_length=2),
        R(OutputTooLongError, "decompress_many()", "max_length=2", "item 0"),
    )
    for m in (-1, -HUGE):
        add(
            "decompress_many/max_length=%s" % label(m),
            lambda m=m, f=f: f([], max_length=m),
            R(V, "decompress_many()", "'max_length'"),
        )
    add("decompress_many/max_length=str", lambda f=f: f([], max_length="1"), R(T, "decompress_many()", "'max_length'"))
    good = packed["decompress_from_uint8array"]
    add("decompress_many/bytes-str-item", lambda f=f: f([good, "x"], "bytes"), R(T, "decompress_many()", "item 1"))
    add(
        "decompress_many/bytes-non-contiguous-item",
        lambda f=f: f([good, memoryview(good + good)[::2]], "bytes"),
        R(BufferError, "decompress_many()", "item 1"),
    )
    add("decompress_many/bytes-buffers", lambda f=f: f([bytearray(good), memoryview(good)], "bytes"), G([text, text]))

    # ---- the LZString drop-in: None and null semantics, type errors named
    add("LZString.compress(None)", lambda: LZString.compress(None), G(""))
    add("LZString.compressToUint8Array(None)", lambda: LZString.compressToUint8Array(None), G(b""))
    add("LZString.decompress(None)", lambda: LZString.decompress(None), G(""))
    add("LZString.decompressFromBase64(invalid)", lambda: LZString.decompressFromBase64(""), G(None))
    add("LZString.decompressFromBase64(5)", lambda: LZString.decompressFromBase64(5), R(T, "decompress_from_base64()"))
    add("LZString.compressToBase64(5)", lambda: LZString.compressToBase64(5), R(T, "compress_to_base64()", "'s'"))

    # ---- numpy arrays, when numpy is installed
    if numpy is not None:
        np = numpy
        u8 = np.frombuffer(b"aabbccddee", dtype=np.uint8)
        add(
            "count_doubles_bytes/numpy-strided",
            lambda: g.count_doubles_bytes(u8[::2]),
            R(BufferError, "count_doubles_bytes()", "'x'"),
        )
        add(
            "count_doubles_bytes/numpy-fortran",
            lambda: g.count_doubles_bytes(np.zeros((3, 4), dtype=np.uint8, order="F")),
            R(BufferError, "count_doubles_bytes()", "'x'"),
        )
        add("count_doubles_bytes/numpy-2d-contiguous", lambda: g.count_doubles_bytes(np.zeros((3, 3), np.uint8)), G(8))
        add("count_doubles_bytes/numpy-empty", lambda: g.count_doubles_bytes(np.zeros(0, np.uint8)), G(0))
        packed_u8 = np.frombuffer(lz.compress_to_uint8array(text) * 2, dtype=np.uint8)
        add(
            "decompress_from_uint8array/numpy-strided",
            lambda: lz.decompress_from_uint8array(packed_u8[::2]),
            R(BufferError, "decompress_from_uint8array()", "'data'"),
        )
        add(
            "decompress_many/numpy-strided-item",
            lambda: lz.decompress_many([packed_u8[::2]], "bytes"),
            R(BufferError, "decompress_many()", "item 0"),
        )
        add("count_approx/numpy-strided", lambda: g.count_approx(np.arange(10)[::2]), G(5))
        add("count_approx/numpy-2d", lambda: g.count_approx(np.zeros((3, 3))), R(T, "unhashable"))  # rows are arrays
        add("count_approx/numpy-empty", lambda: g.count_approx(np.zeros(0)), G(0))
        add("CVMCounter.update/numpy-strided", lambda: CVMCounter().update(np.arange(10)[::3]), G(None))
    return rows


ROWS = _rows()


def check_row(ident, call, expect):
    """Runs one row; returns None, or what went wrong."""
    try:
        got = call()
    except BaseException as e:  # noqa: B036 - anything but the expected is a failure
        if not isinstance(expect, Raises):
            return "raised %s: %s" % (type(e).__name__, e)
        if type(e) is not expect.exc:
            return "raised %s (%s), want %s" % (type(e).__name__, e, expect.exc.__name__)
        missing = [w for w in expect.words if w not in str(e)]
        if missing:
            return "message %r lacks %r" % (str(e), missing)
        return None
    if isinstance(expect, Raises):
        return "returned %r, want %s" % (got, expect.exc.__name__)
    want = expect.want
    if callable(want):
        return None if want(got) else "returned %r" % (got,)
    return None if got == want and type(got) is type(want) else "returned %r, want %r" % (got, want)


@pytest.mark.parametrize("ident, call, expect", ROWS, ids=[r[0] for r in ROWS])
def test_row(ident, call, expect):
    problem = check_row(ident, call, expect)
    assert problem is None, problem


def test_every_public_function_has_rows():
    covered = {ident.split("/")[0].split(".")[0] for ident, _, _ in ROWS}
    public = set(gokernels.doubles.__all__) | set(gokernels.text.__all__) | set(gokernels.lists.__all__)
    public |= set(gokernels.cvm.__all__) | {n for n in lz.__all__ if n[0].islower() and n != "DEFAULT_MAX_LENGTH"}
    assert public - covered == set()
    assert any(ident.startswith("LZString.") for ident, _, _ in ROWS)


def run_table():
    failures = [(ident, check_row(ident, call, expect)) for ident, call, expect in ROWS]
    return [f for f in failures if f[1] is not None]


def test_whole_table_in_one_process():
    """The table again in a fresh interpreter: a crash (not just a wrong
    exception) on any row, or a process that dies at exit, fails here."""
    code = (
        "import runpy, sys\n"
        "ns = runpy.run_path(sys.argv[1])\n"
        "bad = ns['run_table']()\n"
        "bad += ns['run_table']()  # twice: state left by errors must not matter\n"
        "print(len(ns['ROWS']), len(bad))\n"
        "for b in bad[:20]: print(b)\n"
    )
    r = subprocess.run(
        [sys.executable, "-c", code, os.path.abspath(__file__)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tempfile.gettempdir(),
    )
    assert r.returncode == 0, "the process died: %s\n%s" % (r.returncode, r.stderr[-3000:])
    first = r.stdout.split("\n")[0].split()
    assert int(first[0]) == len(ROWS)
    # Row failures are reported by test_row; here only the process must live.
    assert r.stderr == "" or "Warning" in r.stderr, r.stderr[-2000:]
