"""Memory (issue 11): big calls give their memory back, and running out of
memory raises MemoryError (or OutputTooLongError) with the interpreter alive.

Every case runs in a subprocess: RSS is read from /proc/self/statm, and the
address-space limits (RLIMIT_AS) must not reach pytest.
"""

import json
import subprocess
import sys
import textwrap

import pytest

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/statm")

RSS_BOUND_MIB = 16

PRELUDE = textwrap.dedent(
    r"""
    import gc, json, os, resource, sys, time
    import gokernels.lzstring as lz
    from gokernels.text import random_string

    PAGE = os.sysconf("SC_PAGE_SIZE")

    def statm():
        with open("/proc/self/statm") as f:
            return [int(x) * PAGE for x in f.read().split()[:2]]

    def rss_mib():
        return statm()[1] / 2**20

    def reset_peak():
        # Linux: writing 5 to clear_refs resets VmHWM (the peak RSS) to the current RSS.
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")

    def peak_mib():
        # The peak RSS since reset_peak(): RSS sampled after a call may already be back down.
        with open("/proc/self/status") as f:
            return next(int(line.split()[1]) for line in f if line.startswith("VmHWM:")) / 2**10

    def bomb(k):
        # The raw stream (as Uint8Array bytes) of "a" followed by k codes that
        # each name the phrase being defined: phrases of 2, 3, ... k+1 units,
        # (k+1)(k+2)/2 units in all from about 2k bytes.
        bits = []
        def put(v, n):
            bits.extend((v >> i) & 1 for i in range(n))
        put(0, 2)
        put(ord("a"), 8)
        num_bits, enlarge, size = 3, 4, 4
        for _ in range(k):
            put(size, num_bits)
            size += 1
            enlarge -= 1
            if enlarge == 0:
                enlarge, num_bits = 1 << num_bits, num_bits + 1
        put(2, num_bits)
        bits.extend([0] * (16 - len(bits) % 16))
        out = bytearray()
        for i in range(0, len(bits), 8):
            out.append(int("".join(map(str, bits[i : i + 8])), 2))
        return bytes(out)
    """
)


def run(code):
    proc = subprocess.run(
        [sys.executable, "-c", PRELUDE + textwrap.dedent(code)], capture_output=True, text=True, timeout=600
    )
    assert proc.returncode == 0, "exit %d: %s" % (proc.returncode, proc.stderr[-3000:])
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_bomb_builder_matches_the_compressor():
    """The hand-built bomb is what the compressor writes for a run of "a"."""
    r = run(
        r"""
        k = 40
        n = (k + 1) * (k + 2) // 2
        print(json.dumps(dict(same=lz.decompress_from_uint8array(bomb(k)) == "a" * n,
                              compressed=lz.compress_to_uint8array("a" * n) == bomb(k))))
        """
    )
    assert r == {"same": True, "compressed": True}


@pytest.mark.parametrize(
    "call",
    [
        "lz.compress(s)",
        "lz.compress_to_base64(s)",
        "lz.decompress(c)",
        "lz.decompress_many([c, c], 'raw')",
        "random_string(40_000_000, '\U0001f600ab')",
    ],
)
def test_rss_returns_after_a_big_call(call):
    """A second after a call that used more than 64 MiB, RSS is within 16
    MiB of where it started, besides the result itself (issue 11: compress
    of 10M random letters kept +140 MiB). The result is kept: once Python
    frees it, glibc may keep its pages for later use, which is Python's
    memory, not the call's (after_del is reported for the note)."""
    r = run(
        r"""
        s = random_string(10_000_000, seed=1)
        c = lz.compress(s) if "c)" in sys.argv[1] or "c]" in sys.argv[1] else None
        lz.compress(s[:1000]); lz.decompress(lz.compress(s[:1000]))  # the runtime and its pools
        gc.collect(); time.sleep(1.2)
        before = rss_mib()
        reset_peak()
        t0 = time.perf_counter()
        result = eval(sys.argv[1])
        took = time.perf_counter() - t0
        peak = peak_mib()
        time.sleep(1.0)
        size = (sum(map(sys.getsizeof, result)) if isinstance(result, list) else sys.getsizeof(result)) / 2**20
        after = rss_mib()
        del result
        gc.collect()
        print(json.dumps(dict(before=before, peak=peak, after=after, result=size, after_del=rss_mib(), took=took)))
        """.replace("sys.argv[1]", repr(call))
    )
    print("\nMEASURED", call, json.dumps(r))
    assert r["peak"] - r["before"] > 40, r  # the call did use memory
    assert r["after"] - r["result"] - r["before"] < RSS_BOUND_MIB, r


