"""The benchmarks behind `gokernels bench`: one module of cases per kernel."""

from gokernels._bench import calls, columns, cvm, doubles, lists, lzstring, text

# name -> function(quick) returning a list of core.Case
SUITES = {
    "doubles": doubles.cases,
    "lzstring": lzstring.cases,
    "cvm": cvm.cases,
    "columns": columns.cases,
    "text": text.cases,
    "lists": lists.cases,
    "calls": calls.cases,
}

# the suites whose cases are points of a time-vs-size chart (--plot)
PLOTTED = ("doubles", "lzstring")
