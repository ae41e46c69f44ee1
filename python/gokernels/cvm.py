"""Approximate distinct counting with the CVM algorithm.

count_approx(items, epsilon=0.5, delta=0.001, *, seed=None)
CVMCounter(epsilon=0.5, delta=0.001, *, stream_length=None, seed=None)
    .add(x)  .update(items)  .estimate()

Chakraborty, Vinodchandran and Meel, "Distinct Elements in Streams: An
Algorithm for the (Text) Book" (arXiv 2301.10191), in the variant that never
fails: on overflow it keeps a uniformly random half of its buffer (Karayel et
al.), so the estimate is unbiased and there is no "unlucky" outcome.
"""

from gokernels._native import CVMCounter, count_approx

__all__ = ["CVMCounter", "count_approx"]
