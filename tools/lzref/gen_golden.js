#!/usr/bin/env node
// gen_golden.js writes the golden files of kernels/lzstring from the reference,
// lz-string@1.5.0, through lzref.js.
//
// Usage (from anywhere; also `go generate ./kernels/lzstring`):
//
//   cd tools/lzref && npm install   # once
//   node tools/lzref/gen_golden.js [outdir]   # default kernels/lzstring/testdata
//
// It writes two JSON Lines files, one case per line, deterministic (seeded):
//
// compress.jsonl: {"name", "input", "compress", "compressToUTF16",
//   "compressToBase64", "compressToEncodedURIComponent", "compressToUint8Array"}
//   input is a string, or {"range": [lo, hi]} for the code units lo..hi-1, or
//   {"repeat": s, "count": n} for s repeated n times. Outputs are strings,
//   except compressToUint8Array, a hex string; an output longer than
//   BIG units (bytes) is {"len": n, "sha256": hex} instead, the hash taken over
//   the string's UTF-16BE bytes (the array's bytes).
//
// decompress.jsonl: {"name", "format", "input", "result", "firstCode"} or
//   {"name", "format", "input", "error", "firstCode"}: lzref.js's answer for one
//   decompressor (format raw, utf16, base64, uri or uint8array; a uint8array
//   input is a hex string). result is a string or null.
//
// Strings are JSON.stringify's: lone surrogates appear as \udXXX escapes.
'use strict';

const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const { compressAll, decompressOne } = require('./lzref.js');

const BIG = 512;
const outDir = process.argv[2] || path.join(__dirname, '..', '..', 'kernels', 'lzstring', 'testdata');

