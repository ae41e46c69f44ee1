"""compare.py --gopy-dir DIR: gopy's binding of kernels/doubles beside gokernels.

Run by tools/gopy/compare.sh (make gopy-compare), which builds the binding: DIR holds the Python
package gopybind (gopybind.gkwrap.CountDoubles(s: str) -> int over kernels/doubles). Timings run in
this one process, interleaved, best of several rounds; import, fork and bad-input checks each run
in a fresh subprocess. Every check prints a verdict line starting with "verdict:".
"""

import argparse
import os
import random
import re
import statistics
import string
import subprocess
import sys
import textwrap
import time

GOPY_IMPORT = "from gopybind import gkwrap, go"
OURS_IMPORT = "import gokernels"


def best_ns(fn, arg, number, rounds):
    """Best time per call of fn(arg) over rounds of number calls, in ns."""
    best = float("inf")
    for _ in range(rounds):
        t0 = time.perf_counter_ns()
        for _ in range(number):
            fn(arg)
        best = min(best, (time.perf_counter_ns() - t0) / number)
    return best


def time_all(impls, arg, number, rounds):
    """Best ns per call for each impl, with the impls interleaved round by round so load hits all alike."""
    best = {name: float("inf") for name in impls}
    for _ in range(rounds):
        for name, fn in impls.items():
            best[name] = min(best[name], best_ns(fn, arg, number, 1))
    return best


def letters(n, seed=1):
    rng = random.Random(seed)
    return "".join(rng.choices(string.ascii_letters, k=n))


def fmt_ns(ns):
    return "%.0f ns" % ns if ns < 10_000 else "%.3f ms" % (ns / 1e6)


def run(code, env, timeout=60):
    """Run code in a fresh interpreter; return (exit code, stdout, stderr)."""
    p = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], env=env, capture_output=True, text=True, timeout=timeout
    )
    return p.returncode, p.stdout, p.stderr


def outcome(rc, out, err):
    """One line for how a subprocess ended: its output, the exception it raised, or the signal."""
    if rc == 0:
        return "returned " + out.strip()
    if rc < 0 or rc > 128:
        sig = -rc if rc < 0 else rc - 128
        first = next((ln for ln in err.splitlines() if ln.startswith(("panic", "fatal"))), "")
        return "PROCESS KILLED by signal %d (%s)" % (sig, first.strip() or "no message")
    last = err.strip().splitlines()[-1] if err.strip() else "exit %d" % rc
    return "raised " + last


def read(gopy_dir, name):
    with open(os.path.join(gopy_dir, "gopybind", name)) as f:
        return f.read()


def section(title):
    print("\n== " + title)


def timings(gkwrap, go, gokernels):
    section("time per call, one process, best of rounds (machine shared: read the ratios)")
    small = "ab"
    big = letters(1 << 20)
    assert gkwrap.CountDoubles(big) == gokernels.count_doubles(big)
    gopy_raw = gkwrap._gkwrap.gkwrap_CountDoubles
    per_call = time_all(
        {"gopy": gkwrap.CountDoubles, "gopy C entry": gopy_raw, "ours": gokernels.count_doubles, "len": len},
        small,
        number=100_000,
        rounds=7,
    )
    for name, ns in per_call.items():
        print("  %-24s %8s   (%.2fx len)" % (name + "('ab')", fmt_ns(ns), ns / per_call["len"]))
    print(
        "  ratio gopy/ours per call: %.2f (gopy's generated C entry alone: %.2f)"
        % (per_call["gopy"] / per_call["ours"], per_call["gopy C entry"] / per_call["ours"])
    )

    mb = time_all({"gopy": gkwrap.CountDoubles, "ours": gokernels.count_doubles}, big, number=20, rounds=9)
    for name, ns in mb.items():
        print("  %-24s %8s" % (name + "(1 MB str)", fmt_ns(ns)))
    print("  ratio gopy/ours on a 1 MB str: %.2f" % (mb["gopy"] / mb["ours"]))

    raw = big.encode()
    b = time_all(
        {
            "gopy": lambda x: gkwrap.CountDoublesBytes(go.Slice_byte.from_bytes(x)),
            "ours": gokernels.count_doubles_bytes,
        },
        raw,
        number=20,
        rounds=9,
    )
    print(
        "  1 MB bytes: gopy (Slice_byte.from_bytes + call) %s, ours %s: ratio %.2f"
        % (fmt_ns(b["gopy"]), fmt_ns(b["ours"]), b["gopy"] / b["ours"])
    )
    return per_call, mb


