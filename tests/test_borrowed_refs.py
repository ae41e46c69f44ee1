"""C loops over list items hold a strong reference to every item across any call that can run Python code.

Each scenario runs in a child interpreter under PYTHONMALLOC=debug, where freed memory is overwritten at
once: a borrowed item that Python code frees is then read as garbage (a crash or a wrong answer) instead of
by luck still looking alive. The child checks its own answer against builtin sum()/set() on an identical,
freshly built input; the parent asserts it exited normally.
"""

import os
import subprocess
import sys
import textwrap

import pytest


def run_child(code):
    env = dict(os.environ, PYTHONMALLOC="debug", PYTHONFAULTHANDLER="1")
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], env=env, capture_output=True, text=True, timeout=120
    )


def assert_clean(r):
    assert r.returncode == 0, "child died (%d):\n%s%s" % (r.returncode, r.stdout, r.stderr[-3000:])
    assert r.stdout.strip().endswith("ok"), r.stdout + r.stderr


# list_sum: the running total's __add__ clears the list, then fresh ints of the size of the next item are
# allocated (they reuse its memory if it was freed). sum() holds the item, so it adds the old value.
LIST_SUM_CLEARS = """
import gokernels

BIG = 2**100 + 12345

class Total:
    def __init__(self, v, target=None):
        self.v, self.target = v, target

    def __add__(self, other):
        if self.target is not None:
            self.target.clear()
            self.target = None
            global junk
            junk = [BIG + 1 + k for k in range(200)]
        return Total(self.v + other)

    __radd__ = __add__

def make(n_small):
    items = []

    class Starter(int):
        def __radd__(self, other):
            return Total(other + int(self), items)

    items.extend([Starter(1), *[7] * n_small, BIG + 0 * n_small])  # BIG + 0: a fresh int, held by the list only
    return items

for n_small in (0, 1, 5):
    want = sum(make(n_small)).v
    got = gokernels.list_sum(make(n_small)).v
    assert got == want, (n_small, got, want)
print("ok")
"""

# list_sum: the item's own __radd__ empties the list and drops the last reference to the items after it.
LIST_SUM_RADD_CLEARS = """
import gokernels

def make():
    items = []

    class Clear(int):
        def __radd__(self, other):
            del items[:]
            return int(other) + int(self)

    items.extend([Clear(1), 2**90 + 0, Clear(5), 3])
    return items

for _ in range(50):
    assert gokernels.list_sum(make()) == sum(make())
print("ok")
"""


@pytest.mark.parametrize("code", [LIST_SUM_CLEARS, LIST_SUM_RADD_CLEARS], ids=["total-add-clears", "radd-clears"])
def test_list_sum_holds_items_across_python_code(code):
    assert_clean(run_child(code))


# cvm.c feed(): the item is read from the list's array and hashed while borrowed. When __hash__ is found
# through a descriptor, the descriptor's __get__ runs first; here it empties the list (freeing the item) and
# returns None, so CPython then reports "unhashable type" reading the type of the freed item.
# Owner: cvm (pyext/cvm.c). set() holds the item, so it reports the type.
CVM_HASH_CLEARS = """
import gokernels

def make(base):
    items = []

    class ClearingHash:
        def __get__(self, obj, cls):
            items.clear()
            return None

    class Victim(base):
        __hash__ = ClearingHash()

    items.extend([Victim(), 1, 2])
    return items

for base in (object, str):
    want = None
    try:
        hash(make(base)[0])  # set()'s message differs on 3.14; hash()'s is the one counters give
    except TypeError as e:
        want = str(e)
    assert want and "unhashable" in want, want
    for run in ("count_approx", "CVMCounter.update"):
        for _ in range(20):
            try:
                if run == "count_approx":
                    gokernels.count_approx(make(base))
                else:
                    gokernels.CVMCounter().update(make(base))
            except TypeError as e:
                got = str(e)
            else:
                got = None
            assert got == want, (base, run, got, want)
print("ok")
"""


def test_cvm_holds_items_across_hash():
    assert_clean(run_child(CVM_HASH_CLEARS))
