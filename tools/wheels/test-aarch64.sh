#!/usr/bin/env bash
# The aarch64 wheels from `make wheels` (build.sh runs this as its last step; alone:
# `make wheels-aarch64-test`), each installed into a Debian arm64 root and run under
# qemu-user through binfmt_misc:
#
#   CPython 3.11  Debian bookworm's python3.11                   smoke.py
#   CPython 3.13  Debian unstable's python3.13 } one root, both
#   CPython 3.14  Debian unstable's python3.14 }                  smoke.py
#   CPython 3.10  Maven Central's org.bytedeco:cpython 3.10.8 }   smoke.py, in the bookworm root
#   CPython 3.12  Maven Central's org.bytedeco:cpython 3.12.1 }   (cpython-arm64-maven.sh)
# Debian has no arm64 3.10 or 3.12 (it ships one or two CPythons per release: bookworm 3.11,
# trixie 3.13, unstable 3.13 + 3.14 + 3.15). A wheel with no interpreter here fails the run.
#
# The roots come from debian-arm64-python.sh (Debian's arm64 .debs extracted, cached under
# $GOKERNELS_ROOTS; about 20 s each the first time). Each wheel goes into a venv of the root's
# interpreter (`python3.X -m venv --without-pip`, under qemu), installed by this machine's pip
# (--target the venv's site-packages, --platform manylinux2014_aarch64): ensurepip under qemu
# takes minutes. smoke.py then runs, under qemu, every kernel against its pure-Python version
# and every lz-string golden case (kernels/lzstring/testdata). Under qemu the check is
# correctness, never speed.
#
# Environment: WHEELS_DIR (as for build.sh; wheels read from $WHEELS_DIR/wheelhouse),
# GOKERNELS_ROOTS (default ${XDG_CACHE_HOME:-$HOME/.cache}/gokernels), WHEELS_TOOLS_PY (a
# python with pip, default python3). Needs root (chroot, mount, binfmt_misc), and mvn for 3.10
# and 3.12. (The whole suite under qemu, which passed on cp311 in a debootstrapped bookworm root
# last session, is not run: it needs node in the root and takes most of an hour.)
set -euo pipefail

# where each version's interpreter comes from: the Debian arm64 root ("suite package..."), and for
# 3.10 and 3.12 (no Debian arm64 build) a CPython from Maven Central put into bookworm's root
declare -A ROOT_OF=([3.10]="bookworm python3.11-venv" [3.11]="bookworm python3.11-venv"
    [3.12]="bookworm python3.11-venv" [3.13]="unstable python3.13-venv python3.14-venv"
    [3.14]="unstable python3.13-venv python3.14-venv")
declare -A MAVEN=([3.10]=1 [3.12]=1)

main() {
    local src
    src=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
    WORK=${WHEELS_DIR:-${TMPDIR:-/tmp}/gokernels-wheels}
    CACHE=${GOKERNELS_ROOTS:-${XDG_CACHE_HOME:-$HOME/.cache}/gokernels}
    TOOLS_PY=${WHEELS_TOOLS_PY:-python3}
    START=$SECONDS
    ls "$WORK"/wheelhouse/*aarch64.whl >/dev/null 2>&1 || die "no aarch64 wheels in $WORK/wheelhouse: run make wheels"
    mkdir -p "$WORK/logs"
    SUMMARY=()
    local failed=0 notrun=0 whl v
    for whl in "$WORK"/wheelhouse/*aarch64.whl; do
        v=$(basename "$whl" | sed -E 's/.*-cp3([0-9]+)-cp3[0-9]+t?-.*/3.\1/')
        if [ -z "${ROOT_OF[$v]:-}" ]; then
            SUMMARY+=("$(basename "$whl"): NOT RUN (no Debian arm64 CPython $v)")
            notrun=1
            continue
        fi
        test_wheel "$whl" "$v" "$src" || failed=1
    done
    step "aarch64 done in $((SECONDS - START))s"
    local line
    for line in "${SUMMARY[@]}"; do echo "  $line"; done
    [ $failed = 0 ] || die "aarch64 tests failed (logs in $WORK/logs)"
    [ $notrun = 0 ] || die "some aarch64 wheels have no interpreter here"
}