def test_decompression_bomb_unbounded_under_3_gib():
    """max_length=None and a bomb asking for 2**29 - 24 units under a 3 GiB
    address-space limit: the right answer or MemoryError, never an abort
    (cgo's C.malloc aborted the process)."""
    r = run(
        r"""
        k = 32765  # (k+1)(k+2)/2 = 536,821,761 units, just under the reference's limit
        data = bomb(k)
        lz.decompress(lz.compress("warm up"))
        resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))
        try:
            out = lz.decompress_from_uint8array(data, max_length=None)
            outcome = "ok" if len(out) == (k + 1) * (k + 2) // 2 and out.count("a") == len(out) else "wrong"
            del out
        except MemoryError:
            outcome = "MemoryError"
        # The interpreter is alive and the library still works.
        assert lz.decompress(lz.compress("still alive")) == "still alive"
        print(json.dumps(dict(outcome=outcome, input=len(data))))
        """
    )
    print("\nMEASURED", json.dumps(r))
    assert r["outcome"] in ("ok", "MemoryError"), r


def test_decompression_bomb_without_the_memory_raises_memory_error():
    """The same bomb when the address space left is far below the 1.5 GB it
    needs: MemoryError, and the process goes on."""
    r = run(
        r"""
        k = 32765
        data = bomb(k)
        lz.decompress(lz.compress("warm up"))
        limit = statm()[0] + (600 << 20)
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        try:
            lz.decompress_from_uint8array(data, max_length=None)
            outcome = "returned"
        except MemoryError:
            outcome = "MemoryError"
        assert lz.decompress(lz.compress("still alive")) == "still alive"
        print(json.dumps(dict(outcome=outcome)))
        """
    )
    assert r["outcome"] == "MemoryError", r


@pytest.mark.parametrize("fmt", ["bytes", "raw"])
def test_bomb_within_default_bound_under_1_5_gib(fmt):
    """A 23 KB input asking for just under the default max_length (2**26
    units) under a 1.5 GiB limit: the right answer or MemoryError, never an
    abort."""
    r = run(
        r"""
        k = 11583  # (k+1)(k+2)/2 = 67,100,320 <= 2**26
        data = bomb(k)
        arg = data if FMT == "bytes" else data.decode("utf-16-be", "surrogatepass")
        f = lz.decompress_from_uint8array if FMT == "bytes" else lz.decompress
        lz.decompress(lz.compress("warm up"))
        resource.setrlimit(resource.RLIMIT_AS, (3 << 29, 3 << 29))
        try:
            out = f(arg)
            outcome = "ok" if len(out) == (k + 1) * (k + 2) // 2 and out.count("a") == len(out) else "wrong"
            del out
        except MemoryError:
            outcome = "MemoryError"
        assert lz.decompress(lz.compress("still alive")) == "still alive"
        print(json.dumps(dict(outcome=outcome, input=len(data))))
        """.replace("FMT", repr(fmt))
    )
    print("\nMEASURED", fmt, json.dumps(r))
    assert r["outcome"] in ("ok", "MemoryError"), r


def test_long_call_without_go_headroom_raises_memory_error_on_any_thread():
    """A long call checks that the Go runtime still has room to map heap
    (128 MiB of address space) before it starts Go work, on the main thread
    (where it runs as a job that Ctrl-C stops) and on other threads (where
    it runs directly, issue 13): MemoryError, not an abort, and the process
    goes on once the limit is lifted."""
    r = run(
        r"""
        import threading
        s = random_string(1 << 17, seed=9)  # past the job size of compress
        want = lz.compress_to_base64(s)
        outcomes, go, done = {}, threading.Event(), threading.Event()

        def attempt(where):
            try:
                outcomes[where] = "ok" if lz.compress_to_base64(s) == want else "wrong"
            except MemoryError as e:
                outcomes[where] = "MemoryError: %s" % e

        def worker():
            go.wait()
            attempt("thread")
            done.set()

        t = threading.Thread(target=worker)
        t.start()  # started before the limit: its stack is mapped already
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = statm()[0] + (64 << 20)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
        attempt("main")
        go.set()
        done.wait()
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
        t.join()
        attempt("after")
        print(json.dumps(outcomes))
        """
    )
    assert r["main"].startswith("MemoryError: ") and "address space" in r["main"], r
    assert r["thread"] == r["main"], r
    assert r["after"] == "ok", r