// mulberry32: a small seeded generator, so the files are reproducible.
function rng(seed) {
  let a = seed >>> 0;
  return function () {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = rng(20240601);
const below = (n) => Math.floor(rand() * n);
const fromUnits = (units) => {
  let s = '';
  for (let i = 0; i < units.length; i += 8192) s += String.fromCharCode.apply(null, units.slice(i, i + 8192));
  return s;
};
function randomString(n, pick) {
  const u = [];
  for (let i = 0; i < n; i++) u.push(pick());
  return fromUnits(u);
}
const pickFrom = (chars) => () => chars.charCodeAt(below(chars.length));
// A mix of every class of unit: ASCII, Latin-1, BMP, surrogates (often
// paired, sometimes lone), and a few repeats so that phrases form.
function pickMixed() {
  const r = below(10);
  if (r < 4) return 97 + below(4);
  if (r < 5) return below(256);
  if (r < 6) return 0x100 + below(0x700);
  if (r < 7) return 0xd800 + below(0x800);
  return below(65536);
}

function hashUnits(s) {
  const b = Buffer.alloc(2 * s.length);
  for (let i = 0; i < s.length; i++) b.writeUInt16BE(s.charCodeAt(i), 2 * i);
  return crypto.createHash('sha256').update(b).digest('hex');
}
const outString = (s) => (s.length > BIG ? { len: s.length, sha256: hashUnits(s) } : s);
function outBytes(a) {
  const b = Buffer.from(a);
  return b.length > BIG ? { len: b.length, sha256: crypto.createHash('sha256').update(b).digest('hex') } : b.toString('hex');
}

function expand(input) {
  if (typeof input === 'string') return input;
  if (input.range) {
    const u = [];
    for (let i = input.range[0]; i < input.range[1]; i++) u.push(i);
    return fromUnits(u);
  }
  if (input.repeat !== undefined) return input.repeat.repeat(input.count);
  throw new Error('bad input ' + JSON.stringify(input));
}

// ---- compression cases ----
const compressCases = [];
const comp = (name, input) => compressCases.push({ name, input });

comp('empty', '');
for (const u of [0x00, 0x41, 0x7f, 0x80, 0xff, 0x100, 0x7ff, 0xd7ff, 0xd800, 0xdbff, 0xdc00, 0xdfff, 0xe000, 0xfffe, 0xffff]) {
  const hex = u.toString(16).padStart(4, '0');
  comp('unit-' + hex, String.fromCharCode(u));
  comp('unit-' + hex + '-x3', String.fromCharCode(u).repeat(3));
}
comp('astral-pair', '\u{1F600}');
comp('astral-text', 'emoji \u{1F600}\u{1F601}\u{1F600}\u{1F600} and \u{10FFFF}\u{10000}!');
comp('lone-high', 'a\ud800b\ud800\ud800c');
comp('lone-low', 'a\udc00b\udc00\udc00c');
comp('reversed-pair', '\udc00\ud800\udc00\ud800');
comp('all-units', { range: [0, 65536] });
comp('latin1-units', { range: [0, 256] });
comp('surrogate-units', { range: [0xd700, 0xe100] });

const proto = [
  '__proto__', '__proto__'.repeat(5), 'x__proto__y__proto__', '__proto' + '__proto__',
  '__proto__x', '___proto___', '__proto__proto__', '__proto_', '_'.repeat(30),
  '__proto__'.repeat(40), 'a__proto__b__proto__c__proto__', '__proto____proto__',
  'constructor'.repeat(4), 'hasOwnProperty'.repeat(4), 'toString valueOf __defineGetter__ prototype',
  '__PROTO__'.repeat(3), '__proto\u0000__proto__', '_\u0100__proto__',
  // Phrases grow one unit per repeat, so "__proto_" first becomes a phrase,
  // and the quirk first shows, only after some dozens of repeats (these are
  // the shortest of their kind).
  '__proto__'.repeat(42), '__proto__'.repeat(100), '__proto__ '.repeat(37), '__proto__ '.repeat(90),
  '__proto__p'.repeat(29), '__proto__proto'.repeat(19), '__proto__proto'.repeat(40),
  '__proto__\u0100'.repeat(37), '__proto__\ud800'.repeat(50), 'let a = {}; a.__proto__ = b; '.repeat(36),
];
proto.forEach((s, i) => comp('proto-' + i, s));
// Check that the cases above exercise the quirk: compare with the reference
// patched to use a dictionary without a prototype.
{
  const file = require.resolve('lz-string');
  const patched = fs.readFileSync(file, 'utf8').replace('context_dictionary= {}', 'context_dictionary= Object.create(null)');
  const m = { exports: {} };
  new Function('module', 'define', 'angular', patched)(m, undefined, undefined);
  const shown = proto.filter((s) => m.exports.compress(s) !== compressAll(s).compress).length;
  if (shown < 8) throw new Error('only ' + shown + ' __proto__ cases show the quirk');
  console.log(`${shown} of ${proto.length} __proto__ cases compress differently without the quirk`);
}

const text = fs.readFileSync(path.join(__dirname, 'sample.txt'), 'utf8');
comp('text', text);
comp('text-x8', text.repeat(8));
comp('text-greek-cjk', 'Ἐν ἀρχῇ ἦν ὁ λόγος. 天地玄黄，宇宙洪荒。日月盈昃，辰宿列张。 Ὁ λόγος 天地 '.repeat(3));

// Length sweeps: every prefix length up to 160 of strings of each kind, which
// crosses the first code widths and every padding residue of every format.
const sweepMixed = randomString(160, pickMixed);
const sweepText = text.slice(0, 160);
const sweepUpper = randomString(160, pickFrom('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'));
for (let n = 1; n <= 160; n++) {
  if (n > 100 && n % 5 !== 0) continue;
  comp('sweep-mixed-' + n, sweepMixed.slice(0, n));
  comp('sweep-text-' + n, sweepText.slice(0, n));
  if (n % 3 === 0) comp('sweep-upper-' + n, sweepUpper.slice(0, n));
}
// Distinct units make every step a literal, so the width grows fastest: cut
// just around each width change up to 18 bits.
for (let k = 2; k <= 17; k++) {
  const c = 1 << k;
  for (const d of [-3, -2, -1, 0, 1, 2]) {
    const n = (c >> 1) + d;
    if (n > 0 && n <= 65536) comp('distinct-' + n, { range: [0, n] });
    if (n > 0 && n <= 65536 - 0x100 && k > 8) comp('distinct-bmp-' + n, { range: [0x100, 0x100 + n] });
  }
}
for (const n of [1, 2, 3, 4, 5, 6, 7, 10, 100, 1000, 10000, 100000, 1000000]) comp('a-x' + n, { repeat: 'a', count: n });
for (const n of [1, 2, 5, 50, 5000]) comp('ab-x' + n, { repeat: 'ab', count: n });
comp('ff00-x5000', { repeat: '\u00ff\u0100', count: 5000 });
for (let i = 0; i < 24; i++) comp('random-mixed-' + i, randomString(1 + below(300), pickMixed));
for (let i = 0; i < 12; i++) comp('random-latin1-' + i, randomString(1 + below(500), () => below(256)));
for (let i = 0; i < 12; i++) comp('random-upper-' + i, randomString(1 + below(1000), pickFrom('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789')));
for (let i = 0; i < 10; i++) comp('random-bmp-' + i, randomString(1 + below(300), () => below(65536)));
comp('random-upper-big', randomString(20000, pickFrom('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789')));

// ---- decompression cases ----
const decompressCases = [];
const dec = (name, format, input) => decompressCases.push({ name, format, input });
const toHex = (a) => Buffer.from(a).toString('hex');

// Truncations of valid streams at every length, and the streams whole.
for (const [name, s] of [['text', text.slice(0, 120)], ['mixed', sweepMixed.slice(0, 60)], ['a', 'a'.repeat(300)]]) {
  const all = compressAll(s);
  for (const [format, full] of [['raw', all.compress], ['utf16', all.compressToUTF16], ['base64', all.compressToBase64], ['uri', all.compressToEncodedURIComponent]]) {
    for (let n = 0; n <= full.length; n++) dec(`trunc-${name}-${format}-${n}`, format, full.slice(0, n));
  }
  for (let n = 0; n <= all.compressToUint8Array.length; n += n < 8 ? 1 : 2) dec(`trunc-${name}-uint8array-${n}`, 'uint8array', toHex(all.compressToUint8Array.slice(0, n)));
}
// A valid stream with junk after its end code, and with its padding changed.
{
  const all = compressAll(text.slice(0, 100));
  dec('junk-after-end-base64', 'base64', all.compressToBase64 + 'garbage/+=');
  dec('junk-after-end-raw', 'raw', all.compress + '\uffff\u0000\ud800');
  dec('no-padding-base64', 'base64', all.compressToBase64.replace(/=+$/, ''));
  dec('no-trailing-space-utf16', 'utf16', all.compressToUTF16.slice(0, -1));
  dec('uri-as-base64', 'base64', all.compressToEncodedURIComponent);
  dec('base64-as-uri', 'uri', all.compressToBase64);
  dec('uri-spaces', 'uri', all.compressToEncodedURIComponent.replace(/\+/g, ' '));
}

// Random garbage in each alphabet and in full 16-bit units.
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=';
const URI = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-$';
const ODD = ' !"#%&\'()*,.:;<>?@[\\]^_`{|}~-/$=\u0000\u007f\u0080\u00c1\u0100\u0141\ud800\udc00\uffff';
for (let i = 0; i < 120; i++) {
  const n = 1 + below(i < 60 ? 12 : 60);
  dec('garbage-base64-' + i, 'base64', randomString(n, pickFrom(B64)));
  dec('garbage-uri-' + i, 'uri', randomString(n, pickFrom(URI + ' ')));
  dec('garbage-raw-' + i, 'raw', randomString(Math.ceil(n / 2), () => below(65536)));
  dec('garbage-utf16-' + i, 'utf16', randomString(Math.ceil(n / 2), () => (i % 2 ? below(65536) : 32 + below(32768))));
  const bytes = [];
  for (let j = 0; j < n; j++) bytes.push(below(256));
  dec('garbage-uint8array-' + i, 'uint8array', toHex(bytes));
}
for (let i = 0; i < 40; i++) {
  const n = 1 + below(30);
  dec('outside-base64-' + i, 'base64', randomString(n, pickFrom(B64 + ODD)));
  dec('outside-uri-' + i, 'uri', randomString(n, pickFrom(URI + ODD)));
}
// Low units wrap around in decompressFromUTF16.
for (let i = 0; i < 20; i++) dec('utf16-low-' + i, 'utf16', randomString(1 + below(20), () => below(40)));
dec('utf16-all-low', 'utf16', fromUnits([0, 1, 2, 31, 0, 5, 7, 31, 30]));

// First code 3, 2, 1, 0 in each format, over zeros and over garbage.
for (const [format, first] of [['raw', ['\uc000', '\u4000', '\u8000', '\u0000']], ['utf16', ['\u6020', '\u2020', '\u4020', ' ']], ['base64', ['w', 'Q', 'g', 'A']], ['uri', ['w', 'Q', 'g', 'A']]]) {
  first.forEach((f, code) => {
    dec(`first-${3 - code}-${format}-alone`, format, f);
    dec(`first-${3 - code}-${format}-zeros`, format, f + (format === 'base64' || format === 'uri' ? 'AAAAAAA' : format === 'utf16' ? '       ' : '\u0000\u0000\u0000'));
    for (let i = 0; i < 4; i++) {
      const tail = format === 'base64' ? randomString(8, pickFrom(B64)) : format === 'uri' ? randomString(8, pickFrom(URI)) : randomString(4, () => below(65536));
      dec(`first-${3 - code}-${format}-garbage-${i}`, format, f + tail);
    }
  });
}
for (const h of ['c0', 'c000', 'c0000000', '4000', '8000', '0000', '00', '000000', 'ffff', 'ffffffff']) dec('uint8array-' + h, 'uint8array', h);
for (const n of [1, 2, 3, 4, 5, 8, 17, 64, 333]) {
  dec('zeros-base64-' + n, 'base64', 'A'.repeat(n));
  dec('zeros-uri-' + n, 'uri', 'A'.repeat(n));
  dec('zeros-raw-' + n, 'raw', '\u0000'.repeat(n));
  dec('zeros-utf16-' + n, 'utf16', ' '.repeat(n));
  dec('zeros-uint8array-' + n, 'uint8array', '00'.repeat(n));
  dec('pad-base64-' + n, 'base64', '='.repeat(n));
  dec('dollar-uri-' + n, 'uri', '$'.repeat(n));
}
for (const f of ['base64', 'uri', 'utf16', 'raw']) dec('empty-' + f, f, '');
dec('empty-uint8array', 'uint8array', '');

// Hand-built streams: a sequence of [value, width] codes, packed as the
// reference packs them, with the reference's zero padding.
function stream(codes, bpc) {
  const bits = [];
  for (const [v, w] of codes) for (let i = 0; i < w; i++) bits.push((v >> i) & 1);
  const units = [];
  const n = Math.floor(bits.length / bpc) + 1;
  for (let u = 0; u < n; u++) {
    let x = 0;
    for (let i = 0; i < bpc; i++) x = x * 2 + (bits[u * bpc + i] || 0);
    units.push(x);
  }
  return units;
}
function decAll(name, codes) {
  dec(name + '-raw', 'raw', fromUnits(stream(codes, 16)));
  dec(name + '-utf16', 'utf16', fromUnits(stream(codes, 15).map((x) => x + 32)));
  dec(name + '-base64', 'base64', stream(codes, 6).map((x) => B64[x]).join(''));
  dec(name + '-uri', 'uri', stream(codes, 6).map((x) => URI[x]).join(''));
  dec(name + '-uint8array', 'uint8array', toHex(stream(codes, 16).flatMap((x) => [x >> 8, x & 255])));
}
const A = [0, 2], a = [97, 8];
decAll('ref-past-dict', [A, a, [5, 3], [2, 3]]); // dictSize is 4: 5 is too far
decAll('ref-at-dict', [A, a, [4, 3], [2, 3]]); // w + w[0]
decAll('ref-first', [A, a, [3, 3], [3, 3], [2, 3]]);
decAll('ref-far', [A, a, [7, 3], [2, 3]]);
decAll('ref-placeholder-2', [A, a, [0, 3], [98, 8], [2, 4]]);
decAll('end-only', [[2, 2]]);
decAll('literal-16', [[1, 2], [0x1234, 16], [1, 3], [0xd800, 16], [2, 4]]);
decAll('literal-then-nothing', [A, a]);
// First code 3: the reference goes on with entry 3 undefined.
decAll('first3-undefined-text', [[3, 2], [0, 3], [120, 8], [5, 3], [2, 4]]); // "xundefinedx"
decAll('first3-string', [[3, 2], [0, 3], [120, 8], [6, 3], [2, 4]]); // "xxx"
decAll('first3-throws', [[3, 2], [4, 3], [2, 3]]); // TypeError reading undefined.charAt
// Chains that reference the newest entry, which doubles as a small bomb.
{
  const codes = [A, a];
  let dict = 4, numBits = 3, enlarge = 4;
  for (let i = 0; i < 200; i++) {
    codes.push([dict, numBits]); // the entry being defined
    dict++;
    if (--enlarge === 0) { enlarge = 1 << numBits; numBits++; }
  }
  codes.push([2, numBits]);
  decAll('chain-200', codes);
  decAll('chain-200-no-end', codes.slice(0, -1));
}

// ---- write ----
function writeLines(file, lines) {
  fs.writeFileSync(path.join(outDir, file), lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
}
writeLines('compress.jsonl', compressCases.map(({ name, input }) => {
  const r = compressAll(expand(input));
  return {
    name,
    input,
    compress: outString(r.compress),
    compressToUTF16: outString(r.compressToUTF16),
    compressToBase64: outString(r.compressToBase64),
    compressToEncodedURIComponent: outString(r.compressToEncodedURIComponent),
    compressToUint8Array: outBytes(r.compressToUint8Array),
  };
}));
writeLines('decompress.jsonl', decompressCases.map(({ name, format, input }) => {
  const r = decompressOne(format, format === 'uint8array' ? Array.from(Buffer.from(input, 'hex')) : input);
  const line = { name, format, input };
  if ('error' in r) line.error = r.error;
  else line.result = r.result === null ? null : outString(r.result);
  if ('firstCode' in r) line.firstCode = r.firstCode;
  return line;
}));
console.log(`wrote ${compressCases.length} compression and ${decompressCases.length} decompression cases to ${outDir}`);
