"""Benchmark cases for lz-string (article 1): the pure-Python `lzstring`
package, the article's Rust (the lz-str crate: its published PyO3 wrapper
`lzma_pyo3`, and the same crate in benchmarks/rust) and gokernels, on the
article's growing inputs (all 99 at once, and as a size sweep for the
article's chart) and on text.

lz-str pads some Base64 outputs with one more '=' than JavaScript's lz-string;
its compressed output is accepted when it differs from the reference's only
there."""

import importlib
import random
from functools import partial

from gokernels import lzstring as lz
from gokernels._bench import peers
from gokernels._bench.core import Case, Goal, Impl, format_size
from gokernels._bench.inputs import FRESH_BYTES, natural_text, on_fresh, rotations, uppercase_digits


def _pure():
    try:
        lzstring = importlib.import_module("lzstring")  # not `import`: it has no type stubs

        return lzstring.LZString, None
    except ImportError:
        return None, "the pure-Python `lzstring` package is not installed (pip install lzstring)"


def _round_trip(compress, decompress, strings):
    return [decompress(compress(s)) for s in strings]


def _batch_round_trip(strings):
    return lz.decompress_many(lz.compress_many(strings, "base64"), "base64")


def _rust_pairs():
    """(label, compress, decompress, missing) of the article's Rust, twice."""
    module, why = peers.lzma_pyo3()
    out = [
        (
            "Rust lz-str (lzma_pyo3, the article's wrapper)",
            module.compressToBase64 if module else None,
            module.decompressFromBase64 if module else None,
            why,
        )
    ]
    c, why = peers.rust("compress_to_base64")
    d, _ = peers.rust("decompress_from_base64")
    out.append(("Rust lz-str (benchmarks/rust)", c, d, why))
    return out


RUST_IDS = ("lzma_pyo3", "rust")  # the pytest ids of _rust_pairs' two


def _rust_round_trips(strings, keys=("", ""), names=("", "")):
    return [
        Impl(label, partial(_round_trip, c, d, strings) if c else list, group="rust", missing=why, key=k, bench_name=b)
        for (label, c, d, why), k, b in zip(_rust_pairs(), keys, names)
    ]


def same_base64(got, expected):
    """Equal, or equal but for the trailing '=' padding (lz-str's quirk)."""
    return got == expected or (isinstance(got, str) and got.rstrip("=") == expected.rstrip("="))


def _each(fn, items):
    return [fn(x) for x in items]


PLOT = "lz-string round trip (random uppercase letters and digits)"
SWEEP_QUICK = [100, 1_000, 10_000]
SWEEP_FULL = [100, 300, 1_000, 3_000, 9_900, 30_000, 100_000]  # the article's 100..9,900, and beyond

# Times measured inside node by benchmarks/test_bench_lzstring.py, which the goals name.
NODE_COMPRESS = "node compressToBase64 (1M text)"
NODE_DECOMPRESS = "node decompressFromBase64 (1M text)"


def _sweep(pure, missing, sizes):
    """One string per size: compressToBase64 then decompressFromBase64.
    pytest-benchmark: test_sweep_<impl>[<size>], each size its own group."""
    rnd = random.Random(1)
    out = []
    for n in sizes:
        s = uppercase_digits(n, rnd)
        out.append(
            Case(
                "lzstring",
                "lz-string round trip: %s random uppercase letters and digits" % format(n, ","),
                [s],
                [
                    Impl(
                        "pure Python (lzstring package)",
                        partial(_round_trip, pure.compressToBase64, pure.decompressFromBase64, [s]) if pure else list,
                        baseline=True,
                        group="python",
                        missing=missing,
                        key="pure_python[%d]" % n,
                        rounds=3 if n >= 30_000 else 10,
                    ),
                    *_rust_round_trips([s], keys=["rust[%d-%s]" % (n, w) for w in RUST_IDS]),
                    Impl(
                        "gokernels",
                        partial(_round_trip, lz.compress_to_base64, lz.decompress_from_base64, [s]),
                        group="gokernels",
                        key="gokernels[%d]" % n,
                    ),
                ],
                n,
                plot=PLOT,
                compact=True,
                key="sweep",
                group="lz-string sweep: round trip of %s random uppercase letters and digits" % format(n, ","),
            )
        )
    return out


