"""count_approx and CVMCounter.update on long lists and tuples go through an
object cache (pyext/cvm.c): a repeated exact str, bytes, int or float
object, added once, is skipped from its address. The counter's state must be the same, bit for
bit, as when the same items arrive through an iterator (which never uses the
cache), whatever the list holds and whatever Python code does to it; and
every reference the cache takes is given back."""

import random
import subprocess
import sys
import threading

import pytest

from gokernels.cvm import CVMCounter, count_approx

LONG = 300_000  # well above the cache's minimum length (64 Ki items)


def repeated(values, n, seed):
    """n items drawn from the objects values (each object many times)."""
    rnd = random.Random(seed)
    return [values[rnd.randrange(len(values))] for _ in range(n)]


def state(items, seed=7, **kw):
    c = CVMCounter(seed=seed, **kw)
    c.update(items)
    return c.to_bytes()


@pytest.mark.parametrize(
    "make",
    [
        lambda i: str(i),
        lambda i: b"%d" % i,
        lambda i: "\u00e9%d\u20ac" % i,  # UCS-2, not the inline ASCII path
        lambda i: "x" * 70 + str(i),  # longer than the copied data
        lambda i: i * 7919 - 10**6,
        lambda i: 2**70 + i if i % 2 else float(i) * 0.25,  # big ints, floats
        lambda i: [str(i), b"%d" % i, i, float(i) + 0.5, (i, str(i)), None][i % 6],
    ],
    ids=["ascii", "bytes", "ucs2", "long-str", "ints", "bigints-floats", "mixed"],
)
@pytest.mark.parametrize("distinct", [500, 20_000, 150_000])
def test_list_state_equals_iterator_state(make, distinct):
    values = [make(i) for i in range(distinct)]
    for seed in range(3):
        items = repeated(values, LONG, seed)
        want = state(iter(items), seed=seed)
        assert state(items, seed=seed) == want
        assert state(tuple(items), seed=seed) == want
        assert count_approx(items, seed=seed) == count_approx(iter(items), seed=seed)


def test_all_distinct_objects_and_equal_values_in_distinct_objects():
    # No address repeats (the cache turns itself off), and equal values in
    # distinct objects (the cache must not matter for equality).
    distinct = [str(i) for i in range(LONG)]
    random.Random(1).shuffle(distinct)
    assert state(distinct) == state(iter(distinct))
    copies = [str(i % 1000) for i in range(LONG)]  # 300 objects per value
    assert state(copies) == state(iter(copies))
    assert count_approx(copies) == 1000


def test_objects_far_from_the_first_item():
    # The cache keeps 4-byte tags of addresses within 16 GiB of the first
    # item's; objects outside (a malloc'd first item, pymalloc's arenas far
    # away) are never cached, and the state is the same. Small ints are
    # statics, 8 but not 16 bytes aligned.
    far = "x" * 100_000 + "far"  # malloc'd, not pymalloc'd
    values = [str(i) for i in range(5000)] + list(range(-5, 257))
    for seed in range(3):
        items = [far] + repeated(values, LONG, seed) + [far]
        before = [sys.getrefcount(v) for v in values[:50]] + [sys.getrefcount(far)]
        assert state(items, seed=seed) == state(iter(items), seed=seed)
        assert count_approx(items, seed=seed) == count_approx(iter(items), seed=seed)
        assert [sys.getrefcount(v) for v in values[:50]] + [sys.getrefcount(far)] == before
        small = repeated(list(range(-5, 257)), LONG, seed)
        assert state(small, seed=seed) == state(iter(small), seed=seed)


def test_exact_while_the_buffer_holds_every_value():
    values = [str(i) for i in range(1000)]
    items = repeated(values, LONG, 3)
    assert count_approx(items) == len(set(items))


