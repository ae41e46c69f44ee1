"""Arrow PyCapsule producers written with ctypes: malformed arrays never crash
(they raise ValueError/TypeError), and every struct handed over is released
exactly once, on success, on error and on KeyboardInterrupt."""

import ctypes
import os
import re
import signal
import struct
import sys
import threading
from ctypes import CFUNCTYPE, POINTER, c_char_p, c_int, c_int64, c_void_p

import pytest

from gokernels import CVMCounter, count_approx


class ArrowSchema(ctypes.Structure):
    pass


class ArrowArray(ctypes.Structure):
    pass


class ArrowArrayStream(ctypes.Structure):
    pass


SchemaRelease = CFUNCTYPE(None, POINTER(ArrowSchema))
ArrayRelease = CFUNCTYPE(None, POINTER(ArrowArray))
StreamRelease = CFUNCTYPE(None, POINTER(ArrowArrayStream))
GetSchema = CFUNCTYPE(c_int, POINTER(ArrowArrayStream), POINTER(ArrowSchema))
GetNext = CFUNCTYPE(c_int, POINTER(ArrowArrayStream), POINTER(ArrowArray))
GetLastError = CFUNCTYPE(c_char_p, POINTER(ArrowArrayStream))

ArrowSchema._fields_ = [
    ("format", c_char_p),
    ("name", c_char_p),
    ("metadata", c_char_p),
    ("flags", c_int64),
    ("n_children", c_int64),
    ("children", POINTER(POINTER(ArrowSchema))),
    ("dictionary", POINTER(ArrowSchema)),
    ("release", SchemaRelease),
    ("private_data", c_void_p),
]
ArrowArray._fields_ = [
    ("length", c_int64),
    ("null_count", c_int64),
    ("offset", c_int64),
    ("n_buffers", c_int64),
    ("n_children", c_int64),
    ("buffers", POINTER(c_void_p)),
    ("children", POINTER(POINTER(ArrowArray))),
    ("dictionary", POINTER(ArrowArray)),
    ("release", ArrayRelease),
    ("private_data", c_void_p),
]
ArrowArrayStream._fields_ = [
    ("get_schema", GetSchema),
    ("get_next", GetNext),
    ("get_last_error", GetLastError),
    ("release", StreamRelease),
    ("private_data", c_void_p),
]

PyCapsule_New = ctypes.pythonapi.PyCapsule_New
PyCapsule_New.restype = ctypes.py_object
PyCapsule_New.argtypes = [c_void_p, c_char_p, c_void_p]


def le(fmt, *values):
    return struct.pack("<%d%s" % (len(values), fmt), *values)


class Node:
    """One array node: format, length, buffers (bytes or None), children, dictionary."""

    def __init__(self, fmt, length, buffers, *, offset=0, null_count=0, children=(), dictionary=None, n_buffers=None):
        self.fmt, self.length, self.buffers = fmt, length, buffers
        self.offset, self.null_count = offset, null_count
        self.children, self.dictionary = list(children), dictionary
        self.n_buffers = len(buffers) if n_buffers is None else n_buffers


