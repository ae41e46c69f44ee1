"""Pure-Python reference implementations: the articles' versions.

Tests compare every gokernels function with these, and `gokernels bench` times
them as the baseline. They are written for clarity, as the articles wrote them,
not for speed.
"""

import itertools
import math
import random
import re
import string
from typing import Union

__all__ = [
    "count_approx",
    "doubles_zip",
    "doubles_once",
    "doubles_itertools",
    "doubles_comprehension",
    "doubles_regex",
    "doubles_numpy",
    "list_sum",
    "random_string",
    "short_long",
]


# ---- count doubles (rust-python-example, pyo3-myrustlib) ----


def doubles_zip(val: str) -> int:
    """The articles' pure-Python version: pairs from zip(val, val[1:])."""
    total = 0
    for c1, c2 in zip(val, val[1:]):
        if c1 == c2:
            total += 1
    return total


def doubles_once(val: str) -> int:
    """Iterate once, remembering the previous character."""
    total = 0
    chars = iter(val)
    c1 = next(chars, None)
    for c2 in chars:
        if c1 == c2:
            total += 1
        c1 = c2
    return total


def doubles_itertools(val: str) -> int:
    """Pairs from itertools.tee."""
    c1s, c2s = itertools.tee(val)
    next(c2s, None)
    total = 0
    for c1, c2 in zip(c1s, c2s):
        if c1 == c2:
            total += 1
    return total


def doubles_comprehension(val: str) -> int:
    """A generator expression over zip."""
    return sum(1 for c1, c2 in zip(val, val[1:]) if c1 == c2)


# DOTALL: the article's pattern used a bare '.', which does not match '\n' and
# so missed "\n\n"; the reference must be right on every input.
_DOUBLE = re.compile(r"(?=(.)\1)", re.DOTALL)


def doubles_regex(val: str) -> int:
    """Overlapping matches of a character followed by itself."""
    return len(_DOUBLE.findall(val))


def doubles_numpy(val: Union[str, bytes]) -> int:
    """The articles' numpy version, over the bytes of val (bytes or ASCII str)."""
    import numpy as np

    if isinstance(val, str):
        val = val.encode()
    ng = np.frombuffer(val, dtype=np.uint8)
    return int(np.sum(ng[:-1] == ng[1:]))


# ---- list sum (article 1's "what doesn't work") ----


def list_sum(items: list) -> int:
    """The builtin, which the article's Rust version lost to."""
    return sum(items)


# ---- text (the CFFI article's short_long; the PyO3 + rayon article's input) ----


def short_long(text: str) -> float:
    """The fraction of words longer than 8 characters, ignoring "the" and "a"."""
    words = [w for w in text.split() if w not in ("the", "a")]
    if not words:
        raise ValueError("short_long() argument 'text' has no countable word")
    return sum(1 for w in words if len(w) > 8) / len(words)


def random_string(n: int, alphabet: str = string.ascii_letters) -> str:
    """The article's way to build its input: one random.choice per character."""
    return "".join(random.choice(alphabet) for _ in range(n))


# ---- CVM distinct counting (article 3) ----


def count_approx(items: list, epsilon: float = 0.5, delta: float = 0.001, seed: "int | None" = None) -> float:
    """The article's pure-Python CVM, including its failure mode: it raises when
    the halving step keeps the whole buffer ("we got unlucky")."""
    rnd = random.Random(seed)
    p = 1.0
    max_tracked = round(12 / epsilon**2 * math.log2(8 * max(len(items), 1) / delta))
    tracked: set = set()
    for item in items:
        tracked.discard(item)
        if rnd.random() < p:
            tracked.add(item)
        if len(tracked) == max_tracked:
            tracked = {x for x in tracked if rnd.random() < 0.5}
            p /= 2
            if len(tracked) == max_tracked:
                raise RuntimeError("we got unlucky")
    return len(tracked) / p
