"""Mergeable CVM counters: a counter's state depends only on its seed and the
set of items it saw, so any order, repetition, split and merge tree gives the
same counter (the same to_bytes()); serialized counters merge across
processes whatever PYTHONHASHSEED is; the format rejects damaged data."""

import math
import os
import pickle
import random
import subprocess
import sys
import threading

import pytest

from gokernels.cvm import CVMCounter, count_approx

np = pytest.importorskip("numpy")

HEADER = 48  # docs/cvm-format.md: 40-byte header and 8-byte checksum


def mixed_items(n, distinct, seed):
    rnd = random.Random(seed)
    kinds = [
        lambda v: v,
        lambda v: str(v),
        lambda v: float(v) + 0.5,
        lambda v: b"%d" % v,
        lambda v: (v % 7, str(v)),
        lambda v: "\u00e9%d\u20ac" % v,
    ]
    return [kinds[v % len(kinds)](v) for v in (rnd.randrange(distinct) for _ in range(n))]


def counter_of(parts, **kw):
    """A counter made by merging one counter per part, in a random tree."""
    rnd = random.Random(len(parts))
    counters = []
    for p in parts:
        c = CVMCounter(**kw)
        c.update(p)
        counters.append(c)
    while len(counters) > 1:
        i = rnd.randrange(len(counters) - 1)
        a, b = counters[i], counters.pop(i + 1)
        if rnd.random() < 0.5:
            a.merge(b)
        else:
            counters[i] = a | b
    return counters[0]


@pytest.mark.parametrize("epsilon", [0.5, 0.1, 0.01])
def test_any_split_order_and_tree_gives_the_same_counter(epsilon):
    items = mixed_items(60_000, 20_000, 1)
    whole = CVMCounter(epsilon)
    whole.update(items)
    rnd = random.Random(2)
    for trial in range(6):
        shuffled = items + items[: rnd.randrange(len(items))]  # repetitions too
        rnd.shuffle(shuffled)
        cuts = sorted(rnd.sample(range(len(shuffled)), rnd.randrange(1, 12)))
        parts = [shuffled[i:j] for i, j in zip([0] + cuts, cuts + [len(shuffled)])]
        merged = counter_of(parts, epsilon=epsilon)
        assert merged.to_bytes() == whole.to_bytes(), trial
        assert merged.estimate() == whole.estimate()


def test_merge_is_exact_below_the_threshold():
    a, b = CVMCounter(), CVMCounter()
    a.update(range(1000))
    b.update(range(500, 1500))
    assert (a | b).estimate() == 1500
    assert a.estimate() == 1000  # | makes a new counter
    a.merge(b)
    assert a.estimate() == 1500
    a.merge(a)
    assert a.estimate() == 1500


def test_statistics_of_merged_counters_over_many_seeds():
    eps, delta, distinct = 0.2, 0.1, 30_000
    items = list(range(distinct)) * 2
    random.Random(11).shuffle(items)
    seeds = 100
    errors = []
    for s in range(seeds):
        parts = [items[i::3] for i in range(3)]
        c = counter_of(parts, epsilon=eps, delta=delta, stream_length=len(items), seed=s)
        single = count_approx(items, eps, delta, seed=s)
        assert c.estimate() == single
        errors.append((c.estimate() - distinct) / distinct)
    within = sum(abs(e) <= eps for e in errors) / seeds
    assert within >= 1 - delta
    mean = sum(errors) / seeds
    sd = math.sqrt(sum((e - mean) ** 2 for e in errors) / (seeds - 1))
    assert sd > 0
    assert abs(mean) <= 4 * sd / math.sqrt(seeds), (mean, sd)


def test_unbiased_with_a_small_buffer():
    # A small threshold halves p many times: any bias of the estimator
    # |buffer| * 2**k would show. epsilon 0.9 gives a threshold of ~460.
    distinct, seeds = 20_000, 300
    errors = [(count_approx(range(distinct), 0.9, 0.5, seed=s) - distinct) / distinct for s in range(seeds)]
    mean = sum(errors) / seeds
    sd = math.sqrt(sum((e - mean) ** 2 for e in errors) / (seeds - 1))
    assert sd > 0.01
    assert abs(mean) <= 4 * sd / math.sqrt(seeds), (mean, sd)


