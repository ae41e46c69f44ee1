"""Text kernels from the articles.

short_long(text)                         fraction of words longer than 8 characters
random_string(n, alphabet=string.ascii_letters, *, seed=None)   a random str
"""

from gokernels._native import random_string, short_long

__all__ = ["random_string", "short_long"]


def _tiny_calls():
    """(label, zero-argument call, expected answer) of each function above on
    a tiny input, for the call-overhead table (gokernels._bench.calls)."""
    from functools import partial

    return [
        ("short_long('short extraordinary')", partial(short_long, "short extraordinary"), 0.5),
        ("random_string(2, seed=1)", partial(random_string, 2, seed=1), random_string(2, seed=1)),
    ]
