"""Reliability under fork: before and after the first use, while Go is
busy, and multiprocessing pools of every start method.

Anything that could hang runs in a subprocess with a timeout (subproc.py),
so a hang fails its test instead of freezing pytest. tests/test_runtime.py
already checks that importing starts no Go thread and the basic fork cases;
these tests extend them to every kernel.
"""

import pytest
from subproc import KERNELS as KERNELS_SCRIPT
from subproc import check_ok, run_python

from kernels import KERNELS

FORK_MESSAGE_WORDS = ("spawn", "forkserver")


def test_fork_before_first_use_every_kernel_works():
    """A child forked before the first call runs every kernel (its own Go
    runtime) with the parent's answers; a grandchild forked after the
    child's first use gets the RuntimeError, not a hang."""
    out = check_ok(
        run_python(
            KERNELS_SCRIPT
            + r"""
import json, os, warnings
warnings.simplefilter("ignore", DeprecationWarning)  # 3.12+: fork with threads
assert not g._native._go_loaded()
r, w = os.pipe()
pid = os.fork()
if pid == 0:
    calls = kernel_calls()
    got = {name: f() for name, f in calls.items()}
    gpid = os.fork()  # the child's runtime is running now
    if gpid == 0:
        try:
            g.count_doubles("aa")
            os._exit(3)
        except RuntimeError as e:
            os._exit(0 if "spawn" in str(e) else 4)
    got["grandchild"] = wait_child(gpid, 30)
    os.write(w, json.dumps(got).encode())
    os._exit(0)
os.close(w)
code = wait_child(pid, 60)
assert code == 0, code
child = json.loads(os.read(r, 1 << 20).decode())
assert child.pop("grandchild") == 0
want = {name: f() for name, f in kernel_calls().items()}
assert child == want, [k for k in want if child.get(k) != want[k]]
print(len(want))
"""
        )
    )
    assert int(out) >= 20


def test_fork_after_first_use_every_kernel_raises_never_hangs():
    """After the runtime started, a child gets RuntimeError (naming spawn and
    forkserver) from every Go kernel, however much it allocates; a CVMCounter
    made in the parent can be used (RuntimeError) and freed in the child; the
    child's normal interpreter exit does not call into Go; list_sum (C only)
    still works; the parent is unaffected."""
    out = check_ok(
        run_python(
            KERNELS_SCRIPT
            + r"""
import gc, json, os, sys, warnings
warnings.simplefilter("ignore", DeprecationWarning)
calls = kernel_calls()
want = {name: f() for name, f in calls.items()}
c = g.CVMCounter(seed=1)
c.update(range(100))
kept = g.CVMCounter(seed=2)  # never touched in the child: freed at its exit
kept.add(1)
r, w = os.pipe()
pid = os.fork()
if pid == 0:
    res = {}
    junk = []
    for rnd in range(2):
        for name, f in calls.items():
            junk.append(bytearray(4 << 20))  # heavy allocation between calls
            try:
                res[name] = ["ok", f() == want[name]]
            except RuntimeError as e:
                res[name] = ["RuntimeError", all(w in str(e) for w in ("spawn", "forkserver"))]
        junk = [list(range(100_000)) for _ in range(20)]
        gc.collect()
    for name, f in [("add", lambda: c.add(5)), ("update", lambda: c.update([1, 2])),
                    ("estimate", c.estimate), ("repr", lambda: repr(c)), ("new", g.CVMCounter)]:
        try:
            f()
            res["counter." + name] = ["ok", None]
        except RuntimeError as e:
            res["counter." + name] = ["RuntimeError", "spawn" in str(e)]
    res["counter.attrs"] = ["ok", (c.threshold, c.epsilon, c.delta) == (2544, 0.5, 0.001)]
    del c
    gc.collect()
    os.write(w, json.dumps(res).encode())
    sys.exit(0)  # a normal exit: finalizers run, `kept` is freed
os.close(w)
code = wait_child(pid, 60)
res = json.loads(os.read(r, 1 << 20).decode())
assert code == 0, code
works = C_ONLY | {"counter.attrs"}
bad = {k: v for k, v in res.items() if v != (["ok", True] if k.split("/")[0] in works else ["RuntimeError", True])}
assert not bad, bad
assert c.estimate() == 100 and kept.estimate() == 1  # the parent is unaffected
assert {name: f() for name, f in calls.items()} == want
print(len(res))
""",
            timeout=120,
        )
    )
    assert int(out) >= 25


