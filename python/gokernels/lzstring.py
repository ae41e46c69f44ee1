"""lz-string, byte-exact with the JavaScript reference (lz-string 1.5.0), in Go.

A Python str is taken as a sequence of UTF-16 code units, as JavaScript sees
strings, so every output equals the reference's for every input, including
astral characters and lone surrogates.

compress / decompress                                   16 bits per character
compress_to_utf16 / decompress_from_utf16               valid UTF-16 text
compress_to_base64 / decompress_from_base64             Base64 (padded like the reference)
compress_to_encoded_uri_component / decompress_from_encoded_uri_component
compress_to_uint8array / decompress_from_uint8array     bytes
compress_many / decompress_many                         a list of strings on all cores
LZString                                                drop-in for the `lzstring` package's class

Decompressors raise DecompressError (a ValueError) where the reference returns
null or throws, and also where the stream's first code is 3 (the reference
then reads its undefined dictionary entry 3 and returns text with "undefined"
spliced in, e.g. "xundefinedx" for decompress("\uc0f5\u4000"), or null);
OutputTooLongError (a DecompressError) when the output would exceed
max_length units (default DEFAULT_MAX_LENGTH = 2**26); MemoryError when there
is no memory for the output. Results join each valid surrogate pair into one
astral character (a lone surrogate stays a code point). Long calls answer
Ctrl-C.

LZString differs from these functions: it returns strings the way the
`lzstring` package does, one code point per UTF-16 unit (see its docstring).
"""

import sys
from array import array

from gokernels._native import (
    DEFAULT_MAX_LENGTH,
    DecompressError,
    OutputTooLongError,
    compress,
    compress_many,
    compress_to_base64,
    compress_to_encoded_uri_component,
    compress_to_uint8array,
    compress_to_utf16,
    decompress,
    decompress_from_base64,
    decompress_from_encoded_uri_component,
    decompress_from_uint8array,
    decompress_from_utf16,
    decompress_many,
)

__all__ = [
    "DEFAULT_MAX_LENGTH",
    "DecompressError",
    "LZString",
    "OutputTooLongError",
    "compress",
    "compress_many",
    "compress_to_base64",
    "compress_to_encoded_uri_component",
    "compress_to_uint8array",
    "compress_to_utf16",
    "decompress",
    "decompress_from_base64",
    "decompress_from_encoded_uri_component",
    "decompress_from_uint8array",
    "decompress_from_utf16",
    "decompress_many",
]


_UTF16 = "utf-16-le" if sys.byteorder == "little" else "utf-16-be"


def _split_pairs(s):
    """s with every astral character as its two surrogates, one code point per
    UTF-16 unit, as the lzstring package's strings hold them."""
    if s.isascii() or max(s) <= "\uffff":
        return s
    units = array("H")
    units.frombytes(s.encode(_UTF16, "surrogatepass"))
    return "".join(map(chr, units))


def _nullable(decompressor):
    """The reference's behaviour: "" for null input, null (None) for invalid input."""

    def method(compressed):
        if compressed is None:
            return ""
        try:
            return _split_pairs(decompressor(compressed))
        except OutputTooLongError:
            raise  # our guard, not the reference's null
        except DecompressError:
            return None

    method.__name__ = decompressor.__name__
    return staticmethod(method)


def _compressor(fn, empty="", split=False):
    def method(uncompressed):
        if uncompressed is None:
            return empty
        return _split_pairs(fn(uncompressed)) if split else fn(uncompressed)

    method.__name__ = fn.__name__
    return staticmethod(method)


class LZString:
    """A drop-in for the ``lzstring`` package's (1.0.4) ``LZString`` class.

    The same camelCase static methods, plus the Uint8Array pair; like the
    JavaScript reference they return "" for None input and None where the
    reference returns null. Strings are what ``lzstring`` makes and reads:
    one code point per UTF-16 unit, so a surrogate pair is two code points
    (the module functions join it into one astral character instead), and
    ``lzstring.LZString.decompress`` reads what ``compress`` here returns, and
    the other way round.

    Where it knowingly differs from ``lzstring``, it does what the JavaScript
    reference does, because ``lzstring`` is broken there:

    - astral characters (emoji) in the input of a compressor: ``lzstring``
      keeps only the low 16 bits of the code point, so its output decodes to
      other characters; here they are compressed as their two UTF-16 units,
      as in JavaScript;
    - ``decompressFromUTF16``: ``lzstring``'s raises TypeError on every
      input (it subtracts 32 from a str); this one works;
    - garbage input: where ``lzstring`` raises (KeyError for a character
      outside the Base64 alphabets, IndexError past the end of the input,
      UnboundLocalError for a first code of 3), this returns what the
      reference returns (characters outside an alphabet read as zero bits),
      or None where the reference returns null or reads its undefined entry
      3; a first code of 3 gives None here;
    - a compressed str holding astral characters (as the module's
      ``compress`` returns): read as its UTF-16 units, where ``lzstring``
      misreads them;
    - output longer than DEFAULT_MAX_LENGTH units raises OutputTooLongError
      (a guard against decompression bombs that ``lzstring`` lacks).
    """

    compress = _compressor(compress, split=True)
    compressToUTF16 = _compressor(compress_to_utf16)
    compressToBase64 = _compressor(compress_to_base64)
    compressToEncodedURIComponent = _compressor(compress_to_encoded_uri_component)
    compressToUint8Array = _compressor(compress_to_uint8array, b"")
    decompress = _nullable(decompress)
    decompressFromUTF16 = _nullable(decompress_from_utf16)
    decompressFromBase64 = _nullable(decompress_from_base64)
    decompressFromEncodedURIComponent = _nullable(decompress_from_encoded_uri_component)
    decompressFromUint8Array = _nullable(decompress_from_uint8array)


def _tiny_calls():
    """(label, zero-argument call, expected answer) of each function above on
    a tiny input, for the call-overhead table (gokernels._bench.calls)."""
    from functools import partial

    out = []
    for suffix in ("", "_to_utf16", "_to_base64", "_to_encoded_uri_component", "_to_uint8array"):
        back = "decompress" + suffix.replace("_to_", "_from_")
        compress, decompress = globals()["compress" + suffix], globals()[back]
        packed = compress("ab")
        out.append(("lzstring.compress%s('ab')" % suffix, partial(compress, "ab"), packed))
        out.append(("lzstring.%s(...)" % back, partial(decompress, packed), "ab"))
    packed = compress_to_base64("ab")
    out += [
        ("lzstring.compress_many(['ab'])", partial(compress_many, ["ab"]), [packed]),
        ("lzstring.decompress_many([...])", partial(decompress_many, [packed]), ["ab"]),
        ("lzstring.LZString.compressToBase64('ab')", partial(LZString.compressToBase64, "ab"), packed),
    ]
    return out