def copies(gkwrap, gokernels, env):
    section("does the str cross without a copy?")
    print("  size       gopy ns/char  ours ns/char  gopy/ours")
    for n in (1 << 10, 1 << 16, 1 << 20, 1 << 23):
        s = letters(n, seed=n)
        number = max(3, (1 << 22) // n)
        t = time_all({"gopy": gkwrap.CountDoubles, "ours": gokernels.count_doubles}, s, number=number, rounds=5)
        print("  %-9d  %12.3f  %12.3f  %9.2f" % (n, t["gopy"] / n, t["ours"] / n, t["gopy"] / t["ours"]))

    # Peak RSS across one call on a 32 MB ASCII str, each in a fresh process: a copy shows up whole.
    probe = """
        import resource, sys
        sys.path.insert(0, %r)
        %s
        s = "ab" * (16 << 20)
        f(s)  # warm up: loads ours' Go library; gopy's runtime is already up
        t = "ba" * (16 << 20)
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        f(t)
        print((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) // 1024)
    """
    grow = {}
    for name, setup in (
        ("gopy", GOPY_IMPORT + "; f = gkwrap.CountDoubles"),
        ("ours", OURS_IMPORT + "; f = gokernels.count_doubles"),
    ):
        rc, out, err = run(probe % (env["GOPY_DIR"], setup), env)
        grow[name] = int(out) if rc == 0 else None
        print("  %s: peak RSS grows by %s MB during one call on a 32 MB str" % (name, out.strip() or err[-200:]))
    if grow["gopy"] is not None and grow["ours"] is not None:
        print(
            "verdict: gopy copies the str into Go (+%d MB for 32 MB), ours reads it in place (+%d MB)"
            % (grow["gopy"], grow["ours"])
        )

    # Non-ASCII: gopy's argument is UTF-8 ("s" in PyArg_Parse), so a latin-1 str gets a UTF-8 copy
    # cached on it for its lifetime, and Go sees bytes, not characters.
    s = "\xe9" * (1 << 20)
    size0 = sys.getsizeof(s)
    g = gkwrap.CountDoubles(s)
    size1 = sys.getsizeof(s)
    o = gokernels.count_doubles(s)
    print("  'é' * 2**20 (PEP 393 1-byte kind): gopy answers %d (UTF-8 bytes), ours %d (characters);" % (g, o))
    print("  sys.getsizeof(s) %d -> %d after gopy's call (a UTF-8 copy now lives on the str)" % (size0, size1))
    print(
        "verdict: gopy cannot read PEP 393 storage: a str arrives as UTF-8 (PyArg 's', which makes and keeps"
        " a UTF-8 copy of a non-ASCII str), and C.GoString copies it again into Go"
    )


def hashing(gopy_dir):
    section("can Go reach a Python object (PyObject_Hash)?")
    src = read(gopy_dir, "gkwrap.c")
    fmts = sorted(set(re.findall(r'PyArg_ParseTupleAndKeywords\(args, kwargs, \(char \*\) "([^"]*)"', src)))
    go_src = read(gopy_dir, "gkwrap.go")
    exported = sorted(set(re.findall(r"^func (gkwrap_\w+)\(([^)]*)\)", go_src, re.M)))
    print("  argument formats in gopy's generated C:", " ".join(fmts))
    print("    (s = UTF-8 char*, L/i/d/... = numbers and Go handles; O appears only in gopy's own")
    print("     Slice_byte_from_bytes and container setters, which convert to Go values at once)")
    for name, params in exported:
        print("  Go export %s(%s)" % (name, params))
    has_hash = "HashLen" in read(gopy_dir, "gkwrap.py")
    print("  wrap.go's HashLen(x any) is %s" % ("bound" if has_hash else "silently left out of the binding"))
    print(
        "verdict: a Go function bound by gopy receives only Go values (string, numbers, handles to Go"
        " objects); no parameter type carries a PyObject, so Go cannot call PyObject_Hash on an item:"
        " hashing items (CVM) means converting each to a Go value in Python first"
    )


def imports(env):
    section("import: time and threads (fresh interpreter each, median of 7)")
    probe = """
        import os, sys, time
        sys.path.insert(0, %r)
        n0 = len(os.listdir("/proc/self/task"))
        t0 = time.perf_counter()
        %s
        t1 = time.perf_counter()
        n1 = len(os.listdir("/proc/self/task"))
        %s
        n2 = len(os.listdir("/proc/self/task"))
        print((t1 - t0) * 1e3, n0, n1, n2)
    """
    res = {}
    for name, imp, call in (
        ("gopy", GOPY_IMPORT, "gkwrap.CountDoubles('ab')"),
        ("ours", OURS_IMPORT, "gokernels.count_doubles('ab')"),
    ):
        rows = []
        for _ in range(7):
            rc, out, err = run(probe % (env["GOPY_DIR"], imp, call), env)
            if rc != 0:
                raise SystemExit("import probe failed: " + err)
            rows.append([float(x) for x in out.split()])
        ms = statistics.median(r[0] for r in rows)
        n0, n1, n2 = (int(x) for x in rows[-1][1:])
        res[name] = (ms, n0, n1, n2)
        print(
            "  %s: import %.2f ms; threads %d before import, %d after, %d after the first call" % (name, ms, n0, n1, n2)
        )
    print("  ratio gopy/ours import time: %.0f" % (res["gopy"][0] / max(res["ours"][0], 1e-3)))
    g, o = res["gopy"], res["ours"]
    print(
        "verdict: importing gopy's module %s threads (Go runtime up at import); ours %s"
        % (
            "starts %d" % (g[2] - g[1]) if g[2] > g[1] else "starts no",
            "starts none until the first call" if o[2] == o[1] else "starts %d" % (o[2] - o[1]),
        )
    )
    return res


def fork(env):
    section("fork after import and one call; the child calls again (5 s alarm)")
    probe = """
        import os, signal, sys
        sys.path.insert(0, %r)
        %s
        s = "ab" * (1 << 19)
        f(s)
        pid = os.fork()
        if pid == 0:
            signal.alarm(5)  # default action: the child dies with SIGALRM if it hangs
            try:
                for _ in range(100):
                    f("aa" * (1 << 19))
            except Exception as exc:
                print("child raised %%s: %%s" %% (type(exc).__name__, exc))
                os._exit(1)
            print("child returned normally")
            os._exit(0)
        _, status = os.waitpid(pid, 0)
        code = os.waitstatus_to_exitcode(status)
        print("child killed by SIGALRM: it hung" if code == -signal.SIGALRM else "child exit %%d" %% code)
    """
    verdicts = {}
    for name, setup in (
        ("gopy", GOPY_IMPORT + "; f = gkwrap.CountDoubles"),
        ("ours", OURS_IMPORT + "; f = gokernels.count_doubles"),
    ):
        rc, out, err = run(probe % (env["GOPY_DIR"], setup), env)
        verdicts[name] = " / ".join(out.strip().splitlines()) or err[-300:]
        print("  %s: %s" % (name, verdicts[name]))
    print(
        "verdict: gopy %s; ours %s"
        % (
            "hangs in a forked child" if "hung" in verdicts["gopy"] else "did not hang here",
            "raises RuntimeError naming spawn/forkserver"
            if "spawn" in verdicts["ours"]
            else "did NOT raise as documented",
        )
    )


def bad_input(env):
    section("wrong argument types, and a valid str gopy refuses (each in a fresh interpreter)")
    # (impl, call, is the argument valid for the function)
    cases = [
        ("gopy", "gkwrap.CountDoubles(b'aab')", False),
        ("gopy", "gkwrap.CountDoubles(None)", False),
        ("gopy", "gkwrap.CountDoublesBytes(b'aab')", False),
        ("gopy", "gkwrap.CountDoublesBytes(go.Slice_byte.from_bytes(bytearray(b'aab')))", False),
        ("gopy", "gkwrap.CountDoublesBytes(go.Slice_byte.from_bytes('aab'))", False),
        ("gopy", "gkwrap.CountDoublesBytes(go.Slice_int([1, 1]))", False),
        ("gopy", "gkwrap.CountDoublesBytes(go.Slice_byte(handle=987654))", False),
        ("gopy", "gkwrap.CountDoubles('a\\x00bb')", True),
        ("ours", "gokernels.count_doubles(b'aab')", False),
        ("ours", "gokernels.count_doubles(None)", False),
        ("ours", "gokernels.count_doubles_bytes(None)", False),
        ("ours", "gokernels.count_doubles_bytes(1.5)", False),
        ("ours", "gokernels.count_doubles_bytes(bytearray(b'aab'))", True),
        ("ours", "gokernels.count_doubles('a\\x00bb')", True),
    ]
    tally = {(name, kind): 0 for name in ("gopy", "ours") for kind in ("killed", "silent", "raised", "total")}
    for name, call, valid in cases:
        imp = GOPY_IMPORT if name == "gopy" else OURS_IMPORT
        code = "import sys; sys.path.insert(0, %r); %s; print(%s)" % (env["GOPY_DIR"], imp, call)
        line = outcome(*run(code, env))
        if not valid:
            tally[name, "total"] += 1
            kind = "killed" if line.startswith("PROCESS") else "silent" if line.startswith("returned") else "raised"
            tally[name, kind] += 1
        print("  %-4s %-72s %s%s" % (name, call, "" if not valid else "[valid] ", line[:110]))
    for name in ("gopy", "ours"):
        print(
            "verdict: %s: of %d wrong arguments, %d kill the process, %d return a number silently, %d raise"
            % (name, tally[name, "total"], tally[name, "killed"], tally[name, "silent"], tally[name, "raised"])
        )


def linkage(gopy_dir):
    section("what gopy's extension links")
    so = [f for f in os.listdir(os.path.join(gopy_dir, "gopybind")) if f.startswith("_gkwrap") and f.endswith(".so")]
    ldd = subprocess.run(["ldd", os.path.join(gopy_dir, "gopybind", so[0])], capture_output=True, text=True).stdout
    exe = subprocess.run(["ldd", os.path.realpath(sys.executable)], capture_output=True, text=True).stdout
    libpy = [ln.split()[0] for ln in ldd.splitlines() if "libpython" in ln]
    print("  %s links %s" % (so[0], ", ".join(libpy) or "no libpython"))
    if libpy and not any(lib in exe for lib in libpy):
        print("verdict: this interpreter has libpython built in, so gopy's module loads a second libpython")
    elif libpy:
        print(
            "verdict: links libpython (here the interpreter's own shared one; with a statically linked"
            " python, as in manylinux or Debian, it would be a second copy)"
        )


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gopy-dir", required=True, help="directory holding the gopybind package")
    args = ap.parse_args()
    gopy_dir = os.path.abspath(args.gopy_dir)
    env = dict(os.environ, GOPY_DIR=gopy_dir)
    sys.path.insert(0, gopy_dir)
    from gopybind import gkwrap, go

    import gokernels

    per_call, mb = timings(gkwrap, go, gokernels)
    copies(gkwrap, gokernels, env)
    hashing(gopy_dir)
    imp = imports(env)
    fork(env)
    bad_input(env)
    linkage(gopy_dir)

    section("summary (ratios gopy/ours, this run)")
    print(
        "  1 MB str %.2f, per call %.2f, import %.0f"
        % (mb["gopy"] / mb["ours"], per_call["gopy"] / per_call["ours"], imp["gopy"][0] / max(imp["ours"][0], 1e-3))
    )


if __name__ == "__main__":
    main()
