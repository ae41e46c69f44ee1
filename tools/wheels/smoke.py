"""Smoke test of an installed gokernels wheel, for interpreters that cannot run the suite
(aarch64 under qemu): every kernel once against its pure-Python version, plus every
lz-string golden case (kernels/lzstring/testdata/*.jsonl, from the JavaScript reference).

    python smoke.py TESTDATA_DIR

Needs only the standard library and gokernels. Prints one line per kernel and a final
"N passed, 0 failed" line; exits 1 on any failure.
"""

import hashlib
import json
import os
import platform
import random
import sys

import gokernels
from gokernels import lzstring, reference

passed = 0
failures = []


def check(name, got, want):
    global passed
    if got == want:
        passed += 1
    else:
        failures.append("%s: got %.80r, want %.80r" % (name, got, want))


def passed_one():
    global passed
    passed += 1


def units_sha(s):
    return len(s.encode("utf-16-be", "surrogatepass")) // 2, hashlib.sha256(
        s.encode("utf-16-be", "surrogatepass")
    ).hexdigest()


def golden_input(raw):
    if isinstance(raw, str):
        return raw
    if "range" in raw:
        return "".join(chr(i) for i in range(*raw["range"]))
    return raw["repeat"] * raw["count"]


def matches(got, want):
    """want: a str, or {"len": units, "sha256": of the UTF-16BE units} for big outputs."""
    if isinstance(want, dict):
        return isinstance(got, str) and units_sha(got) == (want["len"], want["sha256"])
    return got == want


def kernels():
    rng = random.Random(20261201)
    texts = ["", "a", "aa", "aabbbc", "é€😀😀", "".join(rng.choice("ab") for _ in range(100_003))]
    for t in texts:
        check("count_doubles(%d chars)" % len(t), gokernels.count_doubles(t), reference.doubles_zip(t))
        check("count_doubles_parallel(%d)" % len(t), gokernels.count_doubles_parallel(t, 2), reference.doubles_zip(t))
        b = t.encode("latin-1", "ignore")
        want = reference.doubles_zip(b.decode("latin-1"))
        check("count_doubles_bytes(%d)" % len(b), gokernels.count_doubles_bytes(b), want)
    for items in ([], [1, 2, 3], [rng.randrange(-(2**70), 2**70) for _ in range(5000)], [2**63 - 1] * 4):
        check("list_sum(%d items)" % len(items), gokernels.list_sum(items), reference.list_sum(items))
    for t in ("one", "a bb ccc dddd abcdefghij", " ".join("x" * rng.randrange(1, 12) for _ in range(10_000))):
        check("short_long(%d chars)" % len(t), gokernels.short_long(t), reference.short_long(t))
    try:
        gokernels.short_long("the a  ")
        failures.append("short_long: no ValueError for text with no countable word")
    except ValueError:
        passed_one()
    s = gokernels.random_string(10_000, "xyz", seed=7)
    check("random_string alphabet", (len(s), set(s) <= set("xyz")), (10_000, True))
    check("random_string seeded", gokernels.random_string(100, seed=3), gokernels.random_string(100, seed=3))
    items = [rng.randrange(1000) for _ in range(20_000)]  # 1000 distinct: below the threshold, so exact
    check("count_approx exact", gokernels.count_approx(items, seed=1), len(set(items)))
    counter = gokernels.CVMCounter(seed=2)
    counter.update(items)
    counter.add(-1)
    check("CVMCounter exact", counter.estimate(), len(set(items)) + 1)
    big = list(range(300_000))
    est = gokernels.count_approx(big, epsilon=0.1, delta=0.01, seed=5)
    check("count_approx estimate within 10%", abs(est - len(big)) <= 0.1 * len(big), True)
    strings = ["", "hello", "é😀" * 50, s]
    packed = lzstring.compress_many(strings)
    check("compress_many", packed, [lzstring.compress_to_base64(x) for x in strings])
    check("decompress_many", lzstring.decompress_many(packed), strings)


COMPRESSORS = {
    "compress": lzstring.compress,
    "compressToUTF16": lzstring.compress_to_utf16,
    "compressToBase64": lzstring.compress_to_base64,
    "compressToEncodedURIComponent": lzstring.compress_to_encoded_uri_component,
}
DECOMPRESSORS = {
    "raw": lzstring.decompress,
    "utf16": lzstring.decompress_from_utf16,
    "base64": lzstring.decompress_from_base64,
    "uri": lzstring.decompress_from_encoded_uri_component,
    "uint8array": lambda x: lzstring.decompress_from_uint8array(bytes.fromhex(x)),
}


def golden(testdata):
    global passed
    with open(os.path.join(testdata, "compress.jsonl"), encoding="utf-8") as f:
        for line in f:
            case = json.loads(line)
            text = golden_input(case["input"])
            for key, fn in COMPRESSORS.items():
                got = fn(text)
                if matches(got, case[key]):
                    passed += 1
                else:
                    failures.append("compress.jsonl %s %s: got %.60r" % (case["name"], key, got))
            got = lzstring.compress_to_uint8array(text)
            want = case["compressToUint8Array"]  # hex, or {"len": bytes, "sha256": of the bytes}
            if isinstance(want, dict):
                got, want = (len(got), hashlib.sha256(got).hexdigest()), (want["len"], want["sha256"])
            else:
                got = got.hex()
            check("compress.jsonl %s compressToUint8Array" % case["name"], got, want)
            if isinstance(case["compress"], str):
                check("round trip %s" % case["name"], lzstring.decompress(case["compress"]), text)
    with open(os.path.join(testdata, "decompress.jsonl"), encoding="utf-8") as f:
        for line in f:
            case = json.loads(line)
            fn = DECOMPRESSORS[case["format"]]
            try:
                got = fn(case["input"])
            except lzstring.DecompressError:
                got = None
            # an error where the reference throws, returns null, or reads a first code of 3
            # (the reference then decodes garbage; kernels/lzstring's golden test says so too)
            want = None if "error" in case or case.get("firstCode") == 3 else case["result"]
            if (got is None and want is None) or (want is not None and matches(got, want)):
                passed += 1
            else:
                failures.append("decompress.jsonl %s: got %.60r, want %.60r" % (case["name"], got, want))


def main():
    print("gokernels %s on Python %s, %s" % (gokernels.__version__, platform.python_version(), platform.machine()))
    kernels()
    print("  kernels: %d checks" % passed)
    before = passed
    golden(sys.argv[1])
    print("  lz-string golden cases: %d checks" % (passed - before))
    for f in failures[:20]:
        print("  FAIL " + f)
    print("%d passed, %d failed" % (passed, len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
