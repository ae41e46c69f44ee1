"""lz-string (article 1): the pure-Python `lzstring` package, the JavaScript
reference timed inside node on the same input, the article's Rust (the lz-str
crate: its published wrapper lzma_pyo3, and benchmarks/rust), and gokernels;
and the article's growing input as a size sweep (time against size, its
chart). lz-str pads some Base64 with one more '=' than the reference: its
compressed text must equal ours but for that padding."""

import json
import os
import random
import shutil
import subprocess

import pytest

from conftest import Goal, need, on_plot, rust, skip_missing
from gokernels import lzstring as lz
from gokernels._bench import peers
from gokernels._bench.inputs import natural_text, uppercase_digits
from gokernels._bench.lzstring import PLOT, SWEEP_FULL, same_base64

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_rnd = random.Random(0)
ARTICLE = [uppercase_digits(i * 100, _rnd) for i in range(1, 100)]
TEXT = natural_text(1_000_000)
TEXT_B64 = lz.compress_to_base64(TEXT)
MANY = [natural_text(20_000, seed=i) for i in range(200)]
_sweep_rnd = random.Random(1)
SWEEP = {n: uppercase_digits(n, _sweep_rnd) for n in SWEEP_FULL}  # the same strings as `gokernels bench`
MODULE = os.path.join(ROOT, "tools", "lzref", "node_modules", "lz-string")

GOALS = [
    Goal(
        "article workload at least 50x the pure-Python lzstring package",
        "test_article_gokernels",
        "test_article_pure_python",
        at_least=50,
    ),
    Goal(
        "compress_to_base64 on 1M chars of text at least 10x the JS reference in node",
        "test_text_compress_gokernels",
        "node compressToBase64 (1M text)",
        at_least=10,
    ),
    Goal(
        "decompress_from_base64 on 1M chars of text at least 5x the JS reference in node",
        "test_text_decompress_gokernels",
        "node decompressFromBase64 (1M text)",
        at_least=5,
    ),
    Goal("compress('a' * 10_000_000) in under a second", "test_repetitive_10m", ns=1e9),
    Goal(
        "compress_many at least 1.7x the sequential rate on 2 cores",
        "test_batch_compress_many",
        "test_batch_sequential",
        at_least=1.7,
    ),
    Goal(
        "decompress_many at least 1.7x the sequential rate on 2 cores",
        "test_batch_decompress_many",
        "test_batch_decompress_sequential",
        at_least=1.7,
    ),
]

ONCE = {"rounds": 1, "iterations": 1, "warmup_rounds": 0}


def _round_trip(compress, decompress):
    return [decompress(compress(s)) for s in ARTICLE]


RUST_PEERS = ["lzma_pyo3", "rust"]  # the article's published wrapper; benchmarks/rust


def _rust_pair(which):
    """(compress, decompress) to and from Base64 by the Rust lz-str crate."""
    if which == "lzma_pyo3":
        module = need(peers.lzma_pyo3(), "lzma_pyo3")
        return module.compressToBase64, module.decompressFromBase64
    return rust("compress_to_base64"), rust("decompress_from_base64")


def _pure():
    return pytest.importorskip(
        "lzstring", reason="peer lzstring missing: not installed (pip install lzstring==1.0.4)"
    ).LZString


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


@pytest.mark.benchmark(group="lz-string: the article's 99 strings of 100..9,900 chars, to Base64 and back")
class TestArticle:
    def test_article_pure_python(self, baseline):
        pure = _pure()
        assert baseline.pedantic(_round_trip, (pure.compressToBase64, pure.decompressFromBase64), **ONCE) == ARTICLE

    def test_article_gokernels(self, benchmark):
        assert benchmark(_round_trip, lz.compress_to_base64, lz.decompress_from_base64) == ARTICLE

    @pytest.mark.parametrize("which", RUST_PEERS)
    def test_article_rust(self, benchmark, which):
        benchmark.name = "test_article_rust_" + which
        assert benchmark(_round_trip, *_rust_pair(which)) == ARTICLE

    def test_article_gokernels_batch(self, benchmark):
        def batch():
            return lz.decompress_many(lz.compress_many(ARTICLE))

        assert benchmark(batch) == ARTICLE


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
    external("node compressToBase64 (1M text)", out["c"], group=COMPRESS_GROUP)
    external("node decompressFromBase64 (1M text)", out["d"], group=DECOMPRESS_GROUP)
    return out


COMPRESS_GROUP = "lz-string: 1M chars of English-like text, compress_to_base64"
DECOMPRESS_GROUP = "lz-string: 1M chars of English-like text, decompress_from_base64"


