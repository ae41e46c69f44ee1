"""Approximate distinct counting with mergeable CVM sketches.

count_approx(items, epsilon=0.5, delta=0.001, *, seed=None) -> int
CVMCounter(epsilon=0.5, delta=0.001, *, stream_length=None, seed=None)
    .add(x)  .update(items)  .estimate() -> int
    .merge(other)  a | b  .to_bytes() -> bytes  CVMCounter.from_bytes(data)
    .threshold  .epsilon  .delta  .seed  .process_local

The CVM algorithm (Chakraborty, Vinodchandran and Meel, "Distinct Elements in
Streams: An Algorithm for the (Text) Book", arXiv 2301.10191) with hashed
coins: each item's 64-bit key is a seeded hash of its content, the buffer
holds the keys whose top k bits are 0, and k rises whenever the buffer would
reach the threshold. The estimate, (keys in the buffer) * 2**k, is exact
below the threshold, within epsilon with probability 1-delta, and unbiased.

A counter's state depends only on its seed and the set of items it saw, so
counters of parts of the data (threads, processes, machines) merge into
exactly the counter of the whole. int, bool, float, str, bytes, None and
tuples of these are keyed by content, equal values alike (1 == 1.0 == True,
-0.0 == 0, 2**70 == 2.0**70), identically in every process and with any
PYTHONHASHSEED; all NaNs count as one value (as polars' and pandas'
n_unique do). Other objects are keyed by hash(): such a counter is
process_local and refuses to_bytes(). seed=None means one fixed default
seed, so counters made anywhere without a seed merge. The serialized form is
docs/cvm-format.md.
"""

from gokernels._native import CVMCounter, count_approx

__all__ = ["CVMCounter", "count_approx"]


def _tiny_calls():
    """(label, zero-argument call, expected answer) of each function and
    method above on a tiny input, for the call-overhead table
    (gokernels._bench.calls); None: a counter or None is expected."""
    from functools import partial

    counter = CVMCounter(seed=1)
    counter.add("a")
    return [
        ("count_approx(['a', 'b'])", partial(count_approx, ["a", "b"]), 2),
        ("CVMCounter()", CVMCounter, None),
        ("CVMCounter.add('a')", partial(counter.add, "a"), None),
        ("CVMCounter.update(['a'])", partial(counter.update, ["a"]), None),
        ("CVMCounter.estimate()", counter.estimate, 1),
    ]
