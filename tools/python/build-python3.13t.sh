#!/usr/bin/env bash
# Free-threaded CPython 3.13 from Debian's source package: see build-freethreaded.sh.
exec bash "$(dirname "$0")/build-freethreaded.sh" 3.13 "$@"
