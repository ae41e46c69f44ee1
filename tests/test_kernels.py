"""The kernel registry (tests/kernels.py) against the package: it names every
public function and method once, and each entry's small and large calls
(and its variants) give its reference's answer."""

import importlib

import pytest

import gokernels
from kernels import BY_NAME, KERNELS, _short, public_names


def test_registry_names_every_public_function():
    """gokernels.__all__ and every submodule's __all__ (functions, classes and
    their public methods): a new function without an entry fails here."""
    public = public_names()
    assert public - set(BY_NAME) == set(), "add these to tests/kernels.py"
    assert set(BY_NAME) - public == set(), "registry entries that are not public"
    for name in gokernels.__all__:  # the top level re-exports the submodules' functions
        obj = getattr(gokernels, name)
        if callable(obj) and not isinstance(obj, type):
            assert name in BY_NAME, name


def test_the_submodules_are_the_ones_the_registry_reads():
    subs = {n for n in gokernels.__all__ if type(getattr(gokernels, n)).__name__ == "module"}
    assert subs <= {"doubles", "text", "lists", "cvm", "lzstring"}, subs - {
        "doubles",
        "text",
        "lists",
        "cvm",
        "lzstring",
    }


def _skip_unrunnable(k):
    if k.fn is None:
        pytest.skip("%s needs %s, which is not installed" % (k.name, k.needs))


@pytest.mark.parametrize("k", KERNELS, ids=[k.name for k in KERNELS])
def test_small_call_gives_the_reference_answer(k):
    _skip_unrunnable(k)
    got = k.small(k.fn)
    assert k.right(got, k.small), "%s%r gave %s" % (k.name, k.small, _short(got))


@pytest.mark.parametrize("k", KERNELS, ids=[k.name for k in KERNELS])
def test_large_call_gives_the_reference_answer(k):
    _skip_unrunnable(k)
    args = k.large_args()
    got = args(k.fn)
    assert k.right(got, args), "%s%r gave %s" % (k.name, args, _short(got))


VARIANTS = [(k, v) for k in KERNELS for v in k.variants]


@pytest.mark.parametrize("k, args", VARIANTS, ids=["%s%r" % (k.name, v) for k, v in VARIANTS])
def test_variant_gives_the_reference_answer(k, args):
    _skip_unrunnable(k)
    got = args(k.fn)
    assert k.right(got, args), "%s%r gave %s" % (k.name, args, _short(got))


def test_call_overhead_table_times_every_kernel():
    """gokernels bench's calls table (gokernels._bench.calls) has a row for
    every entry with overhead=True, and for nothing else."""
    calls = importlib.import_module("gokernels._bench.calls").calls()
    timed = {name.split("(")[0].replace("lzstring.LZString.", "LZString.") for name, _, _ in calls}
    want = {k.name for k in KERNELS if k.overhead}
    assert want - timed == set(), "add a tiny call of these to _tiny_calls() in their module (gokernels/<module>.py)"
    assert timed - want == set()
