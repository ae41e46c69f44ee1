"""Count doubles (articles 2 and 4): the cases of gokernels._bench.doubles
(bench_cases: the articles' pure-Python versions, numpy, numba, Cython, the
articles' Rust kernels, gokernels' rune, byte and parallel kernels, on
article 2's 1M letters and article 4's 10M, warm and fresh; 16M parallel
against sequential; the parallel kernel's crossover), timed through the
adapter in conftest.py. numba and Cython are compiled once, when the cases
are built; the fresh-input pools are built by their first call."""

from conftest import register_cases
from gokernels._bench.doubles import bench_cases

CASES = bench_cases()
GOALS = register_cases(globals(), CASES)
