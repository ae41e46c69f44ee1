#!/usr/bin/env node
// bench.js times the reference, lz-string@1.5.0, on text files, to compare
// with the Go kernel's benchmarks on the same text.
//
// Usage:
//   LZSTRING_BENCH_DIR=/tmp/lzbench go test -run WriteBenchInputs ./kernels/lzstring
//   node tools/lzref/bench.js /tmp/lzbench/text-1M.txt /tmp/lzbench/upper-1M.txt
//   go test -run '^$' -bench '(Compress|Decompress)(Base64)?$/-1M' ./kernels/lzstring
//
// For each file (read as UTF-8) it prints milliseconds per operation for
// compress, decompress, compressToBase64 and decompressFromBase64 (median and
// fastest of runs after a warm-up; the machine may be shared, so compare
// fastest with fastest), and checks that the round trips hold.
'use strict';

const fs = require('fs');
const LZString = require('lz-string');

function time(f, minMs = 1500, minRuns = 5) {
  for (let i = 0; i < 3; i++) f(); // warm up the JIT
  const times = [];
  const start = process.hrtime.bigint();
  while (times.length < minRuns || Number(process.hrtime.bigint() - start) / 1e6 < minMs) {
    const t0 = process.hrtime.bigint();
    f();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  return { median: times[times.length >> 1], min: times[0] };
}

for (const file of process.argv.slice(2)) {
  const text = fs.readFileSync(file, 'utf8');
  const raw = LZString.compress(text);
  const b64 = LZString.compressToBase64(text);
  if (LZString.decompress(raw) !== text || LZString.decompressFromBase64(b64) !== text) throw new Error('round trip failed');
  const rows = [
    ['compress', () => LZString.compress(text)],
    ['decompress', () => LZString.decompress(raw)],
    ['compressToBase64', () => LZString.compressToBase64(text)],
    ['decompressFromBase64', () => LZString.decompressFromBase64(b64)],
  ];
  console.log(`${file}: ${text.length} units, base64 ${b64.length} characters`);
  for (const [name, f] of rows) {
    const t = time(f);
    console.log(`  ${name.padEnd(22)} ${t.median.toFixed(2).padStart(9)} ms/op median ${t.min.toFixed(2).padStart(9)} min ${(text.length / t.median / 1e3).toFixed(1).padStart(7)} MB/s`);
  }
}