step() { printf '\n=== [%4ds] %s\n' $((SECONDS - START)) "$*"; }
die() { echo "test-aarch64: $*" >&2; exit 1; }

MOUNTED=()
unmount_all() {
    local m
    for m in "${MOUNTED[@]}"; do umount -l "$m" 2>/dev/null || true; done
    MOUNTED=()
}
trap unmount_all EXIT

test_wheel() { # wheel, 3.X, source tree
    local whl=$1 v=$2 src=$3 spec root log status=ok venv site m py origin
    py=python$v
    read -r -a spec <<<"${ROOT_OF[$v]}"
    step "CPython $v arm64: the Debian ${spec[0]} root (${spec[*]:1}; cached in $CACHE)"
    root=$(bash "$src/tools/wheels/debian-arm64-python.sh" "${spec[0]}" "$CACHE" "${spec[@]:1}" 2>"$WORK/logs/aarch64-root-$v.log") ||
        { tail -n 20 "$WORK/logs/aarch64-root-$v.log"; die "no Debian ${spec[0]} arm64 root"; }
    origin="Debian ${spec[0]} python$v"
    if [ -n "${MAVEN[$v]:-}" ]; then
        py=$(bash "$src/tools/wheels/cpython-arm64-maven.sh" "$root" "$v" "$CACHE" 2>>"$WORK/logs/aarch64-root-$v.log") ||
            { tail -n 20 "$WORK/logs/aarch64-root-$v.log"; die "no CPython $v for arm64 from Maven Central"; }
        origin="$(cat "$root/opt/cpython-$v/.gokernels-ok") in the Debian ${spec[0]} root"
    fi
    for m in proc dev; do
        mountpoint -q "$root/$m" || { mount --bind "/$m" "$root/$m" && MOUNTED+=("$root/$m"); }
    done
    log=$WORK/logs/aarch64-$v.log
    venv=/gk/venv-$v
    rm -rf "$root/gk/venv-$v" "$root/gk/testdata" "$root/gk/run" && mkdir -p "$root/gk/run" "$root/gk/testdata"
    cp "$src/tools/wheels/smoke.py" "$root/gk/"
    cp "$src"/kernels/lzstring/testdata/*.jsonl "$root/gk/testdata/"
    step "CPython $v arm64: install $(basename "$whl") and run smoke.py under qemu"
    {
        chroot "$root" "$py" -c 'import platform, sys; print("interpreter:", sys.version.split()[0], platform.machine())' &&
            chroot "$root" "$py" -m venv --without-pip "$venv" &&
            site=$(chroot "$root" "$venv/bin/python" -c 'import sysconfig; print(sysconfig.get_path("purelib"))') &&
            arm64_pip "$v" "$root$site" "$whl"
    } >"$log" 2>&1 || {
        tail -n 20 "$log"
        unmount_all
        SUMMARY+=("$(basename "$whl"): FAILED to install (log: $log)")
        return 1
    }
    if chroot "$root" sh -c "cd /gk/run && $venv/bin/python /gk/smoke.py /gk/testdata" >>"$log" 2>&1; then
        sed -n '/^gokernels /,$p' "$log" | sed 's/^/  /'
    else
        tail -n 25 "$log"
        status=FAILED
    fi
    local result
    result="smoke under qemu ($origin): $(tail -n 1 "$log")"
    unmount_all
    SUMMARY+=("$(basename "$whl"): $status  $result")
    [ $status = ok ]
}

arm64_pip() { # 3.X, site-packages dir, requirement or wheel...: this machine's pip, for the arm64 venv
    local v=$1 target=$2
    shift 2
    "$TOOLS_PY" -m pip install -q --no-compile --only-binary=:all: --platform manylinux2014_aarch64 \
        --platform "manylinux_2_36_aarch64" --python-version "$v" --implementation cp --abi "cp${v/./}" \
        --upgrade --target "$target" "$@"
}

main "$@"