def test_incompatible_counters_do_not_merge():
    a = CVMCounter(seed=1)
    for b in (CVMCounter(seed=2), CVMCounter(0.4, seed=1), CVMCounter(stream_length=1000, seed=1), CVMCounter()):
        with pytest.raises(ValueError, match="different parameters"):
            a.merge(b)
        with pytest.raises(ValueError, match="different parameters"):
            a | b
    with pytest.raises(TypeError, match="'other'"):
        a.merge({1, 2})
    with pytest.raises(TypeError):
        a | {1}
    assert CVMCounter().seed == CVMCounter().seed  # seed=None: one fixed default
    assert CVMCounter().seed == CVMCounter(seed=CVMCounter().seed).seed


def test_default_seed_is_fixed():
    items = [str(i) for i in range(50_000)]
    c = CVMCounter(stream_length=len(items))
    c.update(items)
    assert count_approx(items) == c.estimate() == count_approx(items, seed=CVMCounter().seed)


def test_to_bytes_round_trip_size_and_pickle():
    for n in (0, 1, 1000, 200_000):
        c = CVMCounter(0.1)
        c.update(range(n))
        b = c.to_bytes()
        buffered = int(repr(c).split("buffered=")[1].split()[0])
        assert len(b) <= HEADER + 9 * buffered
        d = CVMCounter.from_bytes(b)
        assert d.to_bytes() == b and d.estimate() == c.estimate()
        assert (d.threshold, d.epsilon, d.delta, d.seed) == (c.threshold, c.epsilon, c.delta, c.seed)
        assert CVMCounter.from_bytes(bytearray(b)).estimate() == c.estimate()
        assert CVMCounter.from_bytes(memoryview(b)).estimate() == c.estimate()
        p = pickle.loads(pickle.dumps(c))
        assert p.to_bytes() == b
        p.update(range(n, n + 10))  # still a working counter
        d.merge(p)
        assert d.to_bytes() == p.to_bytes()


def test_damaged_bytes_are_rejected():
    c = CVMCounter(seed=3)
    c.update(range(5000))
    b = c.to_bytes()
    for n in range(len(b)):
        with pytest.raises(ValueError, match="truncated"):
            CVMCounter.from_bytes(b[:n])
    with pytest.raises(ValueError, match="truncated"):
        CVMCounter.from_bytes(b + b"\0")
    rnd = random.Random(4)
    for i in list(range(HEADER)) + rnd.sample(range(len(b)), 200):
        bad = bytearray(b)
        bad[i] ^= 1 << rnd.randrange(8)
        with pytest.raises(ValueError, match="from_bytes"):
            CVMCounter.from_bytes(bytes(bad))
    with pytest.raises(ValueError, match="magic"):
        CVMCounter.from_bytes(b"XXXX" + b[4:])
    with pytest.raises(ValueError, match="version"):
        CVMCounter.from_bytes(b[:4] + b"\x02" + b[5:])
    with pytest.raises(TypeError, match="'data'"):
        CVMCounter.from_bytes("text")


def test_hash_keyed_objects_make_a_process_local_counter():
    class Point:
        def __init__(self, x):
            self.x = x

        def __hash__(self):
            return hash(self.x)

        def __eq__(self, other):
            return isinstance(other, Point) and other.x == self.x

    c = CVMCounter()
    c.update([1, "a", None, (1, 2)])
    assert not c.process_local
    c.to_bytes()
    c.add(Point(1))
    assert c.process_local
    with pytest.raises(ValueError, match="Point.*another process"):
        c.to_bytes()
    with pytest.raises(ValueError, match="Point"):
        pickle.dumps(c)
    d = CVMCounter()
    d.add(((1, frozenset([2])),))
    assert d.process_local
    e = CVMCounter()
    e.merge(c)  # within the process merging is fine, and the result knows
    assert e.process_local and e.estimate() == 5


