#!/usr/bin/env node
// lzref.js: the JavaScript reference, lz-string@1.5.0, behind a JSON pipe.
//
// The Go kernel in kernels/lzstring is checked against this script: its golden
// files are made with it (gen_golden.js), and tests in other languages may call
// it live. Install the reference first: `cd tools/lzref && npm install`.
//
// Usage: node tools/lzref/lzref.js < cases.json > results.json
//
// Standard input is one JSON array of cases; standard output is one JSON array
// with one result per case, in the same order.
//
//   A string s asks for every compressor's output on s:
//     {"compress": string,                       // LZString.compress
//      "compressToUTF16": string,
//      "compressToBase64": string,
//      "compressToEncodedURIComponent": string,
//      "compressToUint8Array": [byte, ...]}
//
//   {"format": F, "input": X} asks for one decompressor's answer on X, where F
//   is "raw" (decompress), "utf16" (decompressFromUTF16), "base64"
//   (decompressFromBase64), "uri" (decompressFromEncodedURIComponent) or
//   "uint8array" (decompressFromUint8Array, X an array of byte values):
//     {"result": string or null, "firstCode": n}  // what the reference returned
//     {"error": "RangeError: ...", "firstCode": n} // what it threw instead
//   firstCode (0..3, absent when the reference never started decoding, as for
//   "") is the first 2-bit code of the stream. With 3 the reference goes on
//   with dictionary entry 3 undefined and returns text built from the word
//   "undefined", or null, or throws; a strict decoder rejects such streams, so
//   callers need to tell them apart.
//
// Strings are JavaScript strings: sequences of UTF-16 code units. In JSON a
// lone surrogate is written as an escape (\udXXX) by JSON.stringify and is read
// back exactly by JSON.parse (and by Python's json), so every code unit
// survives the pipe. Go's encoding/json does not keep lone surrogates: the Go
// tests decode strings themselves.
'use strict';

const LZString = require('lz-string');

const decompressors = {
  raw: (x) => LZString.decompress(x),
  utf16: (x) => LZString.decompressFromUTF16(x),
  base64: (x) => LZString.decompressFromBase64(x),
  uri: (x) => LZString.decompressFromEncodedURIComponent(x),
  uint8array: (x) => LZString.decompressFromUint8Array(Uint8Array.from(x)),
};

// compressAll returns every compressor's output on s.
function compressAll(s) {
  return {
    compress: LZString.compress(s),
    compressToUTF16: LZString.compressToUTF16(s),
    compressToBase64: LZString.compressToBase64(s),
    compressToEncodedURIComponent: LZString.compressToEncodedURIComponent(s),
    compressToUint8Array: Array.from(LZString.compressToUint8Array(s)),
  };
}

// decompressOne runs one decompressor. It learns the first code by wrapping
// LZString._decompress, which every public decompressor calls through the
// LZString object, and reading the first value the way the reference does.
function decompressOne(format, input) {
  const fn = decompressors[format];
  if (!fn) throw new Error('unknown format ' + JSON.stringify(format));
  const inner = LZString._decompress;
  let firstCode;
  LZString._decompress = function (length, resetValue, getNextValue) {
    const v = getNextValue(0);
    firstCode = ((v & resetValue) > 0 ? 1 : 0) + ((v & (resetValue >> 1)) > 0 ? 2 : 0);
    return inner.call(this, length, resetValue, getNextValue);
  };
  try {
    const result = fn(input);
    const out = { result: result };
    if (firstCode !== undefined) out.firstCode = firstCode;
    return out;
  } catch (e) {
    const out = { error: String(e) };
    if (firstCode !== undefined) out.firstCode = firstCode;
    return out;
  } finally {
    LZString._decompress = inner;
  }
}

function run(cases) {
  return cases.map((c) => (typeof c === 'string' ? compressAll(c) : decompressOne(c.format, c.input)));
}

module.exports = { LZString, compressAll, decompressOne, run };

if (require.main === module) {
  const chunks = [];
  process.stdin.on('data', (d) => chunks.push(d));
  process.stdin.on('end', () => {
    const cases = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    process.stdout.write(JSON.stringify(run(cases)));
    process.stdout.write('\n');
  });
}
