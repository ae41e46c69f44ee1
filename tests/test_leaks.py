"""Leaks: over a million calls, every public function called at least 100k
times (inputs of varied sizes, error paths included), the process's RSS
stays flat, Python's allocated block count is unchanged, and the reference
counts of every input and of fresh outputs are what they were.

The workload runs in a fresh interpreter (this file run as a script), so
pytest's own allocations do not blur the numbers; a warm-up at a tenth of
the load first brings every cache, pool and Go heap to its steady state.
"""

import gc
import json
import os
import subprocess
import sys
import tempfile
import time

RSS_SLACK_MIB = 10  # the process: Go's heap and all
MALLOC_SLACK_MIB = 1  # C's heap (every C.malloc'ed result, PyMem buffers): exact, so tight


def rss_mib():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _mallinfo2():
    import ctypes

    class Info(ctypes.Structure):
        _fields_ = [
            (n, ctypes.c_size_t)
            for n in ("arena ordblks smblks hblks hblkhd usmblks fsmblks uordblks fordblks keepcost".split())
        ]

    try:
        f = ctypes.CDLL(None).mallinfo2  # glibc 2.33+
    except (OSError, AttributeError):
        return None
    f.restype = Info
    return f


_MALLINFO = []


def malloc_mib():
    """What the C heap has handed out and not had back (glibc), or None."""
    if not _MALLINFO:
        _MALLINFO.append(_mallinfo2())
    f = _MALLINFO[0]
    if f is None:
        return None
    info = f()
    return (info.uordblks + info.hblkhd) / 2**20


class Boom(Exception):
    pass


class BadHash:
    def __hash__(self):
        raise Boom


