"""Checks built gokernels wheels: what `make wheels` (tools/wheels/build.sh) asks of each.

    python check_wheels.py [--max-bytes N] [--max-glibc 2.X] [--forbid PREFIX ...] WHEEL...

For every wheel: it holds gokernels/_native*.so and gokernels/libgokernels-go.so;
it is at most --max-bytes; every .so is an ELF file for the wheel's machine
(x86_64 or aarch64), has no libpython in NEEDED, no RPATH/RUNPATH outside the
wheel, and no GLIBC_ symbol version newer than --max-glibc; `strings -a` finds
none of the --forbid prefixes (build paths) in any .so. Across wheels of one
platform: libgokernels-go.so is byte-identical (one Go build serves every
CPython version). Prints, per .so, NEEDED and the GLIBC_ versions it needs,
then one line per wheel (tag, size, sha256 of the Go library); exits 1 on any
failure. Needs readelf, objdump and strings (binutils).
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


# readelf -h "Machine:" for each wheel platform's machine
ELF_MACHINE = {"x86_64": "Advanced Micro Devices X86-64", "aarch64": "AArch64"}


def elf_machine(path):
    out = subprocess.run(["readelf", "-h", path], capture_output=True, text=True, check=True).stdout
    m = re.search(r"^\s*Machine:\s*(.+?)\s*$", out, re.M)
    return m.group(1) if m else "?"


def glibc_versions(path):
    """The GLIBC_x.y versions of the dynamic symbols the file imports, oldest first."""
    out = subprocess.run(["objdump", "-T", path], capture_output=True, text=True, check=True).stdout
    found = {tuple(int(p) for p in v.split(".")) for v in re.findall(r"\bGLIBC_([0-9]+(?:\.[0-9]+)+)\b", out)}
    return sorted(found)


def check(wheel, max_bytes, forbid, max_glibc=None):
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
        machines = {t.rsplit("_", 1)[-1] if not t.endswith("x86_64") else "x86_64" for t in tags}
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
            machine = elf_machine(path)
            for m in machines:
                if ELF_MACHINE.get(m, machine) != machine:
                    errors.append("%s is built for %s, the wheel is tagged %s" % (name, machine, m))
            versions = glibc_versions(path)
            if max_glibc and versions and versions[-1] > max_glibc:
                errors.append(
                    "%s needs GLIBC_%s, newer than %s" % (name, ".".join(map(str, versions[-1])), args_glibc(max_glibc))
                )
            print(
                "  %-55s %s; NEEDED %s; GLIBC_ %s"
                % (name, machine, ", ".join(needed) or "-", " ".join(".".join(map(str, v)) for v in versions) or "-")
            )
    print(
        "%s  %s  %.2f MB  libgokernels-go.so sha256 %s%s"
        % (os.path.basename(wheel), ",".join(tags), size / 1e6, (go_sha or "?")[:16], "" if not errors else "  FAIL")
    )
    for e in errors:
        print("  error: " + e)
    return errors, go_sha


def args_glibc(version):
    return ".".join(map(str, version))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--max-bytes", type=int, default=3 * 1024 * 1024)
    ap.add_argument("--max-glibc", help="no .so may need a GLIBC_ version newer than this (2.17)")
    ap.add_argument("--forbid", action="append", default=[], help="a path prefix no .so may contain")
    ap.add_argument("wheels", nargs="+")
    args = ap.parse_args()
    forbid = [p for p in args.forbid if p]
    failed = False
    by_platform = {}
    for wheel in args.wheels:
        max_glibc = tuple(int(p) for p in args.max_glibc.split(".")) if args.max_glibc else None
        errors, go_sha = check(wheel, args.max_bytes, forbid, max_glibc)
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