class Producer:
    """Exports Nodes through the PyCapsule interface and counts releases."""

    def __init__(self):
        self.keep = []  # ctypes objects the exported structs point to
        self.cbufs = {}
        self.released = {"schema": 0, "array": 0, "stream": 0}
        self.exported = {"schema": 0, "array": 0, "stream": 0}

        def rel_schema(p):
            self.released["schema"] += 1
            p.contents.release = SchemaRelease()

        def rel_array(p):
            self.released["array"] += 1
            p.contents.release = ArrayRelease()

        def rel_stream(p):
            self.released["stream"] += 1
            p.contents.release = StreamRelease()

        self.rel_schema, self.rel_array, self.rel_stream = (
            SchemaRelease(rel_schema),
            ArrayRelease(rel_array),
            StreamRelease(rel_stream),
        )

    def fill_schema(self, s, node, top=True):
        s.format = node.fmt.encode()
        s.n_children = len(node.children)
        kids = (POINTER(ArrowSchema) * max(1, len(node.children)))()
        for i, c in enumerate(node.children):
            cs = ArrowSchema()
            self.fill_schema(cs, c, top=False)
            kids[i] = ctypes.pointer(cs)
            self.keep.append(cs)
        s.children = kids
        self.keep.append(kids)
        if node.dictionary is not None:
            ds = ArrowSchema()
            self.fill_schema(ds, node.dictionary, top=False)
            s.dictionary = ctypes.pointer(ds)
            self.keep.append(ds)
        # Only the top struct is released by the consumer; children are
        # released by the parent's release (here: nothing to free).
        s.release = self.rel_schema if top else SchemaRelease(lambda p: None)
        if not top:
            self.keep.append(s.release)

    def fill_array(self, a, node, top=True):
        a.length, a.null_count, a.offset = node.length, node.null_count, node.offset
        a.n_buffers = node.n_buffers
        bufs = (c_void_p * max(1, len(node.buffers)))()
        for i, b in enumerate(node.buffers):
            if b is not None:
                if id(b) not in self.cbufs:  # bytes are immutable: one copy each
                    self.cbufs[id(b)] = (b, ctypes.create_string_buffer(b, max(len(b), 1)))
                bufs[i] = ctypes.addressof(self.cbufs[id(b)][1])
        a.buffers = bufs
        self.keep.append(bufs)
        a.n_children = len(node.children)
        kids = (POINTER(ArrowArray) * max(1, len(node.children)))()
        for i, c in enumerate(node.children):
            ca = ArrowArray()
            self.fill_array(ca, c, top=False)
            kids[i] = ctypes.pointer(ca)
            self.keep.append(ca)
        a.children = kids
        self.keep.append(kids)
        if node.dictionary is not None:
            da = ArrowArray()
            self.fill_array(da, node.dictionary, top=False)
            a.dictionary = ctypes.pointer(da)
            self.keep.append(da)
        a.release = self.rel_array if top else ArrayRelease(lambda p: None)
        if not top:
            self.keep.append(a.release)

    def capsule(self, obj, name):
        self.keep.append(obj)
        return PyCapsule_New(ctypes.addressof(obj), name, None)

    def array(self, node):
        """An object with __arrow_c_array__ exporting node."""
        prod = self

        class Exported:
            def __arrow_c_array__(self, requested_schema=None):
                s, a = ArrowSchema(), ArrowArray()
                prod.fill_schema(s, node)
                prod.fill_array(a, node)
                prod.exported["schema"] += 1
                prod.exported["array"] += 1
                return prod.capsule(s, b"arrow_schema"), prod.capsule(a, b"arrow_array")

        return Exported()

    def stream(self, schema_node, batches, *, fail_at=None, stop=None):
        """An object with __arrow_c_stream__ giving batches (Nodes); get_next
        fails with EIO at batch fail_at, and with EINTR once stop() is true;
        batches is a list, or a function of the batch number."""
        prod = self

        class Exported:
            def __arrow_c_stream__(self, requested_schema=None):
                state = {"i": 0}

                def get_schema(st, out):
                    prod.fill_schema(out.contents, schema_node)
                    prod.exported["schema"] += 1
                    return 0

                def get_next(st, out):
                    i = state["i"]
                    state["i"] += 1
                    if i == fail_at:
                        return 5
                    if stop is not None and stop():
                        return 4
                    batch = batches(i) if callable(batches) else batches[i] if i < len(batches) else None
                    if batch is None:
                        out.contents.release = ArrayRelease()
                        return 0
                    prod.fill_array(out.contents, batch)
                    prod.exported["array"] += 1
                    return 0

                cbs = (GetSchema(get_schema), GetNext(get_next), GetLastError(lambda st: b"disk on fire"))
                prod.keep.append(cbs)
                st = ArrowArrayStream(cbs[0], cbs[1], cbs[2], prod.rel_stream, None)
                prod.exported["stream"] += 1
                return prod.capsule(st, b"arrow_array_stream")

        return Exported()

    def check_released(self):
        assert self.released == self.exported


def utf8(values, validity=None):
    offs, data = [0], b""
    for v in values:
        data += v.encode()
        offs.append(len(data))
    return Node("u", len(values), [validity, le("i", *offs), data])


def test_good_array_counts_and_releases():
    p = Producer()
    assert count_approx(p.array(utf8(["a", "b", "a", "héllo"])), seed=1) == 3
    p.check_released()
    assert p.exported["array"] == 1


@pytest.mark.parametrize(
    "node, exc, words",
    [
        (Node("u", 2, [None, le("i", 0, 3, 1), b"abc"]), ValueError, "offsets"),
        (Node("u", 1, [None, le("i", -1, 1), b"a"]), ValueError, "offsets"),
        (Node("u", 2, [None, le("i", 0, 1, 2)]), ValueError, "buffers"),
        (Node("u", 1, [None, None, b"a"]), ValueError, "missing"),
        (Node("l", 2, [None, None]), ValueError, "missing"),
        (Node("l", 2, [None, le("q", 1, 2)], n_buffers=9), ValueError, "buffers"),
        (Node("l", -1, [None, le("q", 1)]), ValueError, "length"),
        (Node("l", 1, [None, le("q", 1)], null_count=1), ValueError, "validity"),
        (Node("vu", 1, [None, le("i", 20, 0, 3, 0), b"x" * 20, le("q", 20)]), ValueError, "view"),
        (Node("vu", 1, [None, le("i", 20, 0, 0, 10), b"x" * 20, le("q", 20)]), ValueError, "view"),
        (Node("c", 2, [None, bytes([0, 7])], dictionary=utf8(["a", "b"])), ValueError, "dictionary index 7"),
        (Node("+s", 1, [None], children=[Node("l", 0, [None, None])]), ValueError, "field"),
        (Node("tsu:", 1, [None, le("q", 1)]), TypeError, "'tsu:'"),
        (Node("d:10,2", 1, [None, bytes(16)]), TypeError, "'d:10,2'"),
        (Node("+l", 0, [None, le("i", 0)], children=[Node("l", 0, [None, None])]), TypeError, "'+l'"),
        (
            Node("+s", 1, [None], children=[Node("l", 1, [None, le("q", 1)]), Node("l", 1, [None, le("q", 1)])]),
            TypeError,
            "one field",
        ),
        (Node("g", 1, [None, le("q", 1)], dictionary=utf8(["a"])), TypeError, "dictionary index format"),
        (Node("", 1, [None, le("q", 1)]), ValueError, "format"),
    ],
)
def test_malformed_raises_and_releases(node, exc, words):
    p = Producer()
    with pytest.raises(exc, match=re.escape(words)):
        count_approx(p.array(node))
    p.check_released()
    c = CVMCounter(seed=1)
    with pytest.raises(exc):
        c.update(p.array(node))
    p.check_released()


