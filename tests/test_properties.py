"""Property tests (hypothesis) across the public API.

Every str strategy draws from all of Unicode, lone surrogates included, and
from small alphabets that make runs, repeats and mixed PEP 393 kinds likely.
derandomize=True makes every run the same examples, so a failure reproduces.
"""

import array
import sys

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import gokernels
import gokernels.lzstring as lz
from gokernels import CVMCounter, reference
from kernels import A

SETTINGS = dict(derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Every code point, surrogates included (hypothesis leaves Cs out by default).
ANY_CHAR = st.characters(exclude_categories=())
RUNS_CHAR = st.sampled_from("aab\x00\xe9\u20ac\U0001f600\U0010ffff\ud800\udc00\ud83d\ude00 \t\n\u3000")
TEXT = st.one_of(
    st.text(ANY_CHAR, max_size=200),
    st.text(RUNS_CHAR, max_size=200),
    st.builds(lambda s, k: s * k, st.text(RUNS_CHAR, min_size=1, max_size=6), st.integers(1, 300)),
)


def definition(seq):
    return sum(1 for i in range(len(seq) - 1) if seq[i] == seq[i + 1])


def js_str(s):
    """What JavaScript's UTF-16 units of s read back as: valid surrogate pairs join."""
    return s.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


FORMATS = {
    "raw": (lz.compress, lz.decompress),
    "utf16": (lz.compress_to_utf16, lz.decompress_from_utf16),
    "base64": (lz.compress_to_base64, lz.decompress_from_base64),
    "uri": (lz.compress_to_encoded_uri_component, lz.decompress_from_encoded_uri_component),
    "bytes": (lz.compress_to_uint8array, lz.decompress_from_uint8array),
}


# ---- lzstring


@settings(max_examples=1000, **SETTINGS)
@given(TEXT)
def test_lzstring_round_trip_every_format(s):
    want = js_str(s)
    for fmt, (comp, decomp) in FORMATS.items():
        packed = comp(s)
        assert decomp(packed) == want, fmt
        assert comp(want) == packed, fmt  # same UTF-16 units, same output
        if fmt == "utf16":
            packed.encode("utf-16")  # valid UTF-16: no lone surrogate
        elif fmt in ("base64", "uri"):
            assert packed.isascii()


@settings(max_examples=60, **SETTINGS)
@given(st.lists(TEXT, max_size=8), st.sampled_from(sorted(FORMATS)), st.integers(1, 4))
def test_lzstring_batch_equals_one_by_one(items, fmt, workers):
    comp, _ = FORMATS[fmt]
    packed = lz.compress_many(items, fmt, workers=workers)
    assert packed == [comp(s) for s in items]
    assert lz.decompress_many(packed, fmt, workers=workers) == [js_str(s) for s in items]


@settings(max_examples=1000, **SETTINGS)
@given(st.one_of(st.text(ANY_CHAR, max_size=60), st.text(st.sampled_from("AQgw/+=$-$zZ9 \x00"), max_size=60)))
def test_lzstring_decompress_garbage_never_crashes(s):
    """Arbitrary input gives a str or DecompressError, within max_length."""
    data = s.encode("utf-16-be", "surrogatepass")
    for decomp, arg in (
        (lz.decompress, s),
        (lz.decompress_from_utf16, s),
        (lz.decompress_from_base64, s),
        (lz.decompress_from_encoded_uri_component, s),
        (lz.decompress_from_uint8array, data),
    ):
        try:
            out = decomp(arg, max_length=5000)
        except lz.DecompressError:
            continue
        assert isinstance(out, str) and len(out.encode("utf-16-le", "surrogatepass")) <= 2 * 5000


# ---- doubles


@settings(max_examples=1000, **SETTINGS)
@given(TEXT)
def test_count_doubles_definition_and_variants(s):
    want = definition(s)
    assert gokernels.count_doubles(s) == want
    assert gokernels.count_doubles_parallel(s) == want
    assert gokernels.count_doubles_parallel(s, workers=3) == want
    try:
        b = s.encode()
    except UnicodeEncodeError:
        try:
            gokernels.count_doubles_bytes(s)
        except UnicodeEncodeError:
            return
        raise AssertionError("no UnicodeEncodeError for a str with a lone surrogate") from None
    assert gokernels.count_doubles_bytes(s) == definition(b)


@settings(max_examples=60, **SETTINGS)
@given(st.text(RUNS_CHAR, min_size=1, max_size=6), st.integers(40_000, 120_000), st.integers(1, 9))
def test_count_doubles_long_repeats_every_worker_count(unit, k, workers):
    """Long enough to be split between workers and to release the GIL; the
    answer follows from the repeated unit."""
    s = unit * k
    want = k * definition(unit) + (k - 1) * (unit[-1] == unit[0])
    assert gokernels.count_doubles(s) == want
    assert gokernels.count_doubles_parallel(s, workers) == want


@settings(max_examples=300, **SETTINGS)
@given(
    st.one_of(
        st.binary(max_size=300), st.builds(lambda b, k: b * k, st.binary(min_size=1, max_size=5), st.integers(1, 200))
    )
)
def test_count_doubles_bytes_every_buffer(b):
    want = definition(b)
    for x in (b, bytearray(b), memoryview(b), array.array("B", b), memoryview(b"?" + b)[1:]):
        assert gokernels.count_doubles_bytes(x) == want
    assert gokernels.count_doubles(b.decode("latin-1")) == want


# ---- text


@settings(max_examples=400, **SETTINGS)
@given(
    st.one_of(
        TEXT,
        st.lists(
            st.sampled_from(
                [
                    "the",
                    "a",
                    "extraordinary",
                    "é" * 9,
                    "😀😀",
                    "\ud800" * 9,
                    "fox",
                    " ",
                    "\t",
                    "\u3000",
                    "\x85",
                    "\u200b",
                    "\x1c",
                    "\xa0",
                ]
            )
        ).map("".join),
    )
)
def test_short_long_equals_python(s):
    try:
        want = reference.short_long(s)
    except ValueError:
        try:
            gokernels.short_long(s)
        except ValueError:
            return
        raise AssertionError("no ValueError") from None
    assert gokernels.short_long(s) == want


@settings(max_examples=200, **SETTINGS)
@given(st.text(ANY_CHAR, min_size=1, max_size=20), st.integers(0, 300), st.integers(-(2**70), 2**70))
def test_random_string_draws_from_alphabet_canonically(alphabet, n, seed):
    s = gokernels.random_string(n, alphabet, seed=seed)
    assert len(s) == n and set(s) <= set(alphabet)
    assert s == gokernels.random_string(n, alphabet, seed=seed)
    rebuilt = "".join(list(s))
    assert sys.getsizeof(s) == sys.getsizeof(rebuilt)  # the narrowest PEP 393 kind


# ---- lists


BIG_INTS = st.one_of(
    st.integers(),
    st.integers(-(2**64), 2**64),
    st.integers(-(2**200), 2**200),
    st.sampled_from([2**63 - 1, -(2**63), 2**63, 2**64 - 1, 2**127, -(2**127), True, False]),
)


@settings(max_examples=400, **SETTINGS)
@given(st.lists(BIG_INTS, max_size=60))
def test_list_sum_equals_sum(items):
    want = sum(items)
    for x in (items, tuple(items)):
        got = gokernels.list_sum(x)
        assert got == want and type(got) is type(want)


# ---- cvm


HASHABLE = st.one_of(
    st.integers(-(2**63), 2**63 - 1),
    st.floats(allow_nan=False),
    st.text(ANY_CHAR, max_size=8),
    st.binary(max_size=8),
    st.booleans(),
    st.none(),
    st.tuples(st.integers(0, 5), st.text(max_size=2)),
)


@settings(max_examples=300, **SETTINGS)
@given(st.lists(HASHABLE, max_size=300), st.integers(0, 2**64 - 1))
def test_count_approx_exact_below_the_buffer(items, seed):
    want = len(set(items))
    assert want < 1000  # far below the default buffer (about 2500)
    assert gokernels.count_approx(items, seed=seed) == want
    assert gokernels.count_approx(iter(items), seed=seed) == want
    c = CVMCounter(seed=seed)
    half = len(items) // 2
    c.update(items[:half])
    for x in items[half:]:
        c.add(x)
    assert c.estimate() == want


@settings(max_examples=100, **SETTINGS)
@given(st.lists(st.integers(), max_size=200))
def test_count_approx_big_ints_exact_unless_hashes_collide(items):
    # Beyond 64 bits an int is known by its hash: the documented limit.
    assume(len({hash(x) for x in items}) == len(set(items)))
    assert gokernels.count_approx(items) == len(set(items))


@settings(max_examples=100, **SETTINGS)
@given(st.lists(st.integers(-(2**63), 2**63 - 1), max_size=400), st.sampled_from("bhilqBHILQ"))
def test_count_approx_arrays_count_like_lists(values, code):
    a = array.array(code)
    info = {"b": 7, "h": 15, "i": 31, "l": 63, "q": 63}
    bits = info.get(code.lower(), 63)
    lo, hi = (-(2**bits), 2**bits - 1) if code.islower() else (0, 2 ** (bits + 1) - 1)
    a.extend(min(max(v, lo), hi) for v in values)
    assert gokernels.count_approx(a, seed=1) == len(set(a.tolist())) == gokernels.count_approx(a.tolist(), seed=1)


def _one_str_kernels():
    """The registry's kernels that take one str and have a reference that
    runs in this process (node's lz-string is asked per input elsewhere).
    Not the drop-in's decompressors: on garbage they return None (the
    lzstring package's null) where their reference, the function, raises."""
    from kernels import runnable

    return [
        k
        for k in runnable()
        if len(k.small.args) == 1 and isinstance(k.small.args[0], str) and not k.small.kwargs
        if k.reference is not None and not k.name.startswith(("lzstring.", "LZString.decompress"))
    ]


ONE_STR = _one_str_kernels()


@pytest.mark.parametrize("k", ONE_STR, ids=[k.name for k in ONE_STR])
@settings(max_examples=150, **SETTINGS)
@given(s=TEXT)
def test_registry_kernel_equals_its_reference_on_any_str(k, s):
    """Every one-str kernel of the registry (tests/kernels.py) against its
    reference on any str: the same answer, or the same exception type."""
    try:
        k.reference(s)
    except Exception as e:  # the reference refuses it (no word, a lone surrogate to encode)
        with pytest.raises(type(e)):
            k.fn(s)
        return
    assert k.right(k.fn(s), A(s))
