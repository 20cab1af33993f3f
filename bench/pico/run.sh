#!/usr/bin/env bash
# The built-in Pico engine's speed beside Pico's own command-line tool
# (pico2wave, Debian's libttspico-utils), in the same run, on the lines of
# the built-in Spanish routine at every level:
#   routinecast voice render lower-back-es --engine pico   (into an empty
#                                                          cache, every core)
#   pico2wave -l es-ES -w x.wav LINE                      (the same lines, as
#                                                          many at a time as
#                                                          there are cores)
# RUNS alternating runs of each; medians of wall time and the ratio.
#
#   bench/pico/run.sh
#   RUNS=3 bench/pico/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

RUNS=${RUNS:-3}
command -v pico2wave >/dev/null || { echo "pico bench: pico2wave is missing (apt-get install libttspico-utils, from non-free)"; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/routinecast" .
rc="$tmp/routinecast"
. bench/lib.sh
home_in "$tmp"
script_lines "$rc" lower-back-es "$tmp/lines.txt"
n=$(wc -l <"$tmp/lines.txt")
echo "$n lines of lower-back-es, es-ES; $RUNS alternating runs; $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"

: >"$tmp/ours"; : >"$tmp/pico2wave"
for i in $(seq "$RUNS"); do
	rm -rf "$XDG_CACHE_HOME/routinecast/voices"
	wall "$tmp/ours" "$rc" voice render lower-back-es --engine pico
	mkdir -p "$tmp/p"
	wall "$tmp/pico2wave" xargs -d '\n' -P "$(nproc)" -I{} sh -c 'pico2wave -l es-ES -w "$(mktemp -p "$2" XXXXXX.wav)" "$1"' _ {} "$tmp/p" <"$tmp/lines.txt"
	rm -rf "$tmp/p"
done
ours=$(median <"$tmp/ours")
ref=$(median <"$tmp/pico2wave")
awk -v o="$ours" -v r="$ref" 'BEGIN {
	printf "routinecast voice render (built-in Pico)  median %5.2f s\n", o
	printf "pico2wave, same lines                     median %5.2f s\n", r
	printf "ratio built-in / pico2wave: %.2f\n", o/r
}'
