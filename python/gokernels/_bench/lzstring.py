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
from gokernels._bench.core import Case, Impl
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


def _rust_round_trips(strings):
    return [
        Impl(label, partial(_round_trip, c, d, strings) if c else list, group="rust", missing=why)
        for label, c, d, why in _rust_pairs()
    ]


def same_base64(got, expected):
    """Equal, or equal but for the trailing '=' padding (lz-str's quirk)."""
    return got == expected or (isinstance(got, str) and got.rstrip("=") == expected.rstrip("="))


def _impls(strings, pure, missing):
    return _rust_round_trips(strings) + [
        Impl(
            "pure Python (lzstring package)",
            partial(_round_trip, pure.compressToBase64, pure.decompressFromBase64, strings) if pure else list,
            baseline=True,
            group="python",
            missing=missing,
        ),
        Impl(
            "gokernels (one call per string)",
            partial(_round_trip, lz.compress_to_base64, lz.decompress_from_base64, strings),
            group="gokernels",
        ),
        Impl("gokernels compress_many/decompress_many", partial(_batch_round_trip, strings), group="gokernels"),
    ]


PLOT = "lz-string round trip (random uppercase letters and digits)"
SWEEP_QUICK = [100, 1_000, 10_000]
SWEEP_FULL = [100, 300, 1_000, 3_000, 9_900, 30_000, 100_000]  # the article's 100..9,900, and beyond


def _sweep(pure, missing, quick: bool):
    """One string per size: compressToBase64 then decompressFromBase64."""
    rnd = random.Random(1)
    out = []
    for n in SWEEP_QUICK if quick else SWEEP_FULL:
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
                    ),
                    *_rust_round_trips([s]),
                    Impl(
                        "gokernels",
                        partial(_round_trip, lz.compress_to_base64, lz.decompress_from_base64, [s]),
                        group="gokernels",
                    ),
                ],
                n,
                plot=PLOT,
                compact=True,
            )
        )
    return out


def cases(quick: bool):
    pure, missing = _pure()
    rnd = random.Random(0)
    step = 14 if quick else 1
    sizes = [i * 100 for i in range(1, 100, step)]
    strings = [uppercase_digits(n, rnd) for n in sizes]
    out = [
        Case(
            "lzstring",
            "lz-string: the article's %d strings of 100..%s chars (to Base64 and back)"
            % (len(sizes), format(sizes[-1], ",")),
            strings,
            _impls(strings, pure, missing),
            sum(sizes),
        )
    ]
    out += _sweep(pure, missing, quick)
    n = 100_000 if quick else 1_000_000
    text = natural_text(n)
    packed = lz.compress_to_base64(text)
    title = "lz-string: %s chars of English-like text" % format(n, ",")
    out.append(
        Case(
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
                ),
                *[
                    Impl(label + " compress", partial(c, text) if c else str, group="rust", missing=why)
                    for label, c, _, why in _rust_pairs()
                ],
                Impl("gokernels compress_to_base64", partial(lz.compress_to_base64, text), group="gokernels"),
            ],
            n,
            check=same_base64,
        )
    )
    out.append(
        Case(
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
                ),
                *[
                    Impl(label + " decompress", partial(d, packed) if d else str, group="rust", missing=why)
                    for label, _, d, why in _rust_pairs()
                ],
                Impl("gokernels decompress_from_base64", partial(lz.decompress_from_base64, packed), group="gokernels"),
            ],
            n,
        )
    )
    out += fresh(text, quick)
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
