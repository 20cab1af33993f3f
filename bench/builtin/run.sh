#!/usr/bin/env bash
# The built-in speech engine's speed beside flite's own command-line tool, in
# the same run, on the lines of the template `routinecast new` prints:
#   routinecast voice render new.yaml   (every level's lines, the built-in
#                                        engine's rms voice, into an empty
#                                        cache; on every core)
#   flite -voice rms -t LINE -o x.wav   (the same lines, as many at a time as
#                                        there are cores, with xargs -P)
# RUNS alternating runs of each; medians of wall time and the ratio. The
# first run of ours starts with no compiled module either (an empty user
# cache), the others with the compiled module from the run before, as a user's
# second routine would. Then a second render into the same cache, which must
# render nothing.
#
#   bench/builtin/run.sh
#   RUNS=3 bench/builtin/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

RUNS=${RUNS:-5}
command -v flite >/dev/null || { echo "builtin bench: flite is missing (apt-get install flite)"; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/routinecast" .
rc="$tmp/routinecast"
. bench/lib.sh
home_in "$tmp"
"$rc" new >"$tmp/new.yaml"
script_lines "$rc" "$tmp/new.yaml" "$tmp/lines.txt"
n=$(wc -l <"$tmp/lines.txt")
echo "$n lines of 'routinecast new', rms voice; $RUNS alternating runs; $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"

: >"$tmp/ours"; : >"$tmp/flite"
for i in $(seq "$RUNS"); do
	rm -rf "$XDG_CACHE_HOME/routinecast/voices"
	[ "$i" = 1 ] && rm -rf "$XDG_CACHE_HOME"
	wall "$tmp/ours" "$rc" voice render "$tmp/new.yaml"
	[ "$i" = 1 ] && cold=$(tail -1 "$tmp/ours")
	mkdir -p "$tmp/fl"
	wall "$tmp/flite" xargs -d '\n' -P "$(nproc)" -I{} sh -c 'flite -voice rms -t "$1" -o "$(mktemp -p "$2" XXXXXX.wav)"' _ {} "$tmp/fl" <"$tmp/lines.txt"
done
clips=$(ls "$XDG_CACHE_HOME/routinecast/voices/builtin-rms" | grep -c '\.wav$' || true)
t0=$(now)
again=$("$rc" voice render "$tmp/new.yaml" 2>&1 | tail -1)
t1=$(now)
ours=$(median <"$tmp/ours")
flite=$(median <"$tmp/flite")
awk -v o="$ours" -v f="$flite" -v c="$cold" -v n="$n" 'BEGIN {
	printf "routinecast voice render (built-in)  median %5.2f s  (first run, nothing compiled yet: %.2f s)\n", o, c
	printf "flite command line, same lines       median %5.2f s\n", f
	printf "ratio built-in / flite: %.2f\n", o/f
}'
echo "clips in the cache: $clips; a second render: '$again' in $(echo "$t1 - $t0" | bc) s"
