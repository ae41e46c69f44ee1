#!/usr/bin/env bash
# A Debian arm64 root with python3 and python3-venv, run under qemu-user-static:
#
#     debian-arm64-root.sh SUITE CACHE_DIR [PACKAGE...]   (SUITE: bookworm, trixie or sid)
#
# prints the root's path, CACHE_DIR/debian-SUITE-arm64, after building it once
# (debootstrap --foreign from Debian's packages, then --second-stage under qemu:
# about 10 minutes on 2 busy cores) and caching it; a root whose build did not
# finish is rebuilt. PACKAGEs missing from a cached root are apt-get installed in
# it (under qemu). Needs root, debootstrap and qemu-user-static (installed
# with apt-get when missing), and binfmt_misc: qemu-aarch64 is registered
# (flag F, so chroots need no copy of qemu) when the kernel has no handler yet.
set -euo pipefail

# (all in main: bash parses the whole file before running, so editing it mid-run is safe)
main() {
local suite=$1 cache=$2
shift 2
extra=("$@")
root=$cache/debian-$suite-arm64
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
log() { echo "debian-arm64-root: $*" >&2; }

need=()
command -v debootstrap >/dev/null || need+=(debootstrap)
[ -e /usr/libexec/qemu-binfmt/aarch64-binfmt-P ] || need+=(qemu-user-static)
if [ ${#need[@]} -gt 0 ]; then
    log "apt-get install ${need[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

if [ ! -e /proc/sys/fs/binfmt_misc/register ]; then
    mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
fi
if [ ! -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ]; then
    log "registering qemu-aarch64 with binfmt_misc (/usr/lib/binfmt.d/qemu-aarch64.conf)"
    cat /usr/lib/binfmt.d/qemu-aarch64.conf >/proc/sys/fs/binfmt_misc/register
fi

install_extra() {
    local missing=() p
    for p in "${extra[@]}"; do
        chroot "$root" dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    log "apt-get install ${missing[*]} in $root (under qemu)"
    cp /etc/resolv.conf "$root/etc/resolv.conf"
    { chroot "$root" apt-get update -qq && chroot "$root" env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >>"$root.log" 2>&1 ||
        { tail -n 20 "$root.log" >&2; log "apt-get install in the root failed"; exit 1; }
    rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*_Packages
}

if [ -e "$root/.gokernels-root-ok" ]; then
    install_extra
    echo "$root"
    exit 0
fi

rm -rf "$root" && mkdir -p "$cache"
log "debootstrap $suite arm64 into $root (log: $root.log)"
# minbase + python3: the interpreter and its venv module (pip comes from ensurepip)
pkgs=python3,python3-venv
debootstrap --foreign --arch=arm64 --variant=minbase --include=$pkgs "$suite" "$root" "$mirror" >"$root.log" 2>&1 ||
    { tail -n 20 "$root.log" >&2; log "debootstrap (first stage) failed"; exit 1; }
chroot "$root" /debootstrap/debootstrap --second-stage >>"$root.log" 2>&1 ||
    { tail -n 20 "$root.log" >&2; log "debootstrap --second-stage under qemu failed"; exit 1; }
rm -rf "$root"/var/cache/apt/archives/*.deb
chroot "$root" python3 -c 'import platform, sys; print("  %s: Python %s on %s" % (sys.argv[1], platform.python_version(), platform.machine()))' "$suite" >&2
touch "$root/.gokernels-root-ok"
install_extra
echo "$root"
}

main "$@"
