"""lz-string (article 1): the cases of gokernels._bench.lzstring (bench_cases:
the pure-Python `lzstring` package, the article's Rust, gokernels; the
article's growing input as a size sweep, its chart), timed through the
adapter in conftest.py; and here, the JavaScript reference timed inside node
on the same inputs (times recorded outside Python, which goals name)."""

import json
import os
import shutil
import subprocess

import pytest

from conftest import register_cases, skip_missing
from gokernels import lzstring as lz
from gokernels._bench.lzstring import NODE_COMPRESS, NODE_DECOMPRESS, PLOT, SWEEP_FULL, bench_cases

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODULE = os.path.join(ROOT, "tools", "lzref", "node_modules", "lz-string")
CASES = bench_cases()
_by_key = {(c.key, c.cls): c for c in CASES}
TEXT = _by_key["text_decompress", "TestTextDecompress"].expected
TEXT_B64 = _by_key["text_compress", "TestTextCompress"].expected
SWEEP = {c.size: c.expected[0] for c in CASES if c.key == "sweep"}  # the same strings as `gokernels bench`
COMPRESS_GROUP = _by_key["text_compress", "TestTextCompress"].group
DECOMPRESS_GROUP = _by_key["text_decompress", "TestTextDecompress"].group


def _sweep_group(n):
    return next(c.group for c in CASES if c.key == "sweep" and c.size == n)


def _node():
    """node and the npm lz-string package, or a skip naming the missing peer."""
    node = shutil.which("node")
    if not node:
        skip_missing("node", "node is not on PATH")
    if not os.path.isdir(MODULE):
        skip_missing("node", "the npm lz-string package is not in tools/lzref (make deps)")
    return node


def _run_node(script, *args):
    return json.loads(
        subprocess.run(
            [_node(), "-e", script, *map(str, args)], capture_output=True, check=True, text=True, timeout=600
        ).stdout
    )


@pytest.fixture(scope="module")
def node_times(tmp_path_factory, external):
    """Times the reference inside node on TEXT and checks it agrees with us."""
    path = tmp_path_factory.mktemp("lz") / "text.txt"
    path.write_text(TEXT, encoding="utf-8")
    script = r"""
const LZString = require(process.argv[2]);
const fs = require('fs');
const text = fs.readFileSync(process.argv[1], 'utf8');
const runs = Number(process.argv[3]);
function median(f) {
  f();  // warm up the JIT
  const t = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    f();
    t.push(Number(process.hrtime.bigint() - t0) / 1e9);
  }
  t.sort((a, b) => a - b);
  return t[t.length >> 1];
}
const packed = LZString.compressToBase64(text);
const ok = LZString.decompressFromBase64(packed) === text;
const c = median(() => LZString.compressToBase64(text));
const d = median(() => LZString.decompressFromBase64(packed));
process.stdout.write(JSON.stringify({packed, ok, c, d}));
"""
    runs = "1" if os.environ.get("GOKERNELS_BENCH_SMOKE") else "7"
    out = _run_node(script, path, MODULE, runs)
    assert out["ok"] and out["packed"] == TEXT_B64
    external(NODE_COMPRESS, out["c"], group=COMPRESS_GROUP)
    external(NODE_DECOMPRESS, out["d"], group=DECOMPRESS_GROUP)
    return out


@pytest.mark.benchmark(group=COMPRESS_GROUP)
class TestTextCompress:
    def test_text_node(self, node_times):
        """Times both directions inside node (listed in both groups) and checks
        that node's compressed text is ours, byte for byte."""
        assert node_times["packed"] == TEXT_B64


@pytest.fixture(scope="module")
def node_sweep(tmp_path_factory, external):
    """Times the JS reference's round trip inside node on each sweep string
    (the median of runs, after the first warms the JIT up), checking that its
    compressed text is ours."""
    path = tmp_path_factory.mktemp("lzsweep") / "sweep.json"
    path.write_text(json.dumps([SWEEP[n] for n in SWEEP_FULL]))
    script = r"""
const LZString = require(process.argv[2]);
const strings = JSON.parse(require('fs').readFileSync(process.argv[1], 'utf8'));
const budget = Number(process.argv[3]);  // seconds of timing per size
const out = [];
for (const s of strings) {
  const packed = LZString.compressToBase64(s);
  const ok = LZString.decompressFromBase64(packed) === s;
  const t = [];
  let spent = 0;
  while (t.length < 3 || (spent < budget && t.length < 1000)) {
    const t0 = process.hrtime.bigint();
    LZString.decompressFromBase64(LZString.compressToBase64(s));
    t.push(Number(process.hrtime.bigint() - t0) / 1e9);
    spent += t[t.length - 1];
  }
  t.sort((a, b) => a - b);
  out.push({packed, ok, seconds: t[t.length >> 1]});
}
process.stdout.write(JSON.stringify(out));
"""
    budget = "0.001" if os.environ.get("GOKERNELS_BENCH_SMOKE") else "0.2"
    rows = _run_node(script, path, MODULE, budget)
    for n, row in zip(SWEEP_FULL, rows):
        assert row["ok"] and row["packed"] == lz.compress_to_base64(SWEEP[n])
        external(
            "node round trip (%d chars)" % n,
            row["seconds"],
            group=_sweep_group(n),
            plot=PLOT,
            impl="node (JS lz-string, timed in node)",
            size=n,
        )
    return rows


def test_sweep_node(node_sweep):
    """node's times are recorded by the fixture, one per size, in each size's group."""
    assert len(node_sweep) == len(SWEEP_FULL)


GOALS = register_cases(globals(), CASES)