def _article(pure, missing, quick: bool):
    """The article's workload: its growing strings, all at once.
    pytest-benchmark: TestArticle::test_article_<impl>."""
    rnd = random.Random(0)
    step = 14 if quick else 1
    sizes = [i * 100 for i in range(1, 100, step)]
    strings = [uppercase_digits(n, rnd) for n in sizes]
    what = "the article's %d strings of 100..%s chars" % (len(sizes), format(sizes[-1], ","))
    impls = _rust_round_trips(
        strings,
        keys=["rust[%s]" % w for w in RUST_IDS],
        names=["test_article_rust_" + w for w in RUST_IDS],
    ) + [
        Impl(
            "pure Python (lzstring package)",
            partial(_round_trip, pure.compressToBase64, pure.decompressFromBase64, strings) if pure else list,
            baseline=True,
            group="python",
            missing=missing,
            key="pure_python",
            rounds=1,
        ),
        Impl(
            "gokernels (one call per string)",
            partial(_round_trip, lz.compress_to_base64, lz.decompress_from_base64, strings),
            group="gokernels",
            key="gokernels",
        ),
        Impl(
            "gokernels compress_many/decompress_many",
            partial(_batch_round_trip, strings),
            group="gokernels",
            key="gokernels_batch",
        ),
    ]
    goal = Goal(
        "article workload at least 50x the pure-Python lzstring package",
        "test_article_gokernels",
        "test_article_pure_python",
        at_least=50,
    )
    return Case(
        "lzstring",
        "lz-string: %s (to Base64 and back)" % what,
        strings,
        impls,
        sum(sizes),
        key="article",
        cls="TestArticle",
        group="lz-string: %s, to Base64 and back" % what,
        goals=[goal],
    )


def _text(pure, missing, text: str):
    """compress_to_base64 and decompress_from_base64 on text. pytest-benchmark:
    TestTextCompress::test_text_compress_<impl>, TestTextDecompress::..."""
    n = len(text)
    packed = lz.compress_to_base64(text)
    title = "lz-string: %s chars of English-like text" % format(n, ",")
    group = "lz-string: %s chars of English-like text" % format_size(n)
    compress = Case(
        "lzstring",
        title + ", compress_to_base64",
        packed,
        [
            Impl(
                "pure Python (lzstring package)",
                partial(pure.compressToBase64, text) if pure else str,
                baseline=True,
                group="python",
                missing=missing,
                key="pure_python",
                rounds=1,
            ),
            *[
                Impl(
                    label + " compress",
                    partial(c, text) if c else str,
                    group="rust",
                    missing=why,
                    key="rust[%s]" % w,
                    bench_name="test_text_compress_rust_" + w,
                    rounds=5,
                )
                for (label, c, _, why), w in zip(_rust_pairs(), RUST_IDS)
            ],
            Impl(
                "gokernels compress_to_base64",
                partial(lz.compress_to_base64, text),
                group="gokernels",
                key="gokernels",
            ),
        ],
        n,
        check=same_base64,
        key="text_compress",
        cls="TestTextCompress",
        group=group + ", compress_to_base64",
        goals=[
            Goal(
                "compress_to_base64 on 1M chars of text at least 10x the JS reference in node",
                "test_text_compress_gokernels",
                NODE_COMPRESS,
                at_least=10,
            )
        ],
    )
    decompress = Case(
        "lzstring",
        title + ", decompress_from_base64",
        text,
        [
            Impl(
                "pure Python (lzstring package)",
                partial(pure.decompressFromBase64, packed) if pure else str,
                baseline=True,
                group="python",
                missing=missing,
                key="pure_python",
                rounds=1,
            ),
            *[
                Impl(
                    label + " decompress",
                    partial(d, packed) if d else str,
                    group="rust",
                    missing=why,
                    key="rust[%s]" % w,
                    bench_name="test_text_decompress_rust_" + w,
                )
                for (label, _, d, why), w in zip(_rust_pairs(), RUST_IDS)
            ],
            Impl(
                "gokernels decompress_from_base64",
                partial(lz.decompress_from_base64, packed),
                group="gokernels",
                key="gokernels",
            ),
        ],
        n,
        key="text_decompress",
        cls="TestTextDecompress",
        group=group + ", decompress_from_base64",
        goals=[
            Goal(
                "decompress_from_base64 on 1M chars of text at least 5x the JS reference in node",
                "test_text_decompress_gokernels",
                NODE_DECOMPRESS,
                at_least=5,
            )
        ],
    )
    return [compress, decompress]


def cases(quick: bool):
    pure, missing = _pure()
    out = [_article(pure, missing, quick)]
    out += _sweep(pure, missing, SWEEP_QUICK if quick else SWEEP_FULL)
    text = natural_text(100_000 if quick else 1_000_000)
    out += _text(pure, missing, text)
    out += fresh(text, quick)
    return out


def _decompresses_to(packed, s):
    return lz.decompress(packed, max_length=None) == s