def test_references_given_back():
    values = [str(i) for i in range(20_000)] + [b"%d" % i for i in range(20_000)]
    items = repeated(values, LONG, 4)
    before = [sys.getrefcount(v) for v in values]
    count_approx(items)
    c = CVMCounter()
    c.update(items)
    assert [sys.getrefcount(v) for v in values] == before
    # An error half-way (an unhashable item) gives them back too.
    bad = items[: LONG // 2] + [[]] + items[LONG // 2 :]
    before = [sys.getrefcount(v) for v in values]
    with pytest.raises(TypeError):
        count_approx(bad)
    with pytest.raises(TypeError):
        c.update(bad)
    assert [sys.getrefcount(v) for v in values] == before


class Replacer:
    """An item whose __hash__ replaces every item of lst with new objects:
    the old ones are freed (the list held their only references) and the new
    ones may get their addresses."""

    def __init__(self, lst, fresh):
        self.lst, self.fresh = lst, fresh

    def __hash__(self):
        self.lst[:] = self.fresh()
        self.lst = None
        return 12345


def test_hash_that_replaces_the_list_items():
    n, at = LONG, LONG // 2
    for seed in range(3):

        def old_values(seed=seed):
            return repeated([str(i) for i in range(30_000)], n, seed)

        def new_values(seed=seed):
            return repeated(["n%d" % i for i in range(30_000)], n, seed + 10)

        # The list as the walk sees it: the old items up to the Replacer,
        # then the new items from the next index on.
        want_items = old_values()[:at] + [0] + new_values()[at + 1 :]
        lst = old_values()
        lst[at] = Replacer(lst, new_values)
        got = CVMCounter(stream_length=n, seed=seed)
        got.update(lst)
        want = CVMCounter(stream_length=n, seed=seed)
        r = Replacer([], list)  # the same hash, 12345, a process-local key
        want.update(iter(want_items[:at] + [r] + want_items[at + 1 :]))
        assert got.estimate() == want.estimate()
        assert repr(got) == repr(want)


class ReplaceOnCollect:
    """Cyclic garbage whose finalizer replaces every item of lst: it runs
    when the garbage collector does (on 3.10 and 3.11, at any allocation of
    a tracked object, such as the bound method that keys an int beyond 64
    bits)."""

    def __init__(self, lst, fresh):
        self.lst, self.fresh, self.me = lst, fresh, self

    def __del__(self):
        if self.lst is not None:
            self.lst[:] = self.fresh()
            self.lst = None


def test_collector_that_replaces_the_list_items_while_an_int_is_keyed():
    import gc

    n, at = LONG, LONG // 2
    big = 2**100 + 7  # keyed through Python's C API (bigint_item)
    for seed in range(3):

        def old_values(seed=seed):
            return repeated([str(i) for i in range(30_000)], n, seed)

        def new_values(seed=seed):
            # items right after the int are unique: a look made before the
            # replacement and trusted after it would skip them
            v = repeated(["n%d" % i for i in range(30_000)], n, seed + 10)
            v[at + 1 : at + 100] = ["u%d" % i for i in range(99)]
            return v

        # The list as the walk sees it: the old items up to where the
        # collector ran, then the new items. On 3.10 and 3.11 that is the
        # int; from 3.12 on the collector runs only where the interpreter
        # checks for pending work: at the walk's next signal check (every
        # 4096 items, pyext/cvm.c CHUNK; 3.14), or after the walk.
        old, new = old_values(), new_values()
        old[at] = big
        first = (at // 4096 + 1) * 4096
        switches = [at + 1] if sys.version_info < (3, 12) else [first, first + 4096, n]
        states = []
        for j in switches:
            want = CVMCounter(stream_length=n, seed=seed)
            want.update(iter(old[:j] + new[j:]))
            states.append(repr(want))
        lst = list(old)
        got = CVMCounter(stream_length=n, seed=seed)
        threshold = gc.get_threshold()
        gc.collect()
        ReplaceOnCollect(lst, new_values)
        gc.set_threshold(1)
        try:
            got.update(lst)
        finally:
            gc.set_threshold(*threshold)
        gc.collect()
        assert lst == new
        assert repr(got) in states


def test_hash_that_empties_the_list():
    values = [str(i) for i in range(30_000)]
    lst = repeated(values, LONG, 5)
    at = 200_000
    want = CVMCounter(stream_length=LONG)
    want.update(iter(lst[:at]))

    class Emptier:
        def __init__(self, lst):
            self.lst = lst

        def __hash__(self):
            del self.lst[:]
            return 1

    want.update([Emptier([])])
    lst[at] = Emptier(lst)
    got = CVMCounter(stream_length=LONG)
    got.update(lst)
    assert lst == []
    assert repr(got) == repr(want)


def test_other_threads_change_the_list_while_go_runs():
    # Go runs with the GIL released between chunks: another thread replaces
    # items, freeing old objects and making new ones, all the while.
    values = [str(i) for i in range(50_000)]
    lst = repeated(values, 2_000_000, 6)
    stop = threading.Event()

    def churn():
        rnd = random.Random(0)
        while not stop.is_set():
            i = rnd.randrange(len(lst))
            lst[i : i + 1000] = ["t%d" % rnd.randrange(10**6) for _ in range(1000)]

    t = threading.Thread(target=churn)
    t.start()
    try:
        for _ in range(3):
            est = count_approx(lst, epsilon=0.1)
            assert 0 < est < 2 * (50_000 + 10**6)
    finally:
        stop.set()
        t.join()


CTRL_C = r"""
import os, random, signal, threading, time
import gokernels

values = [str(i) for i in range(100_000)]
rnd = random.Random(0)
base = [values[rnd.randrange(100_000)] for _ in range(10_000_000)]
items = base
while True:  # one call long enough to interrupt, on a fast machine too
    t = time.perf_counter()
    gokernels.count_approx(items)
    full = time.perf_counter() - t
    if full > 0.3 or len(items) >= 80_000_000:
        break
    items = items + base
go = threading.Event()
def fire():
    go.wait()  # the delay starts when the call does, however slowly this thread started
    time.sleep(full / 4)
    os.kill(os.getpid(), signal.SIGINT)
threading.Thread(target=fire, daemon=True).start()
go.set()
try:
    gokernels.count_approx(items)
    print("finished", full)
except KeyboardInterrupt:
    print("interrupted", full)
"""


def test_cached_list_answers_ctrl_c():
    # Nearly every item is decided from the cache, so chunks fill slowly:
    # signals are checked every 4096 items all the same.
    r = subprocess.run([sys.executable, "-c", CTRL_C], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split()[0] == "interrupted", r.stdout


def test_long_int_list_equals_numpy_array():
    np = pytest.importorskip("numpy")
    values = [i * 7919 - 10**6 for i in range(40_000)]
    for seed in range(3):
        items = repeated(values, LONG, seed)
        assert state(items, seed=seed) == state(np.array(items, dtype=np.int64), seed=seed)
        assert count_approx(items, seed=seed) == count_approx(np.array(items, dtype=np.int64), seed=seed)
