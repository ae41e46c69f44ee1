#!/usr/bin/env bash
# CPython for linux-arm64 from Maven Central, for the versions Debian has no arm64 build of
# (3.10, 3.12), put into an arm64 root made by debian-arm64-python.sh (its C library):
#
#     cpython-arm64-maven.sh ROOT 3.X CACHE_DIR     prints the interpreter's path inside ROOT
#
# The JavaCPP presets (org.bytedeco:cpython, classifier linux-arm64) ship a whole CPython
# build, made from python.org's sources: bin/python3.X, libpython3.X.so, the standard library
# and its extension modules, with RUNPATH $ORIGIN-relative, so the folder runs from anywhere.
# mvn fetches the jar (into ~/.m2 and CACHE_DIR/maven; about 25 MB, half a minute the first
# time); it is unzipped into ROOT/opt/cpython-3.X (a jar keeps no modes: bin/ is made
# executable, and lib-dynload gets links to the bundled libffi its _ctypes needs).
set -euo pipefail

main() {
    local root=$1 v=$2 cache=$3 gav dest jar p
    case $v in
    3.10) gav=org.bytedeco:cpython:3.10.8-1.5.8 ;;
    3.12) gav=org.bytedeco:cpython:3.12.1-1.5.10 ;;
    *) echo "cpython-arm64-maven: no Maven build chosen for CPython $v" >&2 && exit 1 ;;
    esac
    dest=$root/opt/cpython-$v
    if [ -f "$dest/.gokernels-ok" ] && [ "$(cat "$dest/.gokernels-ok")" = "$gav" ]; then
        echo "/opt/cpython-$v/bin/python$v"
        return 0
    fi
    mkdir -p "$cache/maven"
    jar=$cache/maven/$(echo "$gav" | cut -d: -f2)-$(echo "$gav" | cut -d: -f3)-linux-arm64.jar
    if [ ! -s "$jar" ]; then
        command -v mvn >/dev/null || { echo "cpython-arm64-maven: mvn is not on PATH (apt-get install maven)" >&2 && exit 1; }
        mvn -q -B dependency:copy "-Dartifact=$gav:jar:linux-arm64" "-DoutputDirectory=$cache/maven" >&2
    fi
    local tmp=$dest.tmp
    rm -rf "$tmp" "$dest" && mkdir -p "$tmp"
    (cd "$tmp" && unzip -q "$jar" 'org/bytedeco/cpython/linux-arm64/*')
    mv "$tmp/org/bytedeco/cpython/linux-arm64" "$dest" && rm -rf "$tmp"
    chmod +x "$dest"/bin/*
    for p in "$dest"/lib*.so.*; do
        ln -sf "../../../${p##*/}" "$dest/lib/python$v/lib-dynload/${p##*/}"
    done
    chroot "$root" "/opt/cpython-$v/bin/python$v" -c 'import ctypes, venv, zlib, hashlib, platform, sys
assert sys.version_info[:2] == tuple(map(int, sys.argv[1].split("."))), sys.version
print("  CPython %s on %s (%s)" % (platform.python_version(), platform.machine(), sys.argv[2]))' "$v" "$gav" >&2
    echo "$gav" >"$dest/.gokernels-ok"
    echo "/opt/cpython-$v/bin/python$v"
}

main "$@"