def workload(scale):
    """Runs the calls in this process; returns the measurements."""
    import gokernels as g
    import gokernels.lzstring as lz
    from gokernels import CVMCounter

    rnd_text = g.random_string(200_000, "abcdefgh ", seed=1)
    S = {
        "empty": "",
        "tiny": "aab",
        "small": rnd_text[:40],
        "wide": "é€😀x" * 10,
        "surrogate": "a\ud800b",
        "medium": rnd_text[:5000],
        "big": rnd_text[:150_000],
        "big_wide": "€😀" * 70_000,
    }
    B = {"tiny": b"aab", "medium": rnd_text[:5000].encode(), "big": bytearray(rnd_text[:150_000].encode())}
    P = {  # packed forms, all formats
        "raw": [lz.compress(S[k]) for k in ("tiny", "wide", "medium")],
        "utf16": [lz.compress_to_utf16(S[k]) for k in ("tiny", "wide", "medium")],
        "base64": [lz.compress_to_base64(S[k]) for k in ("tiny", "wide", "medium")],
        "uri": [lz.compress_to_encoded_uri_component(S[k]) for k in ("tiny", "wide", "medium")],
        "bytes": [lz.compress_to_uint8array(S[k]) for k in ("tiny", "wide", "medium")],
    }
    BOMB = lz.compress("a" * 200_000)
    L = {
        "small": list(range(20)),
        "big": list(range(100_000)),
        "bigints": [2**70, -(2**65), 5] * 10,
        "tuple": tuple(range(50)),
        "strs": [str(i) for i in range(3000)],
        "mixed": [1, "a", 2.5, (1, 2), None, b"x"],
    }
    BAD_LIST = [1, 2, "x"]
    BAD_BIG = [2**70, 2**70, "x"]  # fails after the big-int path started
    UNHASHABLE = [1, 2, [3]]
    HASH_RAISES = [1, BadHash()]
    MANY = [S["small"], S["wide"], S["tiny"]]
    MANY_BAD = [S["small"], 5, S["tiny"]]
    counter = CVMCounter(seed=1)
    INPUTS = [S, B, P, L, BAD_LIST, BAD_BIG, UNHASHABLE, HASH_RAISES, MANY, MANY_BAD, counter, BOMB]

    def every_object():
        # Inputs and their parts, leaving out the objects CPython shares freely
        # (small ints, None, one-character strings...), whose counts move with
        # any Python code.
        out = []

        def walk(o):
            if not (o is None or isinstance(o, (int, float)) or (isinstance(o, (str, bytes)) and len(o) <= 1)):
                out.append(o)
            if isinstance(o, dict):
                for v in o.values():
                    walk(v)
            elif isinstance(o, (list, tuple)) and len(o) < 100:
                for v in o:
                    walk(v)

        for o in INPUTS:
            walk(o)
        return out

    def refcounts():
        return [sys.getrefcount(o) for o in every_object()]

    E = (TypeError, ValueError, Boom, RuntimeError, UnicodeEncodeError)

    def err(f, *a, **k):
        try:
            f(*a, **k)
        except E:
            return
        raise AssertionError("no error from %s" % f.__name__)

    # name -> [(calls, one call)]: small inputs many times, large ones a few
    # hundred times, every error path; each function gets at least 100k calls
    # at scale 1.
    def plan():
        cd, cdb, cdp = g.count_doubles, g.count_doubles_bytes, g.count_doubles_parallel
        s, p = S, P
        K = 1000
        return {
            "count_doubles": [
                (40 * K, lambda: cd(s["tiny"])),
                (30 * K, lambda: cd(s["wide"])),
                (10 * K, lambda: cd(s=s["medium"])),
                (20 * K, lambda: err(cd, b"x")),
                (1 * K, lambda: cd(s["big"])),
            ],
            "count_doubles_bytes": [
                (40 * K, lambda: cdb(B["tiny"])),
                (25 * K, lambda: cdb(s["wide"])),
                (1 * K, lambda: cdb(B["big"])),
                (20 * K, lambda: err(cdb, s["surrogate"])),
                (15 * K, lambda: err(cdb, 5)),
            ],
            "count_doubles_parallel": [
                (50 * K, lambda: cdp(s["tiny"])),
                (20 * K, lambda: cdp(s["medium"], 2)),
                (1 * K, lambda: cdp(s["big_wide"], workers=2)),
                (15 * K, lambda: err(cdp, "aa", 0)),
                (15 * K, lambda: err(cdp, None)),
            ],
            "short_long": [
                (50 * K, lambda: g.short_long(s["small"])),
                (200, lambda: g.short_long(s["big"])),
                (30 * K, lambda: err(g.short_long, "the a")),
                (20 * K, lambda: err(g.short_long, 5)),
            ],
            "random_string": [
                (50 * K, lambda: g.random_string(30)),
                (20 * K, lambda: g.random_string(200, "é😀", seed=1)),
                (200, lambda: g.random_string(300_000, seed=2)),
                (20 * K, lambda: err(g.random_string, -1)),
                (10 * K, lambda: err(g.random_string, 5, "")),
            ],
            "list_sum": [
                (40 * K, lambda: g.list_sum(L["small"])),
                (20 * K, lambda: g.list_sum(L["bigints"])),
                (20 * K, lambda: g.list_sum(L["tuple"])),
                (20 * K, lambda: err(g.list_sum, BAD_LIST)),
                (10 * K, lambda: err(g.list_sum, BAD_BIG)),
                (100, lambda: g.list_sum(L["big"])),
            ],
            "count_approx": [
                (30 * K, lambda: g.count_approx(L["small"], seed=1)),
                (20 * K, lambda: g.count_approx(L["mixed"])),
                (10 * K, lambda: g.count_approx(iter(L["small"]))),
                (200, lambda: g.count_approx(L["strs"])),
                (15 * K, lambda: err(g.count_approx, UNHASHABLE)),
                (15 * K, lambda: err(g.count_approx, HASH_RAISES)),
                (10 * K, lambda: err(g.count_approx, [1], 2.0)),
            ],
            "CVMCounter": [
                (10 * K, lambda: CVMCounter(seed=1).update(L["strs"][:10])),
                (30 * K, lambda: counter.add(s["tiny"])),
                (20 * K, lambda: counter.update(L["small"])),
                (20 * K, lambda: counter.estimate()),
                (10 * K, lambda: err(counter.add, [1])),
                (10 * K, lambda: err(counter.update, UNHASHABLE)),
                (10 * K, lambda: err(CVMCounter, 2.0)),
            ],
            "compress": [
                (40 * K, lambda: lz.compress(s["small"])),
                (30 * K, lambda: lz.compress(s["wide"])),
                (2 * K, lambda: lz.compress(s["medium"])),
                (100, lambda: lz.compress(s["big_wide"])),
                (30 * K, lambda: err(lz.compress, None)),
            ],
            "compress_to_utf16": [
                (40 * K, lambda: lz.compress_to_utf16(s["small"])),
                (30 * K, lambda: lz.compress_to_utf16(s["wide"])),
                (20 * K, lambda: lz.compress_to_utf16(s["empty"])),
                (10 * K, lambda: err(lz.compress_to_utf16, b"")),
            ],
            "compress_to_base64": [
                (40 * K, lambda: lz.compress_to_base64(s["small"])),
                (20 * K, lambda: lz.compress_to_base64(s["surrogate"])),
                (20 * K, lambda: lz.compress_to_base64(s=s["tiny"])),
                (100, lambda: lz.compress_to_base64(s["big"])),
                (20 * K, lambda: err(lz.compress_to_base64, 1)),
            ],
            "compress_to_encoded_uri_component": [
                (40 * K, lambda: lz.compress_to_encoded_uri_component(s["small"])),
                (30 * K, lambda: lz.compress_to_encoded_uri_component(s["wide"])),
                (20 * K, lambda: lz.compress_to_encoded_uri_component(s["tiny"])),
                (10 * K, lambda: err(lz.compress_to_encoded_uri_component, [])),
            ],
            "compress_to_uint8array": [
                (40 * K, lambda: lz.compress_to_uint8array(s["small"])),
                (30 * K, lambda: lz.compress_to_uint8array(s["wide"])),
                (20 * K, lambda: lz.compress_to_uint8array(s["tiny"])),
                (10 * K, lambda: err(lz.compress_to_uint8array, None)),
            ],
            "decompress": [
                (40 * K, lambda: lz.decompress(p["raw"][0])),
                (30 * K, lambda: lz.decompress(p["raw"][1])),
                (2 * K, lambda: lz.decompress(p["raw"][2])),
                (20 * K, lambda: err(lz.decompress, "")),
                (200, lambda: err(lz.decompress, BOMB, max_length=1000)),
                (10 * K, lambda: err(lz.decompress, 5)),
            ],
            "decompress_from_utf16": [
                (40 * K, lambda: lz.decompress_from_utf16(p["utf16"][0])),
                (40 * K, lambda: lz.decompress_from_utf16(p["utf16"][1])),
                (2 * K, lambda: lz.decompress_from_utf16(p["utf16"][2])),
                (20 * K, lambda: err(lz.decompress_from_utf16, "")),
            ],
            "decompress_from_base64": [
                (40 * K, lambda: lz.decompress_from_base64(p["base64"][0])),
                (30 * K, lambda: lz.decompress_from_base64(p["base64"][1], max_length=None)),
                (2 * K, lambda: lz.decompress_from_base64(p["base64"][2])),
                (20 * K, lambda: err(lz.decompress_from_base64, "")),
                (10 * K, lambda: err(lz.decompress_from_base64, b"x")),
            ],
            "decompress_from_encoded_uri_component": [
                (40 * K, lambda: lz.decompress_from_encoded_uri_component(p["uri"][0])),
                (40 * K, lambda: lz.decompress_from_encoded_uri_component(p["uri"][1])),
                (2 * K, lambda: lz.decompress_from_encoded_uri_component(p["uri"][2])),
                (20 * K, lambda: err(lz.decompress_from_encoded_uri_component, "")),
            ],
            "decompress_from_uint8array": [
                (40 * K, lambda: lz.decompress_from_uint8array(p["bytes"][0])),
                (30 * K, lambda: lz.decompress_from_uint8array(p["bytes"][1])),
                (2 * K, lambda: lz.decompress_from_uint8array(p["bytes"][2])),
                (20 * K, lambda: err(lz.decompress_from_uint8array, b"abc")),
                (10 * K, lambda: err(lz.decompress_from_uint8array, "x")),
            ],
            "compress_many": [
                (30 * K, lambda: lz.compress_many(MANY)),
                (20 * K, lambda: lz.compress_many(MANY, "bytes", workers=1)),
                (20 * K, lambda: lz.compress_many([])),
                (20 * K, lambda: err(lz.compress_many, MANY_BAD)),
                (10 * K, lambda: err(lz.compress_many, MANY, "zip")),
            ],
            "decompress_many": [
                (30 * K, lambda: lz.decompress_many(p["base64"][:2])),
                (20 * K, lambda: lz.decompress_many(p["bytes"][:2], "bytes", workers=1)),
                (20 * K, lambda: err(lz.decompress_many, p["base64"][:2] + [""])),
                (20 * K, lambda: err(lz.decompress_many, p["bytes"][:1] + ["x"], "bytes")),
                (10 * K, lambda: err(lz.decompress_many, [], "zip")),
                (200, lambda: err(lz.decompress_many, [BOMB], "raw", max_length=100)),
            ],
        }

    def run(scale):
        calls = {}
        for name, variants in plan().items():
            t = time.perf_counter()
            calls[name] = 0
            for count, v in variants:
                n = max(1, int(count * scale))
                for _ in range(n):
                    v()
                calls[name] += n
            TIMES[name] = round(time.perf_counter() - t, 2)
        return calls

    TIMES = {}

    def fresh_outputs_owned_once():
        # A fresh result is referenced only by the caller.
        outs = [
            lz.compress(S["medium"]),
            lz.compress_to_uint8array(S["medium"]),
            lz.decompress(P["raw"][2]),
            g.random_string(1000),
            lz.compress_many(MANY),
            lz.decompress_many(P["base64"]),
            g.list_sum(L["bigints"]),
            g.count_approx(L["strs"], seed=1) + 10**20,
            CVMCounter(),
            object(),
        ]
        return [sys.getrefcount(o) for o in outs]  # the list, o, the argument

    malloc_mib()
    run(scale / 10)  # warm-up
    gc.collect()
    rc0, blocks0, rss0, heap0 = refcounts(), sys.getallocatedblocks(), rss_mib(), malloc_mib()
    t0 = time.perf_counter()
    calls = run(scale)
    elapsed = time.perf_counter() - t0
    gc.collect()
    rc1, blocks1, rss1, heap1 = refcounts(), sys.getallocatedblocks(), rss_mib(), malloc_mib()
    changed = [(i, a, b) for i, (a, b) in enumerate(zip(rc0, rc1)) if a != b]
    return {
        "calls": calls,
        "times": TIMES,
        "total": sum(calls.values()),
        "seconds": round(elapsed, 2),
        "rss_before_mib": round(rss0, 1),
        "rss_after_mib": round(rss1, 1),
        "malloc_before_mib": heap0 and round(heap0, 3),
        "malloc_after_mib": heap1 and round(heap1, 3),
        "blocks_before": blocks0,
        "blocks_after": blocks1,
        "refcounts_checked": len(rc0),
        "refcounts_changed": changed,
        "fresh_output_refs": fresh_outputs_owned_once(),
    }


