"""gokernels: fast Python kernels written in Go.

Every function gives exactly the answer of its pure-Python version (see
gokernels.reference), one to three orders of magnitude faster. Importing
gokernels starts no Go thread: the Go runtime loads on the first call.
"""

from gokernels import cvm, doubles, lists, lzstring, text
from gokernels.cvm import CVMCounter, count_approx
from gokernels.doubles import count_doubles, count_doubles_bytes, count_doubles_parallel
from gokernels.lists import list_sum
from gokernels.text import random_string, short_long

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "CVMCounter",
    "count_approx",
    "cvm",
    "count_doubles",
    "count_doubles_bytes",
    "count_doubles_parallel",
    "doubles",
    "list_sum",
    "lists",
    "lzstring",
    "random_string",
    "short_long",
    "text",
]