def test_format_error_names_format_string():
    with pytest.raises(TypeError) as e:
        count_approx(Producer().array(Node("tss:UTC", 1, [None, le("q", 1)])))
    assert "'tss:UTC'" in str(e.value) or '"tss:UTC"' in str(e.value)


def test_stream_releases_every_batch():
    p = Producer()
    batches = [utf8(["a", "b"]), utf8(["b", "c"]), utf8([])]
    assert count_approx(p.stream(utf8([]), batches), seed=1) == 3
    p.check_released()
    assert p.released == {"schema": 1, "array": 3, "stream": 1}


def test_stream_error_mid_way_releases():
    p = Producer()
    with pytest.raises(ValueError, match="disk on fire"):
        count_approx(p.stream(utf8([]), [utf8(["a"]), utf8(["b"])], fail_at=1))
    p.check_released()
    assert p.released["stream"] == 1


def test_stream_bad_batch_releases():
    p = Producer()
    bad = Node("u", 2, [None, le("i", 0, 3, 1), b"abc"])
    with pytest.raises(ValueError, match="offsets"):
        count_approx(p.stream(utf8([]), [utf8(["a"]), bad, utf8(["c"])]))
    p.check_released()
    assert p.released == {"schema": 1, "array": 2, "stream": 1}


def test_stream_keyboard_interrupt_releases():
    # SIGINT arrives while batches of 1M int64 are counted; the stream would
    # go on for ever. The handler raises KeyboardInterrupt only when it runs
    # in this test's frame (that is, from count_approx's own signal check):
    # raised inside a ctypes callback, ctypes would print and drop it. Landing
    # in a callback, it sends SIGINT again a little later.
    me = sys._getframe().f_code
    timers = []

    def send(delay):
        t = threading.Timer(delay, os.kill, (os.getpid(), signal.SIGINT))
        timers.append(t)
        t.start()

    def on_sigint(signum, frame):
        if frame is not None and frame.f_code is me:
            raise KeyboardInterrupt
        send(0.01)

    values = le("q", *range(1 << 20))
    batch = Node("l", 1 << 20, [None, values])
    p = Producer()
    old = signal.signal(signal.SIGINT, on_sigint)
    try:
        send(0.3)
        with pytest.raises(KeyboardInterrupt):
            count_approx(p.stream(Node("l", 0, [None, None]), lambda i: batch if i < 100000 else None))
    finally:
        for t in timers:
            t.cancel()
        signal.signal(signal.SIGINT, old)
    p.check_released()
    assert p.released["stream"] == 1 and p.released["array"] >= 1


def test_wrong_capsules_raise_type_error():
    class Bad:
        def __arrow_c_array__(self, requested_schema=None):
            return (1, 2)

    class Short:
        def __arrow_c_array__(self, requested_schema=None):
            return ()

    class BadStream:
        def __arrow_c_stream__(self, requested_schema=None):
            return PyCapsule_New(1, b"not_a_stream", None)

    for obj in (Bad(), Short(), BadStream()):
        with pytest.raises(TypeError):
            count_approx(obj)


def test_exporter_exception_propagates():
    class Raises:
        def __arrow_c_stream__(self, requested_schema=None):
            raise RuntimeError("export failed")

        def __iter__(self):
            return iter([1, 2])

    with pytest.raises(RuntimeError, match="export failed"):
        count_approx(Raises())


def test_import_error_falls_back_to_iteration():
    # pandas exports through pyarrow; without it, __arrow_c_stream__ raises
    # ImportError and the values are counted as Python objects instead.
    class NeedsPyarrow:
        def __arrow_c_stream__(self, requested_schema=None):
            raise ImportError("no pyarrow")

        def __iter__(self):
            return iter(["a", "b", "a"])

        def __len__(self):
            return 3

    assert count_approx(NeedsPyarrow(), seed=1) == 2


def test_sliced_struct_and_dictionary_nodes():
    p = Producer()
    # struct of one utf8 field, offset 1, struct validity 0b110 (row 0 null)
    child = utf8(["x", "a", "b", "c"])
    st = Node("+s", 3, [bytes([0b0110])], offset=0, null_count=1, children=[child])
    assert count_approx(p.array(st), seed=1) == 2  # rows 1, 2: "a", "b"
    d = Node("s", 5, [bytes([0b10111]), le("h", 0, 1, 0, 9, 2)], null_count=1, dictionary=utf8(["p", "q", "r"]))
    assert count_approx(p.array(d), seed=1) == 3
    p.check_released()
