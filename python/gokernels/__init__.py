"""gokernels: fast Python kernels written in Go.

Every function gives exactly the answer of its pure-Python version (see
gokernels.reference), one to three orders of magnitude faster. Importing
gokernels starts no Go thread: the Go runtime loads on the first call.
"""

from gokernels import doubles, lists
from gokernels.doubles import count_doubles, count_doubles_bytes, count_doubles_parallel
from gokernels.lists import list_sum

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "count_doubles",
    "count_doubles_bytes",
    "count_doubles_parallel",
    "doubles",
    "list_sum",
    "lists",
]
