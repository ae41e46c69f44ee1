"""The whole public API of gokernels, typed: `make typing` checks this file with
`mypy --strict` against the installed package's .pyi stubs, and it also runs
(`python tests/typing/usage.py`, on small inputs) so every line is real usage.

When a public function is added or its signature changes, add or change its
line here: mypy then checks the stub, and stubtest checks the stub against the
compiled module.
"""

import array
from typing import Callable, Dict, Hashable, Iterable, List, Optional, Sequence, Union

import gokernels
from gokernels import (
    CVMCounter,
    count_approx,
    count_doubles,
    count_doubles_bytes,
    count_doubles_parallel,
    cvm,
    doubles,
    list_sum,
    lists,
    lzstring,
    random_string,
    reference,
    short_long,
    text,
)
from gokernels.cli import main as cli_main
from gokernels.lzstring import DEFAULT_MAX_LENGTH, DecompressError, LZString, OutputTooLongError

version: str = gokernels.__version__
public: List[str] = gokernels.__all__

# ---- gokernels.doubles ----
n_doubles: int = count_doubles("aabbbc")
n_bytes: int = count_doubles_bytes("ééé") + count_doubles_bytes(b"aa")
n_buffers: int = count_doubles_bytes(bytearray(b"aa")) + count_doubles_bytes(memoryview(b"aaa"))
n_parallel: int = count_doubles_parallel("ab" * 1000) + count_doubles_parallel("aa", workers=2)
n_parallel += count_doubles_parallel("aa", None)
assert (n_doubles, n_bytes, n_buffers, n_parallel) == (3, 1, 3, 2)
assert doubles.count_doubles is count_doubles

# ---- gokernels.lists ----
total: int = list_sum([1, 2, 3]) + list_sum((4, 5)) + lists.list_sum([2**70])
numbers: Sequence[int] = range(10)
total += list_sum(list(numbers))
assert total == 15 + 2**70 + 45

# ---- gokernels.text ----
fraction: float = short_long("a tremendously long sentence") + text.short_long("extraordinarily")
word: str = random_string(8) + random_string(4, "xy") + random_string(3, alphabet="z", seed=1)
word += random_string(2, seed=None)
assert len(word) == 17 and 0.0 <= fraction <= 2.0

# ---- gokernels.cvm ----
items: Iterable[Hashable] = ["a", 1, 1.0, ("t", 2), None, b"x", frozenset({3})]
estimate: int = count_approx(items) + count_approx(range(100), 0.1, 0.01, seed=7)
estimate += cvm.count_approx(array.array("q", [1, 2, 2]), epsilon=0.5, delta=0.001, seed=None)
counter: CVMCounter = CVMCounter()
counter = CVMCounter(0.2, 0.01, stream_length=1000, seed=42)
counter = CVMCounter(epsilon=0.2, delta=0.01)
counter.add("x")
counter.update(["y", "z", 3])
distinct: int = counter.estimate()
threshold: int = counter.threshold
bounds: float = counter.epsilon + counter.delta
assert distinct == 4 and threshold > 0 and 0 < bounds < 1 and estimate == 6 + 100 + 2

# ---- gokernels.lzstring ----
compressed: str = lzstring.compress("hello")
utf16: str = lzstring.compress_to_utf16("hello")
b64: str = lzstring.compress_to_base64("hello")
uri: str = lzstring.compress_to_encoded_uri_component("hello")
raw: bytes = lzstring.compress_to_uint8array("hello")
outs: List[str] = [
    lzstring.decompress(compressed),
    lzstring.decompress_from_utf16(utf16),
    lzstring.decompress_from_base64(b64, max_length=100),
    lzstring.decompress_from_encoded_uri_component(uri, None),
    lzstring.decompress_from_uint8array(raw, DEFAULT_MAX_LENGTH),
    lzstring.decompress_from_uint8array(bytearray(raw)),
]
assert outs == ["hello"] * 6
many: List[Union[str, bytes]] = lzstring.compress_many(["a", "b"]) + lzstring.compress_many(("c",), "bytes", workers=2)
back: List[str] = lzstring.decompress_many([b64, b64], "base64", max_length=None, workers=None)
back += lzstring.decompress_many([raw, bytearray(raw)], format="bytes")
assert len(many) == 3 and back == ["hello"] * 4
try:
    lzstring.decompress_from_base64("hello", max_length=1)
except OutputTooLongError as exc:
    too_long: DecompressError = exc
except DecompressError as exc:
    invalid: ValueError = exc

# LZString: the lzstring package's camelCase static methods, None-tolerant.
js: Dict[str, Optional[str]] = {
    "compress": LZString.compress("hi"),
    "utf16": LZString.compressToUTF16("hi"),
    "b64": LZString.compressToBase64(None),
    "uri": LZString.compressToEncodedURIComponent("hi"),
    "d": LZString.decompress(LZString.compress("hi")),
    "d16": LZString.decompressFromUTF16(LZString.compressToUTF16("hi")),
    "d64": LZString.decompressFromBase64(LZString.compressToBase64("hi")),
    "duri": LZString.decompressFromEncodedURIComponent(None),
}
u8: bytes = LZString.compressToUint8Array("hi")
maybe: Optional[str] = LZString.decompressFromUint8Array(u8) or LZString.decompressFromUint8Array(None)
assert js["d"] == js["d16"] == js["d64"] == maybe == "hi"

# ---- gokernels.reference: the pure-Python versions ----
ref_counts: List[int] = [
    reference.doubles_zip("aab"),
    reference.doubles_once("aab"),
    reference.doubles_itertools("aab"),
    reference.doubles_comprehension("aab"),
    reference.doubles_regex("aab"),
    reference.doubles_numpy("aab"),
]
ref_estimate: float = reference.count_approx(["a", "b"], 0.5, 0.001, seed=1)
assert ref_counts == [1] * 6 and ref_estimate == 2

# ---- the command line (`gokernels bench ...`): not run here ----
entry: Callable[[Optional[List[str]]], int] = cli_main
