"""list_sum agrees with builtin sum() on every input, and rejects what it must."""

import random

import pytest

import gokernels
from gokernels import reference
from gokernels.lists import list_sum

I64 = 2**63


class Sub(int):
    """An int subclass whose addition differs: list_sum must use it, like sum()."""

    def __add__(self, other):
        return Sub(int(self) + int(other) + 1000)

    __radd__ = __add__


def _cases():
    rnd = random.Random(7)
    return {
        "empty": [],
        "one": [5],
        "small": list(range(-50, 50)),
        "article": rnd.sample(range(1, 50000), 200),
        "bools": [True, False, True],
        "int64-edges": [I64 - 1, I64 - 1, -I64, -I64, 1, -1],
        "overflow-up": [I64 - 1] * 1000,
        "overflow-down": [-I64] * 1000,
        "beyond-int128": [2**126] * 8 + [-(2**126)] * 3,
        "big": [2**100, -(2**100) + 1, 3**80, -5],
        "mixed-random": [rnd.choice([rnd.randint(-(2**70), 2**70), rnd.randint(-9, 9), True]) for _ in range(5000)],
        "digit-boundaries": [2**30 - 1, 2**30, 2**31, 2**60, -(2**30), -(2**60)],
        "subclass": [1, 2, Sub(3), 4],
        "large": list(range(300_000)),
    }


CASES = _cases()
IMPLS = {
    "list_sum(list)": list_sum,
    "list_sum(tuple)": lambda v: list_sum(tuple(v)),
    "gokernels.list_sum": gokernels.list_sum,
    "reference": reference.list_sum,
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_implementation_agrees_with_sum(case):
    items = CASES[case]
    want = sum(items)
    for name, impl in IMPLS.items():
        got = impl(items)
        assert got == want and type(got) is type(want), name


@pytest.mark.parametrize(
    "items, exc, words",
    [
        ([1, "2"], TypeError, ["list_sum", "item 1", "str"]),
        ([1.0], TypeError, ["item 0", "float"]),
        ([1, None], TypeError, ["NoneType"]),
        (None, TypeError, ["list_sum", "'items'", "NoneType"]),
        (iter([1, 2]), TypeError, ["list or tuple"]),
        ({1, 2}, TypeError, ["set"]),
        ("12", TypeError, ["str"]),
    ],
)
def test_bad_input(items, exc, words):
    with pytest.raises(exc) as info:
        list_sum(items)
    for w in words:
        assert w in str(info.value)


def test_argument_errors():
    with pytest.raises(TypeError, match="list_sum"):
        list_sum()
    with pytest.raises(TypeError, match="unexpected keyword"):
        list_sum([1], start=3)
    assert list_sum(items=[1, 2]) == 3


def test_list_subclass_iter_is_honoured_like_sum():
    class Evens(list):
        def __iter__(self):
            return (x for x in list.__iter__(self) if x % 2 == 0)

    class Plain(tuple):
        pass

    items = Evens(range(10))
    assert list_sum(items) == sum(items) == 20
    assert list_sum(Plain((1, 2, 3))) == 6


# ---- issue 11: once anything but an exact int appears, exactly sum()'s left fold ----


class ToFloat(int):
    """__radd__ returns a float: the ints after it must be added one at a time, as sum() does."""

    def __radd__(self, other):
        return float(other) + 2.0**53


class ToComplex(int):
    def __radd__(self, other):
        return complex(other, 1) + 0.5


class Plain(int):
    """An int subclass that adds like int (so sum() may treat it as one)."""


def _same(a, b):
    # Equal value, equal type, and for floats the same bits (0.0 vs -0.0, rounding).
    return type(a) is type(b) and (a == b or (a != a and b != b)) and repr(a) == repr(b)


def test_radd_returning_float_folds_like_sum():
    items = [ToFloat(0), 1, 1]
    assert _same(list_sum(items), sum(items))
    items = [5, ToFloat(0), *[1] * 64, 2**70, 3]
    assert _same(list_sum(items), sum(items))


def test_mixed_subclasses_agree_with_sum_over_many_seeds():
    # The prefix before the first subclass decides which of sum()'s loops runs next
    # (its C-long loop, or its generic loop once the running total left 64 bits):
    # the prefixes below reach both.
    pool = [
        lambda r: r.randint(-9, 9),
        lambda r: r.choice([True, False]),
        lambda r: r.choice([I64 - 1, -I64, 2**64, -(2**64), 2**100]),
        lambda r: ToFloat(r.randint(-3, 3)),
        lambda r: ToComplex(r.randint(-3, 3)),
        lambda r: Plain(r.randint(-(2**62), 2**62)),
        lambda r: Sub(r.randint(-5, 5)),
    ]
    for seed in range(400):
        r = random.Random(seed)
        items = [r.choice(pool)(r) for _ in range(r.randint(0, 40))]
        for v in (items, tuple(items)):
            want, got = sum(v), list_sum(v)
            assert _same(got, want), (seed, items, got, want)


def test_error_from_a_subclass_add_propagates():
    class Boom(int):
        def __radd__(self, other):
            raise ZeroDivisionError("boom")

    with pytest.raises(ZeroDivisionError, match="boom"):
        list_sum([1, Boom(2), 3])


def test_non_int_after_a_subclass_still_raises_type_error_naming_the_item():
    with pytest.raises(TypeError, match=r"item 2 is str"):
        list_sum([1, ToFloat(2), "x"])
    with pytest.raises(TypeError, match=r"item 3 is NoneType"):
        list_sum((2**70, Sub(1), 3, None))
