from typing import Hashable, Iterable, Optional, final

__all__ = ["CVMCounter", "count_approx"]

def count_approx(
    items: Iterable[Hashable], epsilon: float = 0.5, delta: float = 0.001, *, seed: Optional[int] = None
) -> int: ...

@final
class CVMCounter:
    def __new__(
        cls,
        epsilon: float = 0.5,
        delta: float = 0.001,
        *,
        stream_length: Optional[int] = None,
        seed: Optional[int] = None,
    ) -> "CVMCounter": ...
    @property
    def threshold(self) -> int: ...
    @property
    def epsilon(self) -> float: ...
    @property
    def delta(self) -> float: ...
    def add(self, x: Hashable, /) -> None: ...
    def update(self, items: Iterable[Hashable], /) -> None: ...
    def estimate(self) -> int: ...
