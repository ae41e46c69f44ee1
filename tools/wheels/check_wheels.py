"""Checks built gokernels wheels: what `make wheels` (tools/wheels/build.sh) asks of each.

    python check_wheels.py [--max-bytes N] [--forbid PREFIX ...] WHEEL...

For every wheel: it holds gokernels/_native*.so and gokernels/libgokernels-go.so;
it is at most --max-bytes; no .so has libpython in NEEDED, or an RPATH/RUNPATH
outside the wheel; `strings -a` finds none of the --forbid prefixes (build
paths) in any .so. Across wheels of one platform: libgokernels-go.so is
byte-identical (one Go build serves every CPython version). Prints one line per
wheel (tag, size, sha256 of the Go library) and exits 1 on any failure.
Needs readelf and strings (binutils).
"""

import argparse
import hashlib
import os
import re
import subprocess
import sys
import tempfile
import zipfile

GO_LIBRARY = "gokernels/libgokernels-go.so"


def dynamic(path):
    """(NEEDED list, RPATH/RUNPATH list) from readelf -d."""
    out = subprocess.run(["readelf", "-d", path], capture_output=True, text=True, check=True).stdout
    needed = re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", out)
    rpaths = re.findall(r"\((?:RPATH|RUNPATH)\)\s+Library r(?:un)?path: \[([^\]]*)\]", out)
    return needed, rpaths


def check(wheel, max_bytes, forbid):
    errors = []
    size = os.path.getsize(wheel)
    if size > max_bytes:
        errors.append("%d bytes, over the %d-byte limit" % (size, max_bytes))
    with zipfile.ZipFile(wheel) as zf, tempfile.TemporaryDirectory() as tmp:
        names = zf.namelist()
        sos = [n for n in names if n.endswith(".so")]
        if GO_LIBRARY not in names:
            errors.append("no " + GO_LIBRARY)
        if not any(re.match(r"gokernels/_native\..*\.so$", n) for n in names):
            errors.append("no gokernels/_native*.so")
        wheel_info = zf.read(next(n for n in names if n.endswith(".dist-info/WHEEL"))).decode()
        tags = re.findall(r"^Tag: (.+)$", wheel_info, re.M)
        go_sha = None
        for name in sos:
            path = zf.extract(name, tmp)
            needed, rpaths = dynamic(path)
            if any("libpython" in lib for lib in needed):
                errors.append("%s links libpython: NEEDED %s" % (name, needed))
            for rp in rpaths:
                if any(not part.startswith("$ORIGIN") for part in rp.split(":") if part):
                    errors.append("%s has RPATH/RUNPATH %s outside the wheel" % (name, rp))
            text = subprocess.run(["strings", "-a", path], capture_output=True, text=True, check=True).stdout
            leaks = sorted({line for line in text.splitlines() for p in forbid if p in line})
            if leaks:
                errors.append("%s embeds build paths: %s" % (name, leaks[:5]))
            if name == GO_LIBRARY:
                with open(path, "rb") as f:
                    go_sha = hashlib.sha256(f.read()).hexdigest()
            print("  %-55s NEEDED %s" % (name, ", ".join(needed) or "-"))
    print(
        "%s  %s  %.2f MB  libgokernels-go.so sha256 %s%s"
        % (os.path.basename(wheel), ",".join(tags), size / 1e6, (go_sha or "?")[:16], "" if not errors else "  FAIL")
    )
    for e in errors:
        print("  error: " + e)
    return errors, go_sha


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--max-bytes", type=int, default=3 * 1024 * 1024)
    ap.add_argument("--forbid", action="append", default=[], help="a path prefix no .so may contain")
    ap.add_argument("wheels", nargs="+")
    args = ap.parse_args()
    forbid = [p for p in args.forbid if p]
    failed = False
    by_platform = {}
    for wheel in args.wheels:
        errors, go_sha = check(wheel, args.max_bytes, forbid)
        failed |= bool(errors)
        platform = os.path.basename(wheel)[:-4].split("-")[-1]
        by_platform.setdefault(platform, {})[os.path.basename(wheel)] = go_sha
    for platform, shas in by_platform.items():
        if len(set(shas.values())) != 1:
            failed = True
            print("error: libgokernels-go.so differs between the %s wheels:" % platform)
            for name, sha in shas.items():
                print("  %s %s" % (sha, name))
        else:
            print("libgokernels-go.so is byte-identical in all %d %s wheels" % (len(shas), platform))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
