"""The cost of one call (the binding overhead): every public function on a
tiny input, against the builtin len() as the baseline of a C call that does
no work. Article 1 lost its list_sum race to exactly this cost."""

from functools import partial

import gokernels
from gokernels import lzstring as lz
from gokernels._bench import peers
from gokernels._bench.core import Case, Impl

_FORMATS = ("", "_to_utf16", "_to_base64", "_to_encoded_uri_component", "_to_uint8array")


def calls():
    """(name, zero-argument function, expected answer) for each public
    function on a tiny input; shared with benchmarks/test_bench_calls.py."""
    counter = gokernels.CVMCounter(seed=1)
    counter.add("a")
    out = [
        ("count_doubles('ab')", partial(gokernels.count_doubles, "ab"), 0),
        ("count_doubles_bytes(b'ab')", partial(gokernels.count_doubles_bytes, b"ab"), 0),
        ("count_doubles_parallel('ab')", partial(gokernels.count_doubles_parallel, "ab"), 0),
        ("short_long('short extraordinary')", partial(gokernels.short_long, "short extraordinary"), 0.5),
        ("random_string(2, seed=1)", partial(gokernels.random_string, 2, seed=1), gokernels.random_string(2, seed=1)),
        ("list_sum([1, 2])", partial(gokernels.list_sum, [1, 2]), 3),
        ("count_approx(['a', 'b'])", partial(gokernels.count_approx, ["a", "b"]), 2),
        ("CVMCounter()", gokernels.CVMCounter, None),
        ("CVMCounter.add('a')", partial(counter.add, "a"), None),
        ("CVMCounter.update(['a'])", partial(counter.update, ["a"]), None),
        ("CVMCounter.estimate()", counter.estimate, 1),
    ]
    for suffix in _FORMATS:
        back = "decompress" + suffix.replace("_to_", "_from_")
        compress, decompress = getattr(lz, "compress" + suffix), getattr(lz, back)
        packed = compress("ab")
        out.append(("lzstring.compress%s('ab')" % suffix, partial(compress, "ab"), packed))
        out.append(("lzstring.%s(...)" % back, partial(decompress, packed), "ab"))
    packed = lz.compress_to_base64("ab")
    out += [
        ("lzstring.compress_many(['ab'])", partial(lz.compress_many, ["ab"]), [packed]),
        ("lzstring.decompress_many([...])", partial(lz.decompress_many, [packed]), ["ab"]),
        ("lzstring.LZString.compressToBase64('ab')", partial(lz.LZString.compressToBase64, "ab"), packed),
    ]
    return out


def cases(quick: bool):
    impls = [
        Impl(
            "builtin len('ab'): a C call doing nothing",
            partial(len, "ab"),
            baseline=True,
            group="python",
            expected=2,
            has_expected=True,
        )
    ]
    noop, why = peers.rust("noop")
    impls.append(
        Impl(
            "PyO3 noop('ab'): a Rust function doing nothing",
            partial(noop or int, "ab"),
            group="rust",
            missing=why,
            expected=0,
            has_expected=True,
        )
    )
    rust_bytes, why = peers.rust("count_doubles_bytes")
    impls.append(
        Impl(
            "Rust count_doubles_bytes(b'ab') (article 2)",
            partial(rust_bytes or int, b"ab"),
            group="rust",
            missing=why,
            expected=0,
            has_expected=True,
        )
    )
    for name, fn, expected in calls():
        impls.append(Impl(name, fn, group="gokernels", expected=expected, has_expected=True))
    title = "one call on a tiny input (the binding overhead)"
    return [Case("calls", title, None, impls, 2, check=_check, versus="len()")]


def _check(got, expected):
    if expected is None:  # CVMCounter() returns a counter, add/update return None
        return got is None or isinstance(got, gokernels.CVMCounter)
    return got == expected
