"""count_approx and CVMCounter: exact below the buffer size, within epsilon
with probability 1-delta and unbiased above it, repeatable with a seed across
every way of feeding the same items, and strict about bad input."""

import array
import math
import os
import random
import subprocess
import sys

import pytest

import gokernels
from gokernels.cvm import CVMCounter, count_approx

np = pytest.importorskip("numpy")


def feeds(items, seed, **kw):
    """Every way to feed the same items: all must give the same estimate."""
    n = len(items)
    c = CVMCounter(stream_length=n, seed=seed, **kw)
    half = n // 2
    c.update(items[:half])
    for x in items[half : half + 1000]:
        c.add(x)
    c.update(iter(items[half + 1000 :]))
    return {
        "list": count_approx(items, seed=seed, **kw),
        "tuple": count_approx(tuple(items), seed=seed, **kw),
        "iterator": count_approx(iter(items), seed=seed, **kw),
        "top-level": gokernels.count_approx(items, seed=seed, **kw),
        "counter-in-pieces": c.estimate(),
    }


EXACT_CASES = {
    "empty": [],
    "one": ["x"],
    "ints": list(range(1000)) * 3,
    "equal-across-types": [1, 1.0, True, 0, 0.0, False, -0.0, 2, 2.0],
    "hash-collisions": [-1, -2, 2**61 - 1 + 5, 5, 2**64, "a", b"a"],
    "int-subclasses": [1, True, 2, __import__("enum").IntEnum("E", "A B").B, 2.0],
    "mixed": ["a", b"a", (1, 2), None, 2.5, float("inf"), -float("inf"), 10**30, "é", frozenset([1])],
    "floats": [i / 7 for i in range(500)] * 2,
}


@pytest.mark.parametrize("name", sorted(EXACT_CASES))
def test_exact_below_threshold(name):
    items = EXACT_CASES[name]
    for how, got in feeds(items, seed=1).items():
        assert got == len(set(items)), how


def test_big_ints_keyed_by_content():
    # Unequal ints with equal hash() (beyond 64 bits, a multiple of 2**61 - 1
    # apart) are two items; an int equal to a float is one item with it.
    assert hash(2**64) == hash(2**64 + 2**61 - 1)
    assert count_approx([2**64, 2**64 + 2**61 - 1]) == 2
    big = [2**70, 2.0**70, -(2**70), -(2.0**70), 2**70 + 1, -(2**70) - 1, 10**40, 10**40 + 2**61 - 1, 2**63, 2.0**63]
    assert count_approx(big) == len(set(big)) == 7


def test_all_nans_are_one_value():
    # Issue 11 item 6: NaNs were keyed by address, so freed and reused NaN
    # objects from a generator counted as one and NaNs kept alive as many.
    # Now every NaN is the same value, as in polars' and pandas' n_unique.
    nans = [float("nan") for _ in range(10)]
    assert count_approx(nans) == 1
    assert count_approx(float("nan") for _ in range(1000)) == 1
    assert count_approx(nans + [float("-nan"), np.float64("nan"), 1.0, 2]) == 3
    assert count_approx(np.array([np.nan, -np.nan, 1.0, np.nan], dtype=np.float32)) == 2
    assert count_approx(np.array([np.nan, 1.0])) == count_approx([float("nan"), 1])


def test_same_seed_same_answer_every_feed():
    rnd = random.Random(5)
    items = [str(rnd.randrange(50_000)) for _ in range(200_000)]
    for seed in (0, 1, 2**64 - 1):
        answers = feeds(items, seed)
        assert len(set(answers.values())) == 1, answers
    assert len({count_approx(items, seed=s) for s in range(10)}) > 1  # the seed matters


def test_independent_of_pythonhashseed():
    code = (
        "import random, gokernels; r = random.Random(3); "
        "items = [str(r.randrange(40000)) + 'x' for _ in range(100000)]; "
        "items += [(i, str(i), b'%d' % i, None) for i in range(3000)] + ['\u00e9\u20ac\U0001f600', 2**80]; "
        "print(gokernels.count_approx(items, seed=7), gokernels.count_approx(items))"
    )
    outs = set()
    for hs in ("0", "1", "12345"):
        env = dict(os.environ, PYTHONHASHSEED=hs)
        r = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
        outs.add(r.stdout.strip())
    assert len(outs) == 1, outs


