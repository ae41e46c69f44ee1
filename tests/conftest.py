"""Tests run against the INSTALLED gokernels (make test installs it first)."""

import os

import gokernels

_SRC = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "python")


def pytest_report_header(config):
    where = os.path.dirname(gokernels.__file__)
    assert not where.startswith(_SRC), "tests must run against the installed package, not " + where
    return "gokernels %s from %s" % (gokernels.__version__, where)
