"""CVM distinct counting (article 3, issue 12): the cases of
gokernels._bench.cvm (bench_cases: exact set(), the article's pure-Python
CVM, Apache DataSketches' HLL, article 3's Rust and gokernels on the
article's list of str; on a 10M int64 numpy array with 1M distinct, polars
approx_n_unique, DuckDB approx_count_distinct, numpy's exact sort + diff and
np.unique, and gokernels; and the article's list again, built after 1.5M
short str objects were freed, as a process that did column work first builds
it (TestWordsScattered: its objects at scattered addresses, issue 12)), timed
through the adapter in conftest.py."""

from conftest import register_cases
from gokernels._bench.cvm import bench_cases

CASES = bench_cases()
GOALS = register_cases(globals(), CASES)
