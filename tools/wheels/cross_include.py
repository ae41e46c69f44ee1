"""Python headers for cross-compiling gokernels._native to aarch64 on x86_64.

    python3.X cross_include.py OUT_DIR

Copies this interpreter's include directory (sysconfig INCLUDEPY) to OUT_DIR and
turns its x86_64 pyconfig.h into an aarch64 one. Every other header is the same
on both machines. The pyconfig.h macros that differ by machine are the ones that
differ between Debian's amd64 and arm64 builds of the same CPython (compared for
libpython3.11-dev 3.11.2-6+deb12u8): the x87/x64 inline-asm switches, whether
wchar_t can hold a Py_UCS4 (signed on x86_64, unsigned on aarch64), and PEP 11's
support tier. A Debian-style multiarch pyconfig.h (a wrapper that includes
<x86_64-linux-gnu/python3.X/pyconfig.h>) is replaced by the file it includes.
Prints OUT_DIR. Fails if pyconfig.h does not look like an x86_64 one.
"""

import os
import re
import shutil
import sys
import sysconfig

# macro -> value on aarch64 (None: undefined); the x86_64 value must be as given
AARCH64 = {
    "HAVE_GCC_ASM_FOR_X64": (None, "1"),
    "HAVE_GCC_ASM_FOR_X87": (None, "1"),
    "HAVE_USABLE_WCHAR_T": ("1", None),
    "PY_SUPPORT_TIER": ("2", "1"),  # 3.12+
}


def x86_64_pyconfig(include):
    path = os.path.join(include, "pyconfig.h")
    with open(path) as f:
        text = f.read()
    m = re.search(r"#\s*include\s*<(x86_64-linux-gnu/python[0-9.]+t?/pyconfig\.h)>", text)
    if m:  # Debian multiarch wrapper: the real file lives under <prefix>/include/x86_64-linux-gnu
        real = os.path.join(os.path.dirname(include.rstrip("/")), m.group(1))
        with open(real) as f:
            text = f.read()
    return text


def to_aarch64(text):
    for macro, (arm, x86) in AARCH64.items():
        pat = re.compile(r"^(?:#define %s (\S+)|/\* #undef %s \*/)$" % (macro, macro), re.M)
        found = pat.findall(text)
        if not found:
            if macro == "PY_SUPPORT_TIER":
                continue  # not in 3.10 and 3.11's pyconfig.h
            raise SystemExit("cross_include: pyconfig.h has no line for %s" % macro)
        if len(found) != 1 or (found[0] or None) != x86:
            raise SystemExit("cross_include: %s is %r, expected %r for x86_64" % (macro, found, x86))
        line = "#define %s %s" % (macro, arm) if arm else "/* #undef %s */" % macro
        text = pat.sub(line, text)
    return "/* aarch64: made from an x86_64 pyconfig.h by tools/wheels/cross_include.py */\n" + text


def main():
    out = os.path.abspath(sys.argv[1])
    include = sysconfig.get_config_var("INCLUDEPY")
    if sysconfig.get_config_var("MULTIARCH") != "x86_64-linux-gnu":
        raise SystemExit("cross_include: run it with an x86_64 Linux Python (this is %s)" % sysconfig.get_platform())
    text = to_aarch64(x86_64_pyconfig(include))
    if os.path.exists(out):
        shutil.rmtree(out)
    shutil.copytree(include, out, symlinks=False)
    with open(os.path.join(out, "pyconfig.h"), "w") as f:
        f.write(text)
    print(out)


if __name__ == "__main__":
    main()
