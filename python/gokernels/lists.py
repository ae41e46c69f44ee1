"""list_sum: the first article's "what doesn't work", made to work.

list_sum(items)   the sum of a list or tuple of ints, read in place
"""

from gokernels._native import list_sum

__all__ = ["list_sum"]
