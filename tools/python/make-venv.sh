#!/usr/bin/env bash
# make-venv.sh BASE_PYTHON DIR: a venv in DIR made from BASE_PYTHON, with an up-to-date pip.
# An existing DIR made from the same interpreter is kept (its packages too); one made from another
# interpreter, or whose interpreter is gone, is made again.
set -euo pipefail
base=$1 dir=$2
want=$("$base" -c 'import sys; print(sys.executable)')
if [ -x "$dir/bin/python" ] &&
	[ "$("$dir/bin/python" -c 'import sys; print(sys._base_executable)' 2>/dev/null)" = "$want" ]; then
	exit 0
fi
echo "make-venv: $dir from $want" >&2
rm -rf "$dir"
"$base" -m venv "$dir"
"$dir/bin/python" -m pip install -q -U pip
