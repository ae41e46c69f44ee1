#!/usr/bin/env bash
# `make wheels-aarch64-test`: the aarch64 wheels from `make wheels`, each installed
# into a Debian arm64 root (debian-arm64-root.sh: debootstrap, cached) and run under
# qemu-user-static.
#
#   Debian bookworm: python3.11  cp311: the whole test suite (tests/, with node and
#                                npm's lz-string in the root) and smoke.py
#   Debian trixie:   python3.13  cp313: smoke.py
#   Debian sid:      python3.14  cp314: smoke.py
#
# smoke.py runs every kernel against its pure-Python version and every lz-string
# golden case (kernels/lzstring/testdata). cp310 and cp312 have no Debian arm64
# interpreter (Debian ships one CPython per release) and are only built and
# checked (check_wheels.py: ELF machine, glibc versions, NEEDED). Under qemu the
# check is correctness, never speed.
#
# Environment: WHEELS_DIR (as for build.sh; the wheels are read from
# $WHEELS_DIR/wheelhouse), GOKERNELS_ROOTS (where the roots are cached, default
# ${XDG_CACHE_HOME:-$HOME/.cache}/gokernels), AARCH64_SUITES (default "bookworm
# trixie sid"), AARCH64_FULL (1: the whole suite on bookworm, the default; 0: smoke
# only). Needs root (chroot, mount, binfmt_misc), debootstrap and qemu-user-static
# (apt-get installs them when missing), and PyPI from inside the bookworm root for
# the test requirements (downloaded on this machine with $WHEELS_TOOLS_PY, default python3).
set -euo pipefail

