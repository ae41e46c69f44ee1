"""list_sum: the first article's "what doesn't work", made to work.

list_sum(items)   the sum of a list or tuple of ints, read in place
"""

from gokernels._native import list_sum

__all__ = ["list_sum"]


def _tiny_calls():
    """(label, zero-argument call, expected answer) of each function above on
    a tiny input, for the call-overhead table (gokernels._bench.calls)."""
    from functools import partial

    return [("list_sum([1, 2])", partial(list_sum, [1, 2]), 3)]
