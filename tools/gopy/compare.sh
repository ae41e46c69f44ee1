#!/usr/bin/env bash
# Why not gopy, measured: builds a gopy binding of kernels/doubles and times it beside gokernels.
#
#   make gopy-compare            (or: tools/gopy/compare.sh, with PYTHON=... GO=... in the environment)
#
# Everything it makes (a venv with pybindgen and gokernels, the gopy and goimports binaries, the
# generated binding) goes in one temporary directory, removed at exit (KEEP=1 keeps it). It needs
# network access to PyPI and the Go module proxy, a Go toolchain, and Python's headers; Linux only
# (/proc/self/task, ldd, fork).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PYTHON=${PYTHON:-python3}
GO=${GO:-go}
GOPY_VERSION=${GOPY_VERSION:-v0.4.10}      # the newest gopy tag
# gopy v0.4.10 pins golang.org/x/tools v0.16.0, which does not compile with Go >= 1.23
# ("invalid array length -delta * delta" in internal/tokeninternal); a newer x/tools does.
# That is also why this builds gopy from a small module instead of `go install gopy@version`.
XTOOLS_VERSION=${XTOOLS_VERSION:-v0.38.0}
PYBINDGEN_VERSION=${PYBINDGEN_VERSION:-0.22.1}
export GOTOOLCHAIN=local

WORK=$(mktemp -d "${TMPDIR:-/tmp}/gopy-compare.XXXXXX")
if [ "${KEEP:-0}" = 1 ]; then
  echo "keeping $WORK"
else
  trap 'rm -rf "$WORK"' EXIT
fi
start=$SECONDS
step() { printf '\n[%3ds] %s\n' $((SECONDS - start)) "$*"; }

step "venv with pybindgen $PYBINDGEN_VERSION (PyPI) and gokernels (make install)"
"$PYTHON" -m venv "$WORK/venv"
VPY=$WORK/venv/bin/python
"$VPY" -m pip install -q -U pip
"$VPY" -m pip install -q "pybindgen==$PYBINDGEN_VERSION" "setuptools>=77" wheel  # setuptools: gokernels builds with --no-build-isolation
make -s -C "$ROOT" install PYTHON="$VPY" GO="$GO" >"$WORK/install.log" 2>&1 || { cat "$WORK/install.log"; exit 1; }

step "gopy $GOPY_VERSION and goimports (Go module proxy, x/tools $XTOOLS_VERSION)"
mkdir -p "$WORK/tools" "$WORK/bin"
cat >"$WORK/tools/go.mod" <<EOF
module gopytools

go 1.24.0

require (
	github.com/go-python/gopy $GOPY_VERSION
	golang.org/x/tools $XTOOLS_VERSION
)
EOF
cat >"$WORK/tools/tools.go" <<'EOF'
//go:build tools

package tools

import (
	_ "github.com/go-python/gopy"
	_ "golang.org/x/tools/cmd/goimports"
)
EOF
(cd "$WORK/tools" && "$GO" mod tidy && "$GO" build -o "$WORK/bin/" github.com/go-python/gopy golang.org/x/tools/cmd/goimports)

step "a thin Go package over kernels/doubles, bound by gopy build"
mkdir -p "$WORK/wrap"
cat >"$WORK/wrap/go.mod" <<EOF
module gkwrap

go 1.26.0

require (
	github.com/go-python/gopy $GOPY_VERSION
	github.com/gokernels/gokernels v0.0.0
)

replace github.com/gokernels/gokernels => $ROOT
EOF
cat >"$WORK/wrap/tools.go" <<'EOF'
//go:build tools

package gkwrap

// The generated binding imports gopy's handle package.
import _ "github.com/go-python/gopy/gopyh"
EOF
cat >"$WORK/wrap/wrap.go" <<'EOF'
// Package gkwrap exposes kernels/doubles to gopy.
package gkwrap

import (
	"unsafe"

	"github.com/gokernels/gokernels/kernels/doubles"
)

// CountDoubles counts the positions i with s[i] == s[i+1] in the string's bytes.
// It reads the Go string in place, so every copy measured is gopy's own.
func CountDoubles(s string) int {
	return doubles.Count(unsafe.Slice(unsafe.StringData(s), len(s)))
}

// CountDoublesBytes is CountDoubles over a []byte.
func CountDoublesBytes(b []byte) int { return doubles.Count(b) }

// HashLen stands for a kernel over arbitrary Python objects (CVM hashes them):
// gopy has no Go type that carries a Python object, so see what it makes of any.
func HashLen(x any) int { return 0 }
EOF
(cd "$WORK/wrap" && "$GO" mod tidy)
# gopy names the Python package after the output directory: import gopybind.gkwrap.
(cd "$WORK/wrap" && PATH="$WORK/bin:$PATH" "$WORK/bin/gopy" build -output=gopybind -vm="$VPY" .) \
  >"$WORK/gopy-build.log" 2>&1 || { cat "$WORK/gopy-build.log"; exit 1; }
grep -i 'unsupported\|skip\|warn' "$WORK/gopy-build.log" || true

step "compare (one Python process for the timings, fresh subprocesses for import, fork, bad input)"
"$VPY" "$ROOT/tools/gopy/compare.py" --gopy-dir "$WORK/wrap"

step "done"
