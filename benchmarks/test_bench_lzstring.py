"""lz-string (article 1): the pure-Python `lzstring` package, the JavaScript
reference timed inside node on the same input, and gokernels."""

import json
import os
import random
import shutil
import subprocess

import pytest

from conftest import Goal
from gokernels import lzstring as lz
from gokernels._bench.inputs import natural_text, uppercase_digits

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_rnd = random.Random(0)
ARTICLE = [uppercase_digits(i * 100, _rnd) for i in range(1, 100)]
TEXT = natural_text(1_000_000)
TEXT_B64 = lz.compress_to_base64(TEXT)
MANY = [natural_text(20_000, seed=i) for i in range(200)]

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
]

ONCE = {"rounds": 1, "iterations": 1, "warmup_rounds": 0}


def _round_trip(compress, decompress):
    return [decompress(compress(s)) for s in ARTICLE]


@pytest.mark.benchmark(group="lz-string: the article's 99 strings of 100..9,900 chars, to Base64 and back")
class TestArticle:
    def test_article_pure_python(self, baseline):
        pure = pytest.importorskip("lzstring", reason="peer lzstring (PyPI) is not installed").LZString
        assert baseline.pedantic(_round_trip, (pure.compressToBase64, pure.decompressFromBase64), **ONCE) == ARTICLE

    def test_article_gokernels(self, benchmark):
        assert benchmark(_round_trip, lz.compress_to_base64, lz.decompress_from_base64) == ARTICLE

    def test_article_gokernels_batch(self, benchmark):
        def batch():
            return lz.decompress_many(lz.compress_many(ARTICLE))

        assert benchmark(batch) == ARTICLE


@pytest.fixture(scope="module")
def node_times(tmp_path_factory, external):
    """Times the reference inside node on TEXT and checks it agrees with us."""
    node = shutil.which("node")
    assert node, "node is not on PATH"
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
    module = os.path.join(ROOT, "tools", "lzref", "node_modules", "lz-string")
    out = json.loads(
        subprocess.run(
            [node, "-e", script, str(path), module, runs], capture_output=True, check=True, text=True, timeout=600
        ).stdout
    )
    assert out["ok"] and out["packed"] == TEXT_B64
    external("node compressToBase64 (1M text)", out["c"])
    external("node decompressFromBase64 (1M text)", out["d"])
    return out


@pytest.mark.benchmark(group="lz-string: 1M chars of English-like text, compress_to_base64")
class TestTextCompress:
    def test_text_compress_gokernels(self, benchmark, node_times):
        assert benchmark(lz.compress_to_base64, TEXT) == node_times["packed"]

    def test_text_compress_pure_python(self, baseline):
        pure = pytest.importorskip("lzstring", reason="peer lzstring (PyPI) is not installed").LZString
        assert baseline.pedantic(pure.compressToBase64, (TEXT,), **ONCE) == TEXT_B64


@pytest.mark.benchmark(group="lz-string: 1M chars of English-like text, decompress_from_base64")
class TestTextDecompress:
    def test_text_decompress_gokernels(self, benchmark, node_times):
        assert benchmark(lz.decompress_from_base64, node_times["packed"]) == TEXT

    def test_text_decompress_pure_python(self, baseline):
        pure = pytest.importorskip("lzstring", reason="peer lzstring (PyPI) is not installed").LZString
        assert baseline.pedantic(pure.decompressFromBase64, (TEXT_B64,), **ONCE) == TEXT


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