def test_statistics_over_many_seeds():
    """At least 1-delta of estimates within epsilon; mean relative error ~ 0."""
    eps, delta, distinct = 0.2, 0.1, 30_000
    rnd = random.Random(11)
    items = list(range(distinct)) * 3
    rnd.shuffle(items)
    seeds = 120
    errors = [(count_approx(items, eps, delta, seed=s) - distinct) / distinct for s in range(seeds)]
    within = sum(abs(e) <= eps for e in errors) / seeds
    assert within >= 1 - delta
    mean = sum(errors) / seeds
    sd = math.sqrt(sum((e - mean) ** 2 for e in errors) / (seeds - 1))
    assert abs(mean) <= 4 * sd / math.sqrt(seeds) + 1e-9, (mean, sd)  # unbiased within 4 standard errors
    assert sd > 0  # really approximate: the buffer overflowed


@pytest.mark.parametrize(
    "dtype", ["int8", "uint8", "int16", "uint16", "int32", "uint32", "int64", "uint64", "float32", "float64", "bool"]
)
def test_numpy_arrays_count_like_lists(dtype):
    rnd = np.random.default_rng(3)
    if dtype == "bool":
        a = rnd.integers(0, 2, size=50_000).astype(bool)
    elif dtype.startswith("float"):
        a = (rnd.integers(-20_000, 20_000, size=50_000) / rnd.choice([1, 2, 4, 3], size=50_000)).astype(dtype)
    else:
        info = np.iinfo(dtype)
        a = rnd.integers(info.min, info.max, size=50_000, dtype=dtype, endpoint=True)
        a[:1000] = a[1000:2000]  # some repeats
    as_list = a.tolist()
    for seed in (1, 2):
        assert count_approx(a, seed=seed) == count_approx(as_list, seed=seed), seed
    c = CVMCounter(stream_length=len(a), seed=4)
    c.update(a[:20_000])
    c.update(as_list[20_000:])
    assert c.estimate() == count_approx(as_list, seed=4)


def test_arrays_exact_and_special_values():
    a = np.array([1.0, 1.0, -0.0, 0.0, np.inf, -np.inf, 2.5, 2**63, -(2**63), 1e300, np.nan, np.nan])
    assert len(set(a.tolist())) == 10  # the two NaN objects are two set members ...
    assert count_approx(a) == 9 == count_approx(a[:-1])  # ... but one NaN value here
    u = np.array([2**64 - 1, 2**63, 2**63 - 1, 0, 2**64 - 1], dtype=np.uint64)
    assert count_approx(u) == len(set(u.tolist())) == 4
    assert count_approx(array.array("q", [5, 5, -1, -2])) == 3
    assert count_approx(memoryview(b"hello")) == count_approx(list(b"hello")) == 4
    assert count_approx(b"hello") == 4
    assert count_approx(np.arange(10)[::2]) == 5  # non-contiguous: iterated
    assert count_approx(np.array([1, 2, 3], dtype=">i8")) == 3  # byte-swapped: iterated
    assert count_approx(np.array([1.5, 1.5], dtype=np.float16)) == 1  # unsupported dtype: iterated


def test_exceptions_propagate_unchanged():
    class Boom(Exception):
        pass

    class BadHash:
        def __hash__(self):
            raise Boom("from __hash__")

    def gen():
        yield 1
        raise Boom("from the iterator")

    with pytest.raises(Boom, match="__hash__"):
        count_approx([1, 2, BadHash()])
    with pytest.raises(Boom, match="iterator"):
        count_approx(gen())
    c = CVMCounter()
    with pytest.raises(Boom):
        c.add(BadHash())
    with pytest.raises(TypeError, match="unhashable"):
        c.update([[1]])
    c.add(3)
    assert c.estimate() == 1


@pytest.mark.parametrize(
    "call, exc, words",
    [
        (lambda: count_approx([1], 0), ValueError, ["'epsilon'"]),
        (lambda: count_approx([1], 1.0), ValueError, ["'epsilon'"]),
        (lambda: count_approx([1], -0.5), ValueError, ["'epsilon'"]),
        (lambda: count_approx([1], float("nan")), ValueError, ["'epsilon'"]),
        (lambda: count_approx([1], 0.5, 0), ValueError, ["'delta'"]),
        (lambda: count_approx([1], delta=1.5), ValueError, ["'delta'"]),
        (lambda: count_approx([1], "0.5"), TypeError, ["'epsilon'", "str"]),
        (lambda: count_approx([1], delta=None), TypeError, ["'delta'"]),
        (lambda: count_approx([1], 1e-9), ValueError, ["too small"]),
        (lambda: count_approx([1], seed=1.5), TypeError, ["'seed'"]),
        (lambda: count_approx([[1], [2]]), TypeError, ["unhashable"]),
        (lambda: count_approx(5), TypeError, ["'items'", "int"]),
        (lambda: count_approx(None), TypeError, ["'items'"]),
        (lambda: count_approx(), TypeError, ["'items'"]),
        (lambda: count_approx([1], 0.5, 0.1, 3), TypeError, ["positional"]),
        (lambda: CVMCounter(0), ValueError, ["'epsilon'"]),
        (lambda: CVMCounter(delta=2), ValueError, ["'delta'"]),
        (lambda: CVMCounter(stream_length=-1), ValueError, ["'stream_length'"]),
        (lambda: CVMCounter(stream_length="5"), TypeError, ["'stream_length'"]),
        (lambda: CVMCounter(seed="x"), TypeError, ["'seed'"]),
        (lambda: CVMCounter().update(5), TypeError, ["int"]),
    ],
)
def test_bad_input(call, exc, words):
    with pytest.raises(exc) as info:
        call()
    for w in words:
        assert w in str(info.value)


