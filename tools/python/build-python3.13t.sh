#!/usr/bin/env bash
# Build a free-threaded CPython 3.13 (./configure --disable-gil) from Debian trixie's python3.13
# source package, into a cached prefix. No free-threaded interpreter can be downloaded here, and
# Debian ships none (neither 3.13t nor 3.14t, checked December 2026).
#
#   tools/python/build-python3.13t.sh      prints the interpreter's path (last line of stdout)
#
# Idempotent: a prefix whose interpreter runs with the GIL disabled is reused as it is.
# GOKERNELS_PY313T_DIR  the prefix (default $HOME/.cache/gokernels/python3.13t); the source and
#                       the private apt state live beside it, in $GOKERNELS_PY313T_DIR.src.
# JOBS                  parallel make jobs (default: the number of cores); the build runs under
#                       nice, about 10 minutes on 2 idle cores (no PGO/LTO: the tests need a
#                       working free-threaded interpreter, not a fast one).
# The source is the upstream tarball inside Debian's source package (apt checks it against the
# signed Sources index); Debian's patches are not applied: they adapt the layout to /usr (for
# example dist-packages), which a private prefix does not want.
# Build dependencies are Debian's usual -dev packages; missing ones are installed when root.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
PREFIX=${GOKERNELS_PY313T_DIR:-$HOME/.cache/gokernels/python3.13t}
WORK=$PREFIX.src
PY=$PREFIX/bin/python3.13t
SUITE=trixie

log() { echo "build-python3.13t: $*" >&2; }

if [ -x "$PY" ] && "$PY" -c 'import sys, sysconfig; sys.exit(sysconfig.get_config_var("Py_GIL_DISABLED") != 1)' 2>/dev/null; then
	echo "$PY"
	exit 0
fi

start=$(date +%s)
need=()
for p in build-essential pkg-config xz-utils dpkg-dev libssl-dev libffi-dev zlib1g-dev libbz2-dev liblzma-dev \
	libsqlite3-dev libreadline-dev libncurses-dev uuid-dev libgdbm-dev libexpat1-dev; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q 'ok installed' || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
	if [ "$(id -u)" = 0 ]; then
		log "installing build dependencies: ${need[*]}"
		apt-get install -y -q --no-install-recommends "${need[@]}" >&2 ||
			{ apt-get update -q >&2 && apt-get install -y -q --no-install-recommends "${need[@]}" >&2; }
	else
		log "missing build dependencies (install them as root): ${need[*]}"
		exit 1
	fi
fi

APT_DIR=$WORK/apt
# shellcheck source=tools/python/apt-private.sh
. "$HERE/apt-private.sh"
apt_private_init "$SUITE" "deb-src"
apt_private_update

mkdir -p "$WORK/dl"
if ! ls "$WORK"/dl/python3.13_*.orig.tar.xz >/dev/null 2>&1; then
	log "downloading Debian $SUITE's python3.13 source package"
	(cd "$WORK/dl" && apt_p apt-get -q source --download-only python3.13 >&2)
fi
tarball=$(ls "$WORK"/dl/python3.13_*.orig.tar.xz | tail -1)
version=$(basename "$tarball" .orig.tar.xz)
version=${version#python3.13_}

src=$WORK/Python-$version
rm -rf "$src" "$WORK/build"
mkdir -p "$src" "$WORK/build"
tar -xJf "$tarball" -C "$src" --strip-components=1

log "configuring and building CPython $version --disable-gil (log: $WORK/build.log)"
cd "$WORK/build"
{
	nice -n 19 "$src/configure" --prefix="$PREFIX" --disable-gil --with-ensurepip=install \
		--without-static-libpython &&
		nice -n 19 make -j"${JOBS:-$(nproc)}" &&
		rm -rf "$PREFIX" &&
		nice -n 19 make install
} >"$WORK/build.log" 2>&1 || {
	tail -40 "$WORK/build.log" >&2
	log "build failed; full log in $WORK/build.log"
	exit 1
}

"$PY" -c 'import sys, sysconfig, ssl, sqlite3, lzma, bz2, zlib, ctypes, readline
assert sysconfig.get_config_var("Py_GIL_DISABLED") == 1, "not a free-threaded build"
assert not sys._is_gil_enabled()'
rm -rf "$src" "$WORK/build"
log "CPython $version (free-threaded) in $PREFIX, built in $(($(date +%s) - start)) s"
echo "$PY"
