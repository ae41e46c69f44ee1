"""Text kernels from the articles.

short_long(text)                         fraction of words longer than 8 characters
random_string(n, alphabet=string.ascii_letters, *, seed=None)   a random str
"""

from gokernels._native import random_string, short_long

__all__ = ["random_string", "short_long"]
