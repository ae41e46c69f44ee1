from typing import Optional

__all__ = ["random_string", "short_long"]

def short_long(text: str) -> float: ...
def random_string(
    n: int, alphabet: str = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", *, seed: Optional[int] = None
) -> str: ...
