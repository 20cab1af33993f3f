#!/usr/bin/env bash
# The export's speed and memory beside LAME's, in the same run:
#   routinecast export ROUTINE -o x.mp3       (64 kbps mono MP3: measuring pass,
#                                              render, encode, on every core)
#   lame -b 64 -m m x.wav x.mp3              (encoding alone, of the WAV export
#                                              of the same track)
# RUNS alternating runs of each after one warm-up (which also fills the
# decoded-clip cache); medians of wall time, the ratio, and the largest
# peak RSS (/usr/bin/time). Then a cold run (no decoded-clip cache), the
# GOMAXPROCS=1 and 2 exports compared byte for byte, and the time an
# up-to-date export takes to say so.
#
#   bench/export/run.sh                 # lower-back, standard, 5 runs
#   RUNS=3 LEVEL=full bench/export/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

RUNS=${RUNS:-5}
LEVEL=${LEVEL:-standard}
ROUTINE=${ROUTINE:-lower-back}
for tool in lame /usr/bin/time; do
	command -v "$tool" >/dev/null || { echo "export bench: $tool is missing (apt-get install lame time)"; exit 1; }
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/routinecast" .
rc="$tmp/routinecast"
export ROUTINECAST_PCM_CACHE="$tmp/pcm"

. bench/lib.sh
# timed OUT CMD...: runs CMD, appends "wall_s rss_kb" to OUT.
timed() {
	local out=$1
	shift
	/usr/bin/time -f "%e %M" -o "$tmp/t" "$@" >/dev/null 2>"$tmp/err" || { cat "$tmp/err"; exit 1; }
	cat "$tmp/t" >>"$out"
}

"$rc" export "$ROUTINE" --level "$LEVEL" -o "$tmp/x.wav" 2>/dev/null
audio_s=$("$rc" show "$ROUTINE" --level "$LEVEL" --json | sed -n 's/.*"total_seconds": \([0-9.]*\).*/\1/p')
echo "$ROUTINE ($LEVEL): $audio_s s of audio, 44100 Hz mono 64 kbps; $RUNS alternating runs; $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"

"$rc" export "$ROUTINE" --level "$LEVEL" --force -o "$tmp/x.mp3" 2>/dev/null # warm-up
lame --quiet -b 64 -m m "$tmp/x.wav" "$tmp/lame.mp3"
: >"$tmp/ours" ; : >"$tmp/lame"
for _ in $(seq "$RUNS"); do
	timed "$tmp/ours" "$rc" export "$ROUTINE" --level "$LEVEL" --force -o "$tmp/x.mp3"
	timed "$tmp/lame" lame --quiet -b 64 -m m "$tmp/x.wav" "$tmp/lame.mp3"
done
ours=$(cut -d' ' -f1 "$tmp/ours" | median)
lame=$(cut -d' ' -f1 "$tmp/lame" | median)
ours_rss=$(cut -d' ' -f2 "$tmp/ours" | sort -n | tail -1)
lame_rss=$(cut -d' ' -f2 "$tmp/lame" | sort -n | tail -1)
awk -v o="$ours" -v l="$lame" -v a="$audio_s" -v orss="$ours_rss" -v lrss="$lame_rss" 'BEGIN {
	printf "routinecast export -o x.mp3        median %6.2f s  %6.0fx realtime  peak RSS %5.1f MB\n", o, a/o, orss/1024
	printf "lame -b 64 -m m x.wav (encode only) median %6.2f s  %6.0fx realtime  peak RSS %5.1f MB\n", l, a/l, lrss/1024
	printf "ratio export / lame: %.3f\n", o/l
}'

rm -rf "$tmp/pcm"
: >"$tmp/cold"
timed "$tmp/cold" "$rc" export "$ROUTINE" --level "$LEVEL" --force -o "$tmp/x.mp3"
awk '{printf "cold (clips decoded, no cache):       %6.2f s  peak RSS %5.1f MB\n", $1, $2/1024}' "$tmp/cold"

GOMAXPROCS=1 "$rc" export "$ROUTINE" --level "$LEVEL" --force -o "$tmp/p1.mp3" 2>/dev/null
GOMAXPROCS=2 "$rc" export "$ROUTINE" --level "$LEVEL" --force -o "$tmp/p2.mp3" 2>/dev/null
if cmp -s "$tmp/p1.mp3" "$tmp/p2.mp3"; then echo "GOMAXPROCS=1 and 2: byte-identical ($(stat -c %s "$tmp/p1.mp3") bytes)"; else echo "GOMAXPROCS=1 and 2 DIFFER"; exit 1; fi

: >"$tmp/up"
for _ in $(seq "$RUNS"); do timed "$tmp/up" "$rc" export "$ROUTINE" --level "$LEVEL" -o "$tmp/p2.mp3"; done
grep -q "up to date" "$tmp/err" || { echo "the repeat export did not say it was up to date:"; cat "$tmp/err"; exit 1; }
echo "up-to-date export: median $(cut -d' ' -f1 "$tmp/up" | median) s"
