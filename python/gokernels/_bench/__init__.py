"""The benchmarks behind `gokernels bench`: one module of cases per kernel."""

from gokernels._bench import doubles

# name -> function(quick) returning a list of core.Case
SUITES = {
    "doubles": doubles.cases,
}
