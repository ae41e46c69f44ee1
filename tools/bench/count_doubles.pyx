# cython: language_level=3, boundscheck=False, wraparound=False
# The count-doubles byte loop in Cython, as the rust-python-example article
# compared it: a peer for `gokernels bench` and benchmarks/test_bench_doubles.py,
# built at benchmark time (gokernels._bench.peers.build_cython). The CLI builds
# the copy in gokernels/_bench/peers.py (CYTHON_PYX); a benchmark checks that
# the two are the same text.


def count_doubles_bytes(bytes val):
    """Positions i with val[i] == val[i + 1]."""
    cdef const unsigned char* p = val
    cdef Py_ssize_t i, n = len(val)
    cdef Py_ssize_t total = 0
    for i in range(n - 1):
        if p[i] == p[i + 1]:
            total += 1
    return total