def test_million_calls_leave_memory_and_refcounts_flat():
    with tempfile.TemporaryDirectory() as cwd:
        # GOGC=25: Go collects its garbage sooner, so a heap between two
        # collections neither hides nor fakes a leak in the RSS.
        env = dict(os.environ, GOGC="25")
        r = subprocess.run(
            [sys.executable, os.path.abspath(__file__), "1"],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
    assert r.returncode == 0, r.stderr[-3000:]
    res = json.loads(r.stdout)
    print("\nleaks:", json.dumps({k: v for k, v in res.items() if k not in ("calls", "times")}))
    assert res["total"] >= 1_000_000
    assert min(res["calls"].values()) >= 100_000, res["calls"]
    assert not res["refcounts_changed"], res["refcounts_changed"][:10]
    assert res["refcounts_checked"] > 50
    refs = res["fresh_output_refs"]
    assert refs == [refs[-1]] * len(refs)  # the same as a fresh object()
    # Python objects: a leak of one per call would be 100k blocks.
    assert abs(res["blocks_after"] - res["blocks_before"]) < 1000, (res["blocks_before"], res["blocks_after"])
    if res["malloc_before_mib"] is not None:
        grown = res["malloc_after_mib"] - res["malloc_before_mib"]
        assert grown < MALLOC_SLACK_MIB, "the C heap grew by %.3f MiB over %d calls" % (grown, res["total"])
    grown = res["rss_after_mib"] - res["rss_before_mib"]
    assert grown < RSS_SLACK_MIB, "RSS grew by %.1f MiB over %d calls" % (grown, res["total"])


def registry_workload(rounds):
    """Every kernel of the registry (tests/kernels.py) on its small arguments
    and variants, and every bad-input row, `rounds` times after a warm-up."""
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import kernels

    # Not the kernels built on another library (dask): dask's own caches keep
    # growing for thousands of calls (a bare dask.array sum().compute() adds about
    # 2,600 blocks over its first 300 calls, 1,700 over the next 600), which would
    # hide or fake ours. gokernels.dask is Python over CVMCounter, whose entries stay.
    own = [k for k in kernels.runnable() if not k.needs]
    calls = [(k.fn, args) for k in own for args in [k.small] + k.variants]
    rows = [row for k in own for row in k.bad()]

    def once():
        for fn, args in calls:
            args(fn)
        for _, call, _ in rows:
            try:
                call()
            except BaseException:  # noqa: B036 - the rows' own errors; test_bad_input judges them
                pass

    # CPython's caches and free lists fill over the first rounds (3.14: about
    # 200 blocks over 250 rounds, then 50 over the next 750, 40 over the 1,000
    # after that); a leak keeps growing at its rate. So blocks are compared
    # between the middle and the end of the run.
    for _ in range(50):
        once()
    gc.collect()
    blocks0, rss0, heap0 = sys.getallocatedblocks(), rss_mib(), malloc_mib()
    for _ in range(rounds // 2):
        once()
    gc.collect()
    blocks_mid = sys.getallocatedblocks()
    for _ in range(rounds - rounds // 2):
        once()
    gc.collect()
    blocks1, rss1, heap1 = sys.getallocatedblocks(), rss_mib(), malloc_mib()
    return {
        "kernels": len(own),
        "calls": rounds * (len(calls) + len(rows)),
        "blocks": [blocks0, blocks_mid, blocks1],
        "rss_mib": [round(rss0, 1), round(rss1, 1)],
        "malloc_mib": heap0 and [round(heap0, 3), round(heap1, 3)],
    }


def test_every_registry_call_and_bad_row_leaves_memory_flat():
    """500 rounds of every registry kernel and bad row: a leak of one Python
    object per call of any of them would add 250 blocks over the last 250
    rounds (the slack is 125)."""
    r = subprocess.run(
        [sys.executable, os.path.abspath(__file__), "registry", "500"],
        cwd=tempfile.gettempdir(),
        env=dict(os.environ, GOGC="25"),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert r.returncode == 0, r.stderr[-3000:]
    res = json.loads(r.stdout)
    print("\nregistry leaks:", json.dumps(res))
    assert res["kernels"] >= 36 and res["calls"] >= 500 * 500
    _, mid, after = res["blocks"]
    assert abs(after - mid) < 125, res["blocks"]
    if res["malloc_mib"] is not None:
        assert res["malloc_mib"][1] - res["malloc_mib"][0] < MALLOC_SLACK_MIB, res["malloc_mib"]
    assert res["rss_mib"][1] - res["rss_mib"][0] < RSS_SLACK_MIB, res["rss_mib"]


if __name__ == "__main__":
    if sys.argv[1] == "registry":
        print(json.dumps(registry_workload(int(sys.argv[2]))))
    else:
        print(json.dumps(workload(float(sys.argv[1]))))
