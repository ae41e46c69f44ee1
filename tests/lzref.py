"""The JavaScript reference (npm's lz-string 1.5.0), run by node through
tools/lzref/lzref.js: the judge of every lzstring test.

`make deps` installs it (npm install in tools/lzref). Tests fail, rather than
skip, when node or the package is missing: without the reference they would
prove nothing.
"""

import json
import os
import shutil
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCRIPT = os.path.join(ROOT, "tools", "lzref", "lzref.js")


def run(cases):
    """Runs the cases (see lzref.js) in one node process; returns its results."""
    node = shutil.which("node")
    assert node, "node is not on PATH: the lz-string reference tests need it"
    assert os.path.isdir(os.path.join(ROOT, "tools", "lzref", "node_modules", "lz-string")), (
        "npm's lz-string is not installed: run `make deps` (npm install in tools/lzref)"
    )
    # ensure_ascii escapes every non-ASCII unit, so lone surrogates cross intact.
    proc = subprocess.run(
        [node, SCRIPT], input=json.dumps(cases).encode(), capture_output=True, check=True, timeout=600
    )
    return json.loads(proc.stdout)
