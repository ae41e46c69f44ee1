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
null or throws, and OutputTooLongError (a DecompressError) when the output
would exceed max_length units (default DEFAULT_MAX_LENGTH = 2**26).
"""

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


def _nullable(decompressor):
    """The reference's behaviour: "" for null input, null (None) for invalid input."""

    def method(compressed):
        if compressed is None:
            return ""
        try:
            return decompressor(compressed)
        except OutputTooLongError:
            raise  # our guard, not the reference's null
        except DecompressError:
            return None

    method.__name__ = decompressor.__name__
    return staticmethod(method)


def _compressor(fn, empty=""):
    def method(uncompressed):
        return empty if uncompressed is None else fn(uncompressed)

    method.__name__ = fn.__name__
    return staticmethod(method)


class LZString:
    """A drop-in for the pure-Python ``lzstring`` package's ``LZString`` class.

    The same camelCase static methods, plus the Uint8Array pair; like the
    JavaScript reference they return "" for None input and None where the
    reference returns null.
    """

    compress = _compressor(compress)
    compressToUTF16 = _compressor(compress_to_utf16)
    compressToBase64 = _compressor(compress_to_base64)
    compressToEncodedURIComponent = _compressor(compress_to_encoded_uri_component)
    compressToUint8Array = _compressor(compress_to_uint8array, b"")
    decompress = _nullable(decompress)
    decompressFromUTF16 = _nullable(decompress_from_utf16)
    decompressFromBase64 = _nullable(decompress_from_base64)
    decompressFromEncodedURIComponent = _nullable(decompress_from_encoded_uri_component)
    decompressFromUint8Array = _nullable(decompress_from_uint8array)
