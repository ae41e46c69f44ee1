"""Benchmark cases for lz-string (article 1): the pure-Python `lzstring`
package against gokernels, on the article's growing inputs and on text."""

import random
from functools import partial

from gokernels import lzstring as lz
from gokernels._bench.core import Case, Impl
from gokernels._bench.inputs import natural_text, uppercase_digits


def _pure():
    try:
        import lzstring

        return lzstring.LZString, None
    except ImportError:
        return None, "the pure-Python `lzstring` package is not installed (pip install lzstring)"


def _round_trip(compress, decompress, strings):
    return [decompress(compress(s)) for s in strings]


def _batch_round_trip(strings):
    return lz.decompress_many(lz.compress_many(strings, "base64"), "base64")


def _impls(strings, pure, missing):
    return [
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
                Impl("gokernels compress_to_base64", partial(lz.compress_to_base64, text), group="gokernels"),
            ],
            n,
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
                Impl("gokernels decompress_from_base64", partial(lz.decompress_from_base64, packed), group="gokernels"),
            ],
            n,
        )
    )
    return out
