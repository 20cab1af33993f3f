#!/usr/bin/env bash
# The Windows build of routinecast, run under Wine, beside the Linux build on
# the same machine: `voice render` of the 40 lines of `routinecast new` with
# the built-in engine into an empty voice cache, RUNS alternating runs of
# each, medians of wall time and the ratio; then the Windows build's clips
# are compared with the Linux build's, byte for byte.
#
# Needs wine (Debian: wine64) and a MinGW compiler (gcc-mingw-w64-x86-64) for
# the one DLL Wine 8 lacks (bcryptprimitives.c beside this script).
#
#   bench/wine/run.sh
#   RUNS=5 bench/wine/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

RUNS=${RUNS:-3}
for tool in wine x86_64-w64-mingw32-gcc; do
	command -v "$tool" >/dev/null || { echo "wine bench: $tool is missing (apt-get install wine64 gcc-mingw-w64-x86-64)"; exit 1; }
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export WINEPREFIX="$tmp/prefix" WINEDEBUG=-all
wineboot --init >/dev/null 2>&1 || true
x86_64-w64-mingw32-gcc -shared -O2 -o "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll" bench/wine/bcryptprimitives.c -ladvapi32
CGO_ENABLED=0 GOOS=windows GOARCH=amd64 go build -o "$tmp/routinecast.exe" .
go build -o "$tmp/routinecast" .
. bench/lib.sh
home_in "$tmp"
"$tmp/routinecast" new >"$tmp/new.yaml"
wincache="$WINEPREFIX/drive_c/users/$(id -un)/AppData/Local/routinecast/voices"
echo "voice render of 'routinecast new' (built-in engine); $RUNS alternating runs; $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"

: >"$tmp/win"; : >"$tmp/linux"
for i in $(seq "$RUNS"); do
	rm -rf "$wincache"
	wall "$tmp/win" wine "$tmp/routinecast.exe" voice render "$tmp/new.yaml"
	rm -rf "$XDG_CACHE_HOME/routinecast/voices"
	wall "$tmp/linux" "$tmp/routinecast" voice render "$tmp/new.yaml"
done
win=$(median <"$tmp/win")
linux=$(median <"$tmp/linux")
awk -v w="$win" -v l="$linux" 'BEGIN {
	printf "windows build under wine  median %5.2f s\n", w
	printf "linux build               median %5.2f s\n", l
	printf "ratio wine / linux: %.2f\n", w/l
}'
sum() { (cd "$1" && cat $(ls | grep '\.wav$' | sort) | sha256sum | cut -c1-16); }
a=$(sum "$wincache/builtin-rms"); b=$(sum "$XDG_CACHE_HOME/routinecast/voices/builtin-rms")
if [ "$a" = "$b" ]; then echo "clips: the same bytes on both ($a)"; else echo "clips differ: windows $a, linux $b"; exit 1; fi
