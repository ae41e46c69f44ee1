#!/usr/bin/env bash
# A stale build/ must never leak a deleted module into a wheel.
#
#     check_stale_build.sh PYTHON SRC_DIR WORK_DIR
#
# In a copy of SRC_DIR: add python/gokernels/_stale_probe.py, `pip wheel .`
# (so build/ holds it), delete the module, `pip wheel .` again in the same tree:
# the second wheel must not contain it (the first must). Uses the compiler and
# linker environment it is given (CC, LDSHARED, ...); needs Go.
set -euo pipefail
py=$1 src=$2 work=$3
probe=python/gokernels/_stale_probe.py
rm -rf "$work" && mkdir -p "$work/tree" "$work/w1" "$work/w2"
(cd "$src" && tar -cf - --exclude=./build --exclude='*.egg-info' --exclude=node_modules .) | tar -C "$work/tree" -xf -
"$py" -m venv "$work/venv"
echo '"""Deleted between two builds; must not be in the second wheel."""' >"$work/tree/$probe"
(cd "$work/tree" && "$work/venv/bin/python" -m pip wheel -q --no-deps -w "$work/w1" .) >"$work/log" 2>&1 ||
    { tail -n 20 "$work/log"; echo "check_stale_build: first build failed" >&2; exit 1; }
rm "$work/tree/$probe"
(cd "$work/tree" && "$work/venv/bin/python" -m pip wheel -q --no-deps -w "$work/w2" .) >>"$work/log" 2>&1 ||
    { tail -n 20 "$work/log"; echo "check_stale_build: second build failed" >&2; exit 1; }
has() { "$work/venv/bin/python" -c 'import sys, zipfile; sys.exit(0 if sys.argv[2] in zipfile.ZipFile(sys.argv[1]).namelist() else 1)' "$1" "${probe#python/}"; }
has "$work"/w1/*.whl || { echo "check_stale_build: the first wheel lacks ${probe#python/}: the probe is wrong" >&2; exit 1; }
if has "$work"/w2/*.whl; then
    echo "check_stale_build: FAIL: ${probe#python/} was deleted but the rebuilt wheel still ships it (stale build/)" >&2
    exit 1
fi
echo "  stale build/: a module deleted between two 'pip wheel .' runs is not in the second wheel"
