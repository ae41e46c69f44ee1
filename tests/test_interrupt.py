"""Long calls answer Ctrl-C (issue 11): SIGINT during a long lz-string or
random_string call raises KeyboardInterrupt promptly, leaves no Go work
running and gives its memory back.

Each case runs in a subprocess of its own. The child first calibrates: it
grows the input until the call takes at least CALL_SECONDS uninterrupted (so
the test means the same on a fast idle machine and a loaded CI one), then
runs it again with a thread that sends SIGINT SIGNAL_AT seconds in. It
reports the latency from os.kill to the KeyboardInterrupt, the CPU time the
process burns in the half second after (Go work left running would burn
about as much as the wall time), and RSS before and after.
"""

import json
import subprocess
import sys
import textwrap

import pytest

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/statm")

CALL_SECONDS = 1.5  # the calibrated call's length, uninterrupted
SIGNAL_AT = 0.2  # seconds into the call
# The goal is 200 ms; CI machines are loaded, the note reports the
# measurements. A call that ignored the signal until it returned would take
# 1.3 s more (CALL_SECONDS - SIGNAL_AT).
LATENCY_BOUND = 1.0  # seen 0.54 s once at load average 10 on 2 cores
STARVED_CPU = 0.1  # CPU seconds from the signal to the exception, below which a late one was starved
IDLE_CPU_BOUND = 0.2  # CPU seconds burnt in the 0.5 s after the interrupt
RSS_BOUND_MIB = 16

CHILD = textwrap.dedent(
    r"""
    import gc, json, os, signal, sys, threading, time
    import gokernels.lzstring as lz
    from gokernels.text import random_string

    PAGE = os.sysconf("SC_PAGE_SIZE")

    def rss_mib():
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * PAGE / 2**20

    def cpu():
        t = os.times()
        return t.user + t.system

    def letters(n):
        return random_string(n, seed=n)

    FORMATS = {
        "raw": (lz.compress, lz.decompress),
        "utf16": (lz.compress_to_utf16, lz.decompress_from_utf16),
        "base64": (lz.compress_to_base64, lz.decompress_from_base64),
        "uri": (lz.compress_to_encoded_uri_component, lz.decompress_from_encoded_uri_component),
        "bytes": (lz.compress_to_uint8array, lz.decompress_from_uint8array),
    }

    def make(case, scale):
        kind, _, fmt = case.partition(":")
        if kind == "compress":
            s = letters(1_000_000 * scale)
            f = FORMATS[fmt][0]
            return lambda: f(s)
        if kind == "decompress":
            comp, dec = FORMATS[fmt]
            c = comp(letters(1_000_000 * scale))
            return lambda: dec(c, max_length=None)
        if kind == "compress_many":
            items = [letters(100_000 * scale)] * 16
            return lambda: lz.compress_many(items, "raw")
        if kind == "decompress_many":
            items = [lz.compress(letters(200_000 * scale))] * 16
            return lambda: lz.decompress_many(items, "raw")
        if kind == "random_string":
            return lambda: random_string(4_000_000 * scale, "\U0001F600\U0001F601\U0001F602")
        raise SystemExit("unknown case " + case)

    case, want, at = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
    scale = 1
    while True:
        call = make(case, scale)
        t0, c0 = time.perf_counter(), time.process_time()
        call()
        took, took_cpu = time.perf_counter() - t0, time.process_time() - c0
        if took >= want or scale >= 64:
            break
        scale *= 2
    gc.collect()
    time.sleep(1.2)  # memory from the calibration goes back
    before = rss_mib()

    # If the machine is busier during the calibration than now, the call
    # may end before the signal: then try again with a longer call.
    for attempt in range(4):
        fired = []
        def fire():
            time.sleep(at)
            fired.append((time.perf_counter(), time.process_time()))
            os.kill(os.getpid(), signal.SIGINT)

        timer = threading.Thread(target=fire)
        timer.start()
        try:
            try:
                call()
                outcome, latency, latency_cpu = "returned", None, None
            except KeyboardInterrupt:
                latency = time.perf_counter() - fired[0][0]
                latency_cpu = time.process_time() - fired[0][1]
                outcome = "interrupted"
            timer.join()
        except KeyboardInterrupt:  # the late signal, after the call returned
            timer.join()
        if outcome == "interrupted":
            break
        scale *= 2
        call = make(case, scale)
        gc.collect()
        time.sleep(1.2)
        before = rss_mib()
    c0 = cpu()
    time.sleep(0.5)
    idle_cpu = cpu() - c0
    time.sleep(0.7)
    gc.collect()
    after = rss_mib()
    print(json.dumps(dict(case=case, scale=scale, took=took, took_cpu=took_cpu, attempts=attempt + 1,
                          outcome=outcome, latency=latency, latency_cpu=latency_cpu, idle_cpu=idle_cpu,
                          before=before, after=after)))
    """
)

CASES = (
    ["compress:" + f for f in ("raw", "utf16", "base64", "uri", "bytes")]
    + ["decompress:" + f for f in ("raw", "utf16", "base64", "uri", "bytes")]
    + ["compress_many", "decompress_many", "random_string"]
)