@pytest.mark.benchmark(group=COMPRESS_GROUP)
class TestTextCompress:
    def test_text_compress_gokernels(self, benchmark):
        assert benchmark(lz.compress_to_base64, TEXT) == TEXT_B64

    def test_text_node(self, node_times):
        """Times both directions inside node (listed in both groups) and checks
        that node's compressed text is ours, byte for byte."""
        assert node_times["packed"] == TEXT_B64

    def test_text_compress_pure_python(self, baseline):
        pure = _pure()
        assert baseline.pedantic(pure.compressToBase64, (TEXT,), **ONCE) == TEXT_B64

    @pytest.mark.parametrize("which", RUST_PEERS)
    def test_text_compress_rust(self, benchmark, which):
        benchmark.name = "test_text_compress_rust_" + which
        compress, _ = _rust_pair(which)
        assert same_base64(benchmark.pedantic(compress, (TEXT,), rounds=5, iterations=1), TEXT_B64)


@pytest.mark.benchmark(group=DECOMPRESS_GROUP)
class TestTextDecompress:
    def test_text_decompress_gokernels(self, benchmark):
        assert benchmark(lz.decompress_from_base64, TEXT_B64) == TEXT

    def test_text_decompress_pure_python(self, baseline):
        pure = _pure()
        assert baseline.pedantic(pure.decompressFromBase64, (TEXT_B64,), **ONCE) == TEXT

    @pytest.mark.parametrize("which", RUST_PEERS)
    def test_text_decompress_rust(self, benchmark, which):
        benchmark.name = "test_text_decompress_rust_" + which
        _, decompress = _rust_pair(which)
        assert benchmark(decompress, TEXT_B64) == TEXT


@pytest.mark.benchmark(group="lz-string: compress('a' * 10_000_000), linear time")
def test_repetitive_10m(benchmark):
    s = "a" * 10_000_000
    packed = benchmark.pedantic(lz.compress, (s,), rounds=3, iterations=1)
    assert lz.decompress(packed, max_length=None) == s


@pytest.mark.benchmark(group="lz-string: 200 texts of 20K chars, batch vs sequential")
class TestBatch:
    def test_batch_sequential(self, baseline):
        assert baseline(lambda: [lz.compress_to_base64(s) for s in MANY]) == lz.compress_many(MANY, workers=1)

    def test_batch_compress_many(self, benchmark):
        assert benchmark(lz.compress_many, MANY) == [lz.compress_to_base64(s) for s in MANY]


MANY_PACKED = lz.compress_many(MANY)


@pytest.mark.benchmark(group="lz-string: 200 texts of 20K chars, batch vs sequential decompression")
class TestBatchDecompress:
    def test_batch_decompress_sequential(self, baseline):
        assert baseline(lambda: [lz.decompress_from_base64(p) for p in MANY_PACKED]) == MANY

    def test_batch_decompress_many(self, benchmark):
        assert benchmark(lz.decompress_many, MANY_PACKED) == MANY


# ---- the article's chart: round trip (compressToBase64, decompressFromBase64) against input size ----


def _sweep_group(n):
    return "lz-string sweep: round trip of %s random uppercase letters and digits" % format(n, ",")


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


def _sweep_round_trip(compress, decompress, s):
    return decompress(compress(s))


@pytest.mark.parametrize("n", SWEEP_FULL)
def test_sweep_pure_python(baseline, n):
    pure = _pure()
    baseline.group = _sweep_group(n)
    on_plot(baseline, PLOT, "pure Python (lzstring package)", n)
    rounds = 3 if n >= 30_000 else 10
    s = SWEEP[n]
    got = baseline.pedantic(
        _sweep_round_trip, (pure.compressToBase64, pure.decompressFromBase64, s), rounds=rounds, iterations=1
    )
    assert got == s


@pytest.mark.parametrize("n", SWEEP_FULL)
def test_sweep_gokernels(benchmark, n):
    benchmark.group = _sweep_group(n)
    on_plot(benchmark, PLOT, "gokernels", n)
    s = SWEEP[n]
    assert benchmark(_sweep_round_trip, lz.compress_to_base64, lz.decompress_from_base64, s) == s


@pytest.mark.parametrize("which", RUST_PEERS)
@pytest.mark.parametrize("n", SWEEP_FULL)
def test_sweep_rust(benchmark, n, which):
    benchmark.group = _sweep_group(n)
    label = {"lzma_pyo3": "Rust lz-str (lzma_pyo3)", "rust": "Rust lz-str (benchmarks/rust)"}[which]
    on_plot(benchmark, PLOT, label, n)
    s = SWEEP[n]
    assert benchmark(_sweep_round_trip, *_rust_pair(which), s) == s


def test_sweep_node(node_sweep):
    """node's times are recorded by the fixture, one per size, in each size's group."""
    assert len(node_sweep) == len(SWEEP_FULL)
