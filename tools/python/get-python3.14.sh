#!/usr/bin/env bash
# CPython 3.14 for this Debian 12 machine, from Debian unstable's packages, into a cached folder.
#
#   tools/python/get-python3.14.sh      prints the interpreter's path (last line of stdout)
#
# Unstable's python3.14 needs a newer C library than Debian 12's, so the packages and their whole
# dependency closure (libc6 included) are extracted into one folder (dpkg-deb -x, nothing is
# installed), and the interpreter is pointed at that folder's loader and libraries (patchelf).
# `python3.14 -m venv` then works, with pip (ensurepip), and so does compiling C extensions with
# the system's gcc against the folder's headers: an extension built against Debian 12's C library
# needs only older symbol versions, which the folder's newer C library provides.
#
# GOKERNELS_PY314_DIR  the cache folder (default $HOME/.cache/gokernels/python3.14): the private apt
#                      state (apt/), the .debs (debs/) and the interpreter (root/usr/bin/python3.14).
# PY314_SUITE          the Debian suite to take the packages from (default unstable).
# Idempotent: a working root/ is reused; delete the folder (or root/) to start again.
# Needs apt-get, dpkg-deb and patchelf (installed with apt-get when missing and root).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
CACHE=${GOKERNELS_PY314_DIR:-$HOME/.cache/gokernels/python3.14}
SUITE=${PY314_SUITE:-unstable}
ROOT=$CACHE/root
PY=$ROOT/usr/bin/python3.14
# What we run and build with. apt resolves the rest (against an empty dpkg status, so the
# closure does not depend on what this machine has installed).
WANT=(python3.14 python3.14-venv python3.14-dev)
# Packages of the closure that the folder does not need: configuration, data read from /etc or
# /usr/share by absolute path (the system's copies serve), and the C library's headers and
# compiler glue (extensions are compiled with the system's gcc and headers).
SKIP='debconf|perl-base|tzdata|netbase|readline-common|openssl|ca-certificates|media-types|libc-dev-bin|linux-libc-dev|libc6-dev|libcrypt-dev|rpcsvc-proto|libexpat1-dev|zlib1g-dev'

log() { echo "get-python3.14: $*" >&2; }

works() {
	[ -x "$PY" ] && [ -f "$ROOT/.complete" ] && "$PY" -c 'import sys, ssl, sqlite3, ctypes, lzma, bz2, zlib, ensurepip, venv
assert sys.version_info[:2] == (3, 14)' 2>/dev/null
}

if works; then
	echo "$PY"
	exit 0
fi

start=$(date +%s)
for tool in patchelf:patchelf dpkg-deb:dpkg apt-get:apt; do
	if ! command -v "${tool%%:*}" >/dev/null; then
		[ "$(id -u)" = 0 ] || { log "${tool%%:*} is missing (apt-get install ${tool#*:})"; exit 1; }
		log "installing ${tool#*:}"
		apt-get install -y -q "${tool#*:}" >&2 || { apt-get update -q >&2 && apt-get install -y -q "${tool#*:}" >&2; }
	fi
done

APT_DIR=$CACHE/apt
# shellcheck source=tools/python/apt-private.sh
. "$HERE/apt-private.sh"
apt_private_init "$SUITE" "deb"
apt_private_update