def run_case(case):
    argv = [sys.executable, "-c", CHILD, case, str(CALL_SECONDS), str(SIGNAL_AT)]
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("case", CASES)
def test_long_call_answers_ctrl_c(case):
    r = run_case(case)
    if r["outcome"] == "interrupted" and r["latency"] >= LATENCY_BOUND and r["latency_cpu"] < STARVED_CPU:
        # Late by the wall clock but idle meanwhile: the process was not
        # given the CPU (make wheels tests at nice 19 beside other work; seen
        # 1.53 s). Measured once more; a call that ran on after the signal
        # would have burnt CPU all that time.
        r = run_case(case)
    print("\nMEASURED", json.dumps(r))  # for -s
    # The calibration reached a long call, or the largest input on a fast
    # machine (random_string's 256M chars took 1.34 s there), still well
    # past the signal.
    assert r["took"] >= CALL_SECONDS or (r["scale"] >= 64 and r["took"] >= 5 * SIGNAL_AT), r
    assert r["outcome"] == "interrupted", r
    assert r["latency"] < LATENCY_BOUND, r
    # The CPU burnt between the signal and the exception, which no load
    # stretches: a call that ignored the signal would burn most of its own.
    assert r["latency_cpu"] < 0.35 * r["took_cpu"], r
    assert r["idle_cpu"] < IDLE_CPU_BOUND, r  # no Go work left running
    assert r["after"] - r["before"] < RSS_BOUND_MIB, r  # nothing held


def test_handler_that_does_not_raise_lets_the_call_finish():
    """A SIGINT handler that returns normally (no exception) must not stop
    the call: the result is complete and right."""
    code = textwrap.dedent(
        r"""
        import os, signal, threading, time
        import gokernels.lzstring as lz
        from gokernels.text import random_string
        seen = []
        signal.signal(signal.SIGINT, lambda *a: seen.append(1))
        s = random_string(4_000_000, seed=5)
        threading.Timer(0.05, os.kill, (os.getpid(), signal.SIGINT)).start()
        c = lz.compress(s)
        time.sleep(0.1)
        assert seen, "the handler did not run"
        assert lz.decompress(c) == s
        print("ok")
        """
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0 and proc.stdout.strip() == "ok", proc.stderr


def test_interrupt_in_a_thread_call_does_not_stop_it():
    """Only the main thread runs signal handlers: a long call in another
    thread finishes with the right answer while the main thread takes the
    KeyboardInterrupt."""
    code = textwrap.dedent(
        r"""
        import os, signal, threading, time
        import gokernels.lzstring as lz
        from gokernels.text import random_string
        s = random_string(3_000_000, seed=6)
        want = lz.compress(s)
        got = []
        t = threading.Thread(target=lambda: got.append(lz.compress(s)))
        t.start()
        try:
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(5)
        except KeyboardInterrupt:
            pass
        t.join()
        assert got == [want]
        print("ok")
        """
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0 and proc.stdout.strip() == "ok", proc.stderr


if __name__ == "__main__":  # print the measurements of every case
    for c in CASES:
        print(json.dumps(run_case(c)))


def test_handler_that_clears_the_batch_list_changes_nothing():
    """Signal handlers are Python code that runs during a long batch call:
    one that empties the caller's list and drops the items must not matter,
    because the batch holds its own reference to every item."""
    code = textwrap.dedent(
        r"""
        import gc, os, signal, threading, time
        import gokernels.lzstring as lz
        from gokernels.text import random_string
        base = [random_string(400_000, seed=i) for i in range(24)]
        want = [lz.compress(s) for s in base]
        packed = [lz.compress(s) for s in base]
        want_d = [lz.decompress(p) for p in packed]
        for fn, make, expected in (
            (lambda it: lz.compress_many(it, "raw"), lambda k: [(s + ".")[:-1] for s in base * k], want),
            (lambda it: lz.decompress_many(it, "raw"), lambda k: [(p + ".")[:-1] for p in packed * k], want_d),
        ):
            # A batch long enough that the signal comes during it: on an idle
            # machine decompress_many of the 24 items ends within the 50 ms.
            k = 1
            while k < 64:
                t0 = time.perf_counter()
                fn(make(k))
                if time.perf_counter() - t0 >= 0.5:
                    break
                k *= 2
            expected = expected * k
            items = make(k)  # fresh objects, referenced only by this list
            calls, in_call = [], [True]
            def handler(*a):
                calls.append(in_call[0])
                items.clear()
                gc.collect()
            signal.signal(signal.SIGINT, handler)
            threading.Timer(0.05, os.kill, (os.getpid(), signal.SIGINT)).start()
            got = fn(items)
            in_call[0] = False
            signal.signal(signal.SIGINT, signal.default_int_handler)
            assert calls == [True], "the handler did not run during the call"
            assert got == expected
        print("ok")
        """
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0 and proc.stdout.strip() == "ok", proc.stderr