main() {
    local root_dir
    root_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
    WORK=${WHEELS_DIR:-${TMPDIR:-/tmp}/gokernels-wheels}
    local cache=${GOKERNELS_ROOTS:-${XDG_CACHE_HOME:-$HOME/.cache}/gokernels}
    local suites=${AARCH64_SUITES:-bookworm trixie sid} full=${AARCH64_FULL:-1}
    START=$SECONDS
    ls "$WORK"/wheelhouse/*aarch64.whl >/dev/null 2>&1 || die "no aarch64 wheels in $WORK/wheelhouse: run make wheels"
    mkdir -p "$WORK/logs"
    SUMMARY=()
    local failed=0 suite
    for suite in $suites; do
        test_suite "$suite" "$cache" "$root_dir" "$full" || failed=1
    done
    step "done in $((SECONDS - START))s"
    local line
    for line in "${SUMMARY[@]}"; do echo "  $line"; done
    [ $failed = 0 ] || die "aarch64 tests failed (logs in $WORK/logs)"
}

step() { printf '\n=== [%4ds] %s\n' $((SECONDS - START)) "$*"; }
die() { echo "make wheels-aarch64-test: $*" >&2; exit 1; }

MOUNTED=()
unmount_all() {
    local m
    for m in "${MOUNTED[@]}"; do umount -l "$m" 2>/dev/null || true; done
    MOUNTED=()
}
trap unmount_all EXIT

test_suite() { # suite, cache, source tree, full
    local suite=$1 cache=$2 src=$3 full=$4 root pkgs=(python3-venv) v tag whl log status=ok
    [ "$suite" = bookworm ] && [ "$full" = 1 ] && pkgs+=(nodejs)
    step "Debian $suite arm64 root (cached in $cache)"
    root=$(bash "$src/tools/wheels/debian-arm64-root.sh" "$suite" "$cache" "${pkgs[@]}") || die "no $suite root"
    v=$(chroot "$root" python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])')
    tag=${v/./}
    whl=$(ls "$WORK"/wheelhouse/gokernels-*-cp$tag-cp$tag-*aarch64.whl 2>/dev/null | head -n 1) ||
        true
    if [ -z "$whl" ]; then
        SUMMARY+=("$suite (Python $v): no cp$tag aarch64 wheel in $WORK/wheelhouse, skipped")
        return 0
    fi
    step "$suite: Python $v under qemu: install $(basename "$whl")"
    rm -rf "$root/gk" && mkdir -p "$root/gk/run" "$root/gk/testdata"
    cp "$whl" "$root/gk/"
    cp "$src/tools/wheels/smoke.py" "$root/gk/"
    cp "$src"/kernels/lzstring/testdata/*.jsonl "$root/gk/testdata/"
    local m
    for m in proc dev; do
        mountpoint -q "$root/$m" || { mount --bind "/$m" "$root/$m" && MOUNTED+=("$root/$m"); }
    done
    cp /etc/resolv.conf "$root/etc/resolv.conf"
    log=$WORK/logs/aarch64-$suite.log
    if ! chroot "$root" sh -c "python3 -m venv /gk/venv && /gk/venv/bin/python -m pip install -q --no-index /gk/$(basename "$whl")" \
        >"$log" 2>&1; then
        tail -n 20 "$log"
        unmount_all
        SUMMARY+=("$suite (Python $v): FAILED to install $(basename "$whl")")
        return 1
    fi
    if chroot "$root" sh -c 'cd /gk/run && /gk/venv/bin/python /gk/smoke.py /gk/testdata' >>"$log" 2>&1; then
        sed -n '/^gokernels /,$p' "$log" | sed 's/^/  /'
    else
        tail -n 25 "$log"
        status=FAILED
    fi
    local result
    result="smoke: $(tail -n 1 "$log")"
    if [ "$suite" = bookworm ] && [ "$full" = 1 ]; then
        step "$suite: the whole test suite under qemu (slow)"
        # the suite and what it reads: tests/, the lz-string reference (node + npm package)
        mkdir -p "$root/gk/src/tools"
        cp -r "$src/tests" "$root/gk/src/"
        (cd "$src/tools/lzref" && { [ -d node_modules/lz-string ] || npm install --no-audit --no-fund --silent; })
        cp -r "$src/tools/lzref" "$root/gk/src/tools/"
        local suite_log=$WORK/logs/aarch64-$suite-suite.log
        # The test requirements that have aarch64 wheels and that the tests import; the
        # benchmark peers (numba, Cython, datasketches), matplotlib and lzstring (an sdist
        # only) are left out, and the tests that need them skip, saying so.
        # Downloaded here (aarch64 wheels for the root's Python), installed there offline: the
        # root has neither this machine's CA certificates nor its pip settings.
        local deps=(pytest pytest-timeout pytest-benchmark numpy hypothesis)
        rm -rf "$WORK/aarch64-deps" && mkdir -p "$WORK/aarch64-deps"
        "${WHEELS_TOOLS_PY:-python3}" -m pip download -q --only-binary=:all: --platform manylinux2014_aarch64 \
            --platform "manylinux_2_$(chroot "$root" ldd --version | head -n 1 | grep -oE '[0-9]+$')_aarch64" \
            --python-version "$v" --implementation cp -d "$WORK/aarch64-deps" "${deps[@]}" >"$suite_log" 2>&1 ||
            { tail -n 5 "$suite_log"; die "pip download of the test requirements for aarch64 failed"; }
        rm -rf "$root/gk/deps" && cp -r "$WORK/aarch64-deps" "$root/gk/deps"
        if chroot "$root" sh -c "/gk/venv/bin/python -m pip install -q --no-index --find-links /gk/deps ${deps[*]} &&
            cd /gk/run && /gk/venv/bin/python -m pytest -q -p no:cacheprovider /gk/src/tests" >>"$suite_log" 2>&1; then
            echo "  tests: $(tail -n 1 "$suite_log")"
        else
            grep -E '^(FAILED|ERROR)' "$suite_log" | head -n 20 | sed 's/^/    /'
            tail -n 3 "$suite_log" | sed 's/^/    /'
            status=FAILED
        fi
        result="$result; tests: $(tail -n 1 "$suite_log" | tr -d '=' | xargs)"
    fi
    unmount_all
    SUMMARY+=("$suite (Python $v) $(basename "$whl"): $status  $result")
    [ $status = ok ]
}

main "$@"