def test_counter_attributes_and_repr():
    c = CVMCounter(0.5, 0.001, stream_length=10_000_000, seed=1)
    assert c.threshold == math.ceil(12 / 0.25 * math.log2(8 * 10_000_000 / 0.001)) + 1 & ~1  # 1740, even
    assert (c.epsilon, c.delta) == (0.5, 0.001)
    assert CVMCounter().threshold > c.threshold  # the default bound, 2**40 items
    c.update(range(100))
    assert "estimate=100" in repr(c)


def test_memory_stays_bounded():
    code = (
        "import resource, gokernels\n"
        "gokernels.count_approx(range(1000), seed=1)\n"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "est = gokernels.count_approx(iter(range(5_000_000)), seed=1)\n"
        "after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "print(est, (after - before) / 1024)\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    est, grown_mib = r.stdout.split()
    assert abs(int(est) - 5_000_000) <= 0.5 * 5_000_000
    assert float(grown_mib) <= 8, "peak RSS grew by %s MiB" % grown_mib


def _run(code, **kw):
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, **kw)
    assert r.returncode == 0, r.stderr
    return r.stdout


def test_empty_counter_of_a_huge_buffer_allocates_kilobytes():
    # Issue 11: count_approx([], epsilon=0.0031) preallocated ~3.5 GiB for
    # its table and aborted under a 2 GiB address-space limit. The table now
    # grows with the buffer.
    code = (
        "import resource, time, gokernels\n"
        "gokernels.count_approx([1, 2])  # load the Go runtime first\n"
        "resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))\n"
        "t = time.perf_counter()\n"
        "r = [gokernels.count_approx([], epsilon=e) for e in (0.003, 0.0031, 0.001)]\n"
        "c = gokernels.CVMCounter(epsilon=0.001)\n"
        "c.update(range(1000))\n"
        "print(r, c.estimate(), c.threshold, time.perf_counter() - t)\n"
    )
    r, est, threshold, seconds = _run(code).rsplit(" ", 3)
    assert r == "[0, 0, 0]" and est == "1000"
    assert int(threshold) > 40_000_000
    assert float(seconds) < 0.5


def test_rss_per_buffered_key():
    # At most 24 bytes of RSS per key in a buffer of 1M keys (the table is
    # 8 bytes per slot, at most 3/4 full after growing).
    code = (
        "import numpy as np, gokernels\n"
        "def rss():\n"
        "    with open('/proc/self/statm') as f:\n"
        "        return int(f.read().split()[1]) * 4096\n"
        "a = np.arange(1_000_000, dtype=np.int64)\n"
        "gokernels.count_approx([1])\n"
        "c = gokernels.CVMCounter(epsilon=0.003)\n"
        "before = rss()\n"
        "c.update(a)\n"
        "after = rss()\n"
        "print(c.estimate(), (after - before) / 1_000_000)\n"
    )
    est, per_key = _run(code).split()
    assert est == "1000000"
    assert float(per_key) <= 24, per_key


def test_object_keys_equal_array_keys():
    # A numpy array counts with the same keys as the list of its values: the
    # two counters are identical, not just their estimates.
    rnd = np.random.default_rng(8)
    for a in (
        rnd.integers(-(10**6), 10**6, size=300_000),
        rnd.integers(0, 2**64 - 1, size=300_000, dtype=np.uint64, endpoint=True),
        rnd.integers(-500, 500, size=300_000) / 8,
        rnd.integers(0, 2, size=1000).astype(bool),
    ):
        x, y = CVMCounter(0.05), CVMCounter(0.05)
        x.update(a)
        y.update(a.tolist())
        assert x.to_bytes() == y.to_bytes(), a.dtype


def test_large_array_on_all_cores_matches_pieces():
    a = np.random.default_rng(9).integers(0, 3_000_000, size=6_000_000)
    whole = CVMCounter(0.05)
    whole.update(a)
    pieces = CVMCounter(0.05)
    for i in range(0, len(a), 100_000):
        pieces.update(a[i : i + 100_000])
    assert whole.to_bytes() == pieces.to_bytes()
    assert abs(whole.estimate() / len(np.unique(a)) - 1) < 0.05