def test_fork_while_go_is_busy_never_hangs():
    """Forks while other threads are inside Go (goroutines running, Go
    allocating and collecting): every child, including one forked from a
    non-main thread, gets the RuntimeError and exits promptly."""
    check_ok(
        run_python(
            KERNELS_SCRIPT
            + r"""
import os, threading, time, warnings
warnings.simplefilter("ignore", DeprecationWarning)
stop = False
def busy(f):
    while not stop:
        f()
texts = [TEXT[i * 1000:(i + 1) * 1000 + 30_000] for i in range(64)]
workers = [
    threading.Thread(target=busy, args=(lambda: lz.compress_many(texts, workers=2),)),
    threading.Thread(target=busy, args=(lambda: g.count_approx(ITEMS, 0.1),)),
    threading.Thread(target=busy, args=(lambda: g.count_doubles_parallel(BIG, 2),)),
]
for t in workers:
    t.start()
time.sleep(0.2)

def child():
    try:
        g.count_doubles("aa")
        os._exit(3)
    except RuntimeError as e:
        if "spawn" not in str(e):
            os._exit(4)
    assert g.list_sum([1, 2, 3]) == 6
    x = [bytes(1 << 20) for _ in range(50)]
    os._exit(0)

codes = []
def fork_from_thread():
    pid = os.fork()
    if pid == 0:
        child()
    codes.append(wait_child(pid, 30))
for i in range(6):
    if i == 3:
        t = threading.Thread(target=fork_from_thread)
        t.start()
        t.join()
        continue
    pid = os.fork()
    if pid == 0:
        child()
    codes.append(wait_child(pid, 30))
    time.sleep(0.03)
stop = True
for t in workers:
    t.join()
assert codes == [0] * 6, codes
""",
            timeout=120,
        )
    )


POOL_SCRIPT = r"""
import multiprocessing as mp, sys
import gokernels as g, gokernels.lzstring as lz

def main(method):
    inputs = ["aab" * i + "c" * (i % 7) for i in range(300)] + ["xy" * 200_000]
    if method == "fork-before-first-use":
        # Workers forked before the parent's first call do their own first use.
        assert not g._native._go_loaded()
        early = mp.get_context("fork").Pool(2)
        got = early.map_async(g.count_doubles, inputs).get(timeout=60)
        assert got == [g.count_doubles(s) for s in inputs]
        # ...and keep working after the parent started its runtime.
        packed = early.map_async(lz.compress_to_base64, inputs).get(timeout=60)
        assert packed == [lz.compress_to_base64(s) for s in inputs]
        early.terminate()
        early.join()
        print("ok")
        return
    want = [g.count_doubles(s) for s in inputs]  # the parent's Go runtime is running
    if method == "fork":
        import warnings
        warnings.simplefilter("ignore", DeprecationWarning)
        with mp.get_context("fork").Pool(2) as pool:
            try:
                pool.map_async(g.count_doubles, inputs).get(timeout=60)
            except RuntimeError as e:
                assert "spawn" in str(e) and "forkserver" in str(e), e
                print("RuntimeError")
            else:
                print("no error")
        return
    ctx = mp.get_context(method)
    if method == "forkserver":
        ctx.set_forkserver_preload(["gokernels"])  # importing starts no Go thread
    with ctx.Pool(2) as pool:
        assert pool.map_async(g.count_doubles, inputs).get(timeout=60) == want
        packed = pool.map_async(lz.compress_to_base64, inputs).get(timeout=60)
        assert packed == [lz.compress_to_base64(s) for s in inputs]
        assert pool.map_async(lz.decompress_from_base64, packed).get(timeout=60) == inputs
        assert pool.apply_async(g.count_approx, (list(range(1000)),)).get(timeout=60) == 1000
        assert pool.apply_async(g.short_long, ("extraordinary a b",)).get(timeout=60) == 0.5
    print("ok")

if __name__ == "__main__":
    main(sys.argv[1])
"""


@pytest.mark.parametrize("method", ["spawn", "forkserver", "fork-before-first-use"])
def test_pool_works(method):
    assert check_ok(run_python(POOL_SCRIPT, args=[method], timeout=120)).strip() == "ok"


def test_fork_pool_after_first_use_raises_in_workers():
    assert check_ok(run_python(POOL_SCRIPT, args=["fork"], timeout=120)).strip() == "RuntimeError"


def test_the_fork_scripts_call_every_kernel():
    """kernel_calls (subproc.KERNELS) derives its calls from the registry
    (tests/kernels.py): every runnable entry but dask's, on its large
    arguments and on each variant."""
    ns = {}
    exec(KERNELS_SCRIPT, ns)
    called = set(ns["kernel_calls"]())
    wanted = {k.name for k in KERNELS if k.fn is not None and not k.needs}
    wanted |= {
        "%s/%d" % (k.name, i + 1) for k in KERNELS if k.fn is not None and not k.needs for i in range(len(k.variants))
    }
    assert called == wanted
