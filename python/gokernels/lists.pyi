from typing import Sequence

__all__ = ["list_sum"]

def list_sum(items: Sequence[int]) -> int: ...