WORKER = """
import random, sys, gokernels
from gokernels.cvm import CVMCounter
part, parts = int(sys.argv[1]), int(sys.argv[2])
rnd = random.Random(5)
items = [rnd.choice([str, float, lambda v: (v, str(v)), lambda v: b'%d' % v, int])(rnd.randrange(60000))
         for _ in range(200000)]
if part < 0:
    c = CVMCounter(0.1)
    c.update(items)
else:
    c = CVMCounter(0.1)
    c.update(items[part::parts])
sys.stdout.write(c.to_bytes().hex())
"""


def test_counters_from_processes_with_different_hash_seeds_merge():
    def run(part, parts, hashseed):
        env = dict(os.environ, PYTHONHASHSEED=str(hashseed))
        r = subprocess.run(
            [sys.executable, "-c", WORKER, str(part), str(parts)], env=env, capture_output=True, text=True, check=True
        )
        return bytes.fromhex(r.stdout)

    whole = CVMCounter.from_bytes(run(-1, 1, 0))
    a = CVMCounter.from_bytes(run(0, 2, 1))
    b = CVMCounter.from_bytes(run(1, 2, 987654))
    merged = a | b
    assert merged.to_bytes() == whole.to_bytes()
    assert merged.estimate() == whole.estimate()
    assert a.estimate() != merged.estimate()


def test_threads_updating_one_counter_give_the_sequential_answer():
    items = mixed_items(200_000, 80_000, 7)
    expect = CVMCounter()
    expect.update(items)
    c = CVMCounter()
    errors = []

    def work(part):
        try:
            for i in range(0, len(part), 5000):
                c.update(part[i : i + 5000])
                c.estimate()
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(items[i::4],)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert c.to_bytes() == expect.to_bytes()


def test_reentry_from_hash_raises_instead_of_deadlocking():
    c = CVMCounter()

    class Sneaky:
        def __hash__(self):
            c.add(1)
            return 1

    with pytest.raises(RuntimeError, match="already in use in this thread"):
        c.add(Sneaky())
    with pytest.raises(RuntimeError, match="already in use"):
        c.update(["a", Sneaky()])

    def gen():
        yield 1
        c.estimate()

    with pytest.raises(RuntimeError, match="already in use"):
        c.update(gen())
    c.add(2)  # the lock was released
    assert c.estimate() == 3  # "a", 1, 2: what was added before the errors stays


def test_hash_that_empties_the_list_while_strings_are_pending():
    # Go reads the characters of pending str items; a __hash__ that empties
    # the list would free them before that (use after free) unless they are
    # flushed first. Fresh strings of the same size then reuse the memory.
    class Clear:
        def __hash__(self):
            del items[:]
            junk.extend("Z" * 40 + str(i) for i in range(5000))
            return 7

    for feed in ("count_approx", "update"):
        junk = []
        items = ["%040d" % i for i in range(3000)] + [Clear()] + ["x"]
        expect = 3000 + 1
        if feed == "count_approx":
            got = count_approx(items, 0.05)
        else:
            c = CVMCounter(0.05)
            c.update(items)
            got = c.estimate()
        assert got == expect


def test_hash_of_a_tuple_element_that_empties_the_list():
    class Clear:
        def __hash__(self):
            del items[:]
            junk.extend(("Y" * 30 + str(i),) for i in range(5000))
            return 3

    junk = []
    items = [("%030d" % i, i) for i in range(100)] + [("%030d" % 5, Clear(), "%030d" % 6)]
    assert count_approx(items) == 101


def test_generator_strings_are_held_until_counted():
    # A generator's items are freed as soon as the next is made; the counter
    # must hold them until Go has read them.
    def gen():
        for i in range(50_000):
            yield "%036d" % (i % 20_000)

    assert count_approx(gen(), 0.01) == 20_000
