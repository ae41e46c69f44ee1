"""Count adjacent equal characters (the "count doubles" kernel).

count_doubles(s)           over the code points of a str
count_doubles_bytes(x)     over the bytes of a bytes-like object, or of s.encode()
count_doubles_parallel(s, workers=None)   count_doubles on several threads

All three read their input in place, release the GIL on long input, and run
signal handlers (Ctrl-C) between 64 MiB pieces of huge input.
"""

from gokernels._native import count_doubles, count_doubles_bytes, count_doubles_parallel

__all__ = ["count_doubles", "count_doubles_bytes", "count_doubles_parallel"]


def _tiny_calls():
    """(label, zero-argument call, expected answer) of each function above on
    a tiny input: the call-overhead table of `gokernels bench` (and
    benchmarks/test_bench_cases.py) is made of every module's rows."""
    from functools import partial

    return [
        ("count_doubles('ab')", partial(count_doubles, "ab"), 0),
        ("count_doubles_bytes(b'ab')", partial(count_doubles_bytes, b"ab"), 0),
        ("count_doubles_parallel('ab')", partial(count_doubles_parallel, "ab"), 0),
    ]
