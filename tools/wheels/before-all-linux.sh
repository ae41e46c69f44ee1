#!/usr/bin/env bash
# cibuildwheel's before-all in the manylinux containers (see [tool.cibuildwheel]
# in pyproject.toml): installs Go (to build) and Node.js (for the lz-string
# reference tests that cibuildwheel's test step runs) from their official
# tarballs, checked against their published SHA-256 sums.
#
# GO_VERSION and NODE_VERSION come from the workflow (environment-pass); the
# defaults below are used when they are unset.
set -euxo pipefail

GO_VERSION=${GO_VERSION:-1.26.8}
NODE_VERSION=${NODE_VERSION:-22.23.3}

case "$(uname -m)" in
x86_64) goarch=amd64 nodearch=x64 ;;
aarch64) goarch=arm64 nodearch=arm64 ;;
*) echo "before-all-linux.sh: unsupported machine $(uname -m)" >&2 && exit 1 ;;
esac

tmp=$(mktemp -d)
go_tgz=go${GO_VERSION}.linux-${goarch}.tar.gz
curl -fsSL -o "$tmp/$go_tgz" "https://dl.google.com/go/$go_tgz"
echo "$(curl -fsSL "https://dl.google.com/go/$go_tgz.sha256")  $tmp/$go_tgz" | sha256sum -c -
rm -rf /usr/local/go && tar -C /usr/local -xzf "$tmp/$go_tgz"
/usr/local/go/bin/go version

node_dir=node-v${NODE_VERSION}-linux-${nodearch}
curl -fsSL -o "$tmp/$node_dir.tar.gz" "https://nodejs.org/dist/v${NODE_VERSION}/$node_dir.tar.gz"
curl -fsSL "https://nodejs.org/dist/v${NODE_VERSION}/SHASUMS256.txt" | grep " $node_dir.tar.gz\$" |
    sed "s|$node_dir.tar.gz|$tmp/$node_dir.tar.gz|" | sha256sum -c -
rm -rf /usr/local/node && mkdir -p /usr/local/node && tar -C /usr/local/node --strip-components=1 -xzf "$tmp/$node_dir.tar.gz"
/usr/local/node/bin/node --version

rm -rf "$tmp"

# zig, the C compiler and linker (see [tool.cibuildwheel.linux]), pinned with the other
# wheel tools in tools/wheels/requirements.txt
zig_pin=$(grep -E '^ziglang==' "$(dirname "$0")/requirements.txt" | cut -d' ' -f1)
/opt/python/cp312-cp312/bin/python -m venv /opt/zig
/opt/zig/bin/python -m pip install -q "$zig_pin"
/opt/zig/bin/python -m ziglang version