# The closure: what `apt-get install` would unpack on an empty system.
mapfile -t pkgs < <(apt_p apt-get -s -q install "${WANT[@]}" | awk '$1 == "Inst" {print $2}' | grep -vxE "$SKIP")
[ ${#pkgs[@]} -gt 0 ] || { log "could not resolve ${WANT[*]} in Debian $SUITE"; exit 1; }
for p in "${WANT[@]}" libc6; do
	printf '%s\n' "${pkgs[@]}" | grep -qx "$p" || { log "$p is missing from the resolved closure"; exit 1; }
done
log "${#pkgs[@]} packages from Debian $SUITE: ${pkgs[*]}"

mkdir -p "$CACHE/debs"
(cd "$CACHE/debs" && apt_p apt-get -q download "${pkgs[@]}" >&2)

new=$CACHE/root.new
rm -rf "$new"
mkdir -p "$new"
for p in "${pkgs[@]}"; do
	deb=$(ls -t "$CACHE"/debs/"${p}"_*.deb | head -1)
	dpkg-deb -x "$deb" "$new"
done

multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || gcc -dumpmachine)
libdir=$ROOT/usr/lib/$multiarch
loader=$(cd "$new/usr/lib/$multiarch" && ls ld-linux*.so.* | head -1)
# DT_RPATH, not RUNPATH: it also applies to the libraries and extension modules the interpreter
# loads (lib-dynload's _ssl needs the folder's libssl), and it is searched before the system's.
patchelf --set-interpreter "$libdir/$loader" --force-rpath --set-rpath "$libdir" "$new/usr/bin/python3.14"

# Debian's include/python3.14/pyconfig.h includes <$multiarch/python3.14/pyconfig.h> from the
# system include path; extensions are compiled with -I<sysconfig include> only, so put the real
# one there.
cp "$new/usr/include/$multiarch/python3.14/pyconfig.h" "$new/usr/include/python3.14/pyconfig.h"

mv "$new" "$ROOT.tmp.$$"
rm -rf "$ROOT"
mv "$ROOT.tmp.$$" "$ROOT"

# sysconfig already derives prefix/base from the interpreter's location; these build-time
# paths still say /usr. WHEEL_PKG_DIR is where ensurepip finds pip (Debian unbundles it).
"$PY" - "$ROOT" <<'PYEOF'
import glob
import json
import os
import pprint
import sys

root = sys.argv[1]
keys = {
    "WHEEL_PKG_DIR", "INCLUDEPY", "CONFINCLUDEPY", "INCLUDEDIR", "CONFINCLUDEDIR", "LIBDIR", "LIBPL",
    "LIBDEST", "BINLIBDEST", "DESTLIB", "MACHDESTLIB", "DESTSHARED", "BINDIR", "LIBPC", "EXENAME",
}


def fix(d):
    for k in keys & d.keys():
        if isinstance(d[k], str) and d[k].startswith("/usr/"):
            d[k] = root + d[k]


stdlib = os.path.join(root, "usr/lib/python3.14")
for path in glob.glob(os.path.join(stdlib, "_sysconfigdata_*.py")):
    ns = {}
    with open(path) as f:
        exec(f.read(), ns)
    fix(ns["build_time_vars"])
    with open(path, "w") as f:
        f.write("# paths made absolute to this folder by tools/python/get-python3.14.sh\n")
        f.write("build_time_vars = " + pprint.pformat(ns["build_time_vars"]) + "\n")
for path in glob.glob(os.path.join(stdlib, "_sysconfig_vars_*.json")):
    with open(path) as f:
        d = json.load(f)
    fix(d)
    with open(path, "w") as f:
        json.dump(d, f, indent=2, sort_keys=True)
PYEOF

# The checks a venv needs: pip from ensurepip, and a C extension built with the system's gcc
# against the folder's headers, loaded under the folder's C library.
check=$(mktemp -d)
trap 'rm -rf "$check"' EXIT
"$PY" -m venv "$check/venv"
"$check/venv/bin/python" -m pip --version >&2
cat >"$check/gkcheck.c" <<'CEOF'
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <pthread.h>
static PyObject *hyp(PyObject *self, PyObject *args) {
    double x, y;
    if (!PyArg_ParseTuple(args, "dd", &x, &y)) return NULL;
    return PyFloat_FromDouble(hypot(x, y));
}
static PyMethodDef methods[] = {{"hyp", hyp, METH_VARARGS, NULL}, {NULL, NULL, 0, NULL}};
static struct PyModuleDef mod = {PyModuleDef_HEAD_INIT, "gkcheck", NULL, -1, methods};
PyMODINIT_FUNC PyInit_gkcheck(void) { return PyModule_Create(&mod); }
CEOF
inc=$("$check/venv/bin/python" -c 'import sysconfig; print(sysconfig.get_path("include"))')
suffix=$("$check/venv/bin/python" -c 'import sysconfig; print(sysconfig.get_config_var("EXT_SUFFIX"))')
gcc -shared -fPIC -O2 -I"$inc" "$check/gkcheck.c" -o "$check/gkcheck$suffix" -lm -lpthread
(cd "$check" && "$check/venv/bin/python" -c 'import gkcheck; assert gkcheck.hyp(3.0, 4.0) == 5.0')

touch "$ROOT/.complete"
works || { log "the interpreter in $ROOT does not work"; exit 1; }
log "$("$PY" --version) in $ROOT, ready in $(($(date +%s) - start)) s"
echo "$PY"