def bench_cases():
    """The cases benchmarks/test_bench_lzstring.py times, on the full inputs
    even in the smoke run (its ids name the sizes): those of `gokernels
    bench` but fresh (test_bench_cases.py times those), and two more: linear
    time on a repetitive input, and the batch functions against a loop."""
    pure, missing = _pure()
    out = [_article(pure, missing, False)]
    out += _text(pure, missing, natural_text(1_000_000))
    s = "a" * 10_000_000
    out.append(
        Case(
            "lzstring",
            "lz-string: compress('a' * 10_000_000), linear time",
            s,
            [Impl("gokernels compress", partial(lz.compress, s), group="gokernels", key="10m", rounds=3)],
            len(s),
            check=_decompresses_to,
            key="repetitive",
            goals=[Goal("compress('a' * 10_000_000) in under a second", "test_repetitive_10m", ns=1e9)],
        )
    )
    many = [natural_text(20_000, seed=i) for i in range(200)]
    many_packed = lz.compress_many(many, workers=1)
    out.append(
        Case(
            "lzstring",
            "lz-string: 200 texts of 20K chars, batch vs sequential",
            many_packed,
            [
                Impl(
                    "gokernels compress_to_base64, one call per text",
                    partial(_each, lz.compress_to_base64, many),
                    baseline=True,
                    group="gokernels",
                    key="sequential",
                ),
                Impl(
                    "gokernels compress_many",
                    partial(lz.compress_many, many),
                    group="gokernels",
                    key="compress_many",
                    expected=_each(lz.compress_to_base64, many),
                    has_expected=True,
                ),
            ],
            sum(map(len, many)),
            key="batch",
            cls="TestBatch",
            goals=[
                Goal(
                    "compress_many at least 1.7x the sequential rate on 2 cores",
                    "test_batch_compress_many",
                    "test_batch_sequential",
                    at_least=1.7,
                )
            ],
        )
    )
    out.append(
        Case(
            "lzstring",
            "lz-string: 200 texts of 20K chars, batch vs sequential decompression",
            many,
            [
                Impl(
                    "gokernels decompress_from_base64, one call per text",
                    partial(_each, lz.decompress_from_base64, many_packed),
                    baseline=True,
                    group="gokernels",
                    key="decompress_sequential",
                ),
                Impl(
                    "gokernels decompress_many",
                    partial(lz.decompress_many, many_packed),
                    group="gokernels",
                    key="decompress_many",
                ),
            ],
            sum(map(len, many)),
            key="batch",
            cls="TestBatchDecompress",
            goals=[
                Goal(
                    "decompress_many at least 1.7x the sequential rate on 2 cores",
                    "test_batch_decompress_many",
                    "test_batch_decompress_sequential",
                    at_least=1.7,
                )
            ],
        )
    )
    out += _sweep(pure, missing, SWEEP_FULL)
    return out


def fresh(text: str, quick: bool):
    """compress_to_base64 and decompress_from_base64 on text, warm (the same
    input every call) and fresh (a different input each call, in turn: about
    48 MB of input and 30 MB of output for 1M chars, above a 32 MB L3)."""
    n = len(text)
    count = max(2, min(48, FRESH_BYTES // (2 * n)))
    texts = rotations(text, count)
    packed = lz.compress_many(texts, "base64")
    # The answers come from gokernels: each must decompress to its text.
    assert lz.decompress_many(packed, "base64") == texts
    compress_pool = list(zip(texts, packed))
    decompress_pool = list(zip(packed, texts))
    title = "lz-string: %s chars of English-like text, %%s, warm and fresh (a new input each call, %d in turn)" % (
        format(n, ","),
        count,
    )
    out = []
    for what, fn, pool, rust_index, key in (
        ("compress_to_base64", lz.compress_to_base64, compress_pool, 1, "lz_compress_fresh"),
        ("decompress_from_base64", lz.decompress_from_base64, decompress_pool, 2, "lz_decompress_fresh"),
    ):
        impls = [
            Impl("gokernels %s, warm" % what, on_fresh(fn, pool[:1]), baseline=True, group="gokernels", key="warm"),
            Impl("gokernels %s, fresh" % what, on_fresh(fn, pool), group="gokernels", key="fresh"),
        ]
        for pair, rust_key in zip(_rust_pairs(), ("rust_lzma_pyo3", "rust_rust")):
            label, peer, why = pair[0], pair[rust_index], pair[3]
            run = on_fresh(peer or str, pool, same_base64 if what == "compress_to_base64" else None)
            impls.append(Impl(label + ", fresh", run, group="rust", missing=why, key=rust_key))
        out.append(Case("lzstring", title % what, True, impls, n, versus="warm", key=key))
    return out
