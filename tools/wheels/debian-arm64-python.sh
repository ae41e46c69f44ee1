#!/usr/bin/env bash
# A Debian arm64 root holding CPython interpreters, made by extracting Debian's
# arm64 packages (no debootstrap, no second stage under qemu), for chroot under
# qemu-user (binfmt_misc):
#
#     debian-arm64-python.sh SUITE CACHE_DIR PACKAGE...
#         e.g. debian-arm64-python.sh unstable ~/.cache/gokernels python3.13-venv python3.14-venv
#
# prints the root's path, CACHE_DIR/debian-SUITE-arm64-x, after building it once.
# apt resolves the packages' dependency closure for arm64 against an empty dpkg
# status (a private apt state, tools/python/apt-private.sh), downloads it
# (checked against the archive's keyring) and unpacks every .deb with
# dpkg-deb -x into the root; no maintainer script runs, and none is needed to run
# python3.X, create a venv (ensurepip from python3-pip-whl) and pip install a
# wheel. A first build takes a minute or two (about 40 MB of .debs); a root
# whose build did not finish is rebuilt, and one for a different PACKAGE list
# too. Why not debootstrap: its second stage runs every package's scripts under
# qemu, which took over an hour here for one suite.
#
# Needs root for binfmt_misc (qemu-aarch64 is registered, flag F, when the kernel
# has none; qemu-user-static is apt-get installed when missing), apt-get and
# dpkg-deb.
set -euo pipefail

main() {
    local suite=$1 cache=$2
    shift 2
    local want=("$@") here root stamp
    here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
    root=$cache/debian-$suite-arm64-x
    stamp="$suite ${want[*]}"
    log() { echo "debian-arm64-python: $*" >&2; }

    if [ ! -e /usr/libexec/qemu-binfmt/aarch64-binfmt-P ] && ! command -v qemu-aarch64-static >/dev/null; then
        log "apt-get install qemu-user-static"
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq qemu-user-static >/dev/null
    fi
    [ -e /proc/sys/fs/binfmt_misc/register ] || mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
    if [ ! -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ]; then
        log "registering qemu-aarch64 with binfmt_misc (/usr/lib/binfmt.d/qemu-aarch64.conf)"
        cat /usr/lib/binfmt.d/qemu-aarch64.conf >/proc/sys/fs/binfmt_misc/register
    fi

    if [ -f "$root/.gokernels-root-ok" ] && [ "$(cat "$root/.gokernels-root-ok")" = "$stamp" ]; then
        echo "$root"
        return 0
    fi

    local start=$SECONDS
    APT_DIR=$cache/arm64-apt/$suite
    # shellcheck source=tools/python/apt-private.sh
    . "$here/../python/apt-private.sh"
    apt_private_init "$suite" deb
    APT_OPTS+=(-o APT::Architecture=arm64 -o "APT::Architectures::=arm64")
    apt_private_update
    local pkgs
    # dash: a /bin/sh for `chroot ROOT sh -c`; the rest is what apt-get install would unpack
    mapfile -t pkgs < <(apt_p apt-get -s -q install dash "${want[@]}" | awk '$1 == "Inst" {print $2}')
    [ ${#pkgs[@]} -gt 0 ] || { log "could not resolve ${want[*]} in Debian $suite arm64"; exit 1; }
    log "${#pkgs[@]} arm64 packages from Debian $suite: ${pkgs[*]}"
    mkdir -p "$APT_DIR/debs"
    (cd "$APT_DIR/debs" && apt_p apt-get -q download "${pkgs[@]/%/:arm64}" >&2)

    local new=$root.new p deb
    rm -rf "$new" && mkdir -p "$new/usr/bin" "$new/usr/lib" "$new/usr/sbin"
    # merged /usr, as every Debian since 12 has it (the loader is /lib/ld-linux-aarch64.so.1)
    ln -s usr/bin "$new/bin" && ln -s usr/lib "$new/lib" && ln -s usr/sbin "$new/sbin"
    for p in "${pkgs[@]}"; do
        deb=$(ls -t "$APT_DIR"/debs/"${p}"_*_{arm64,all}.deb 2>/dev/null | head -n 1 || true)
        [ -n "$deb" ] || { log "no .deb downloaded for $p"; exit 1; }
        dpkg-deb -x "$deb" "$new"
    done
    mkdir -p "$new/tmp" "$new/proc" "$new/dev" "$new/etc" && chmod 1777 "$new/tmp"
    ln -sf dash "$new/usr/bin/sh"
    rm -rf "$root" && mv "$new" "$root"
    local py
    for py in "$root"/usr/bin/python3.[0-9]*; do
        [[ $py =~ python3\.[0-9]+$ ]] || continue
        chroot "$root" "/usr/bin/${py##*/}" -c 'import platform; print("  %s %s on %s" % (platform.python_implementation(), platform.python_version(), platform.machine()))' >&2
    done
    echo "$stamp" >"$root/.gokernels-root-ok"
    log "$root ready in $((SECONDS - start)) s"
    echo "$root"
}

main "$@"
