from typing import Any

__all__ = ["nunique_approx"]

SPLIT_EVERY: int

def nunique_approx(collection: Any, epsilon: float = 0.5, delta: float = 0.001, *, seed: int | None = None) -> int: ...
