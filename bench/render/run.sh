#!/usr/bin/env bash
# Renders a built-in routine (default lower-back, standard level) to a 16-bit
# stereo WAV with the mixer, RUNS times, and prints the median wall time and
# times-realtime, beside reference tools writing a WAV of the same length in
# the same run:
#   - ffmpeg: a sine from its lavfi source, encoded to 16-bit stereo WAV;
#   - sox: a synthesized sine, written as 16-bit stereo WAV.
# The references do far less work than the mixer (one sine, no clips, cues,
# limiter or dither): they are a floor for making and writing a file of this
# size on this machine, not the same job. The mixer uses the stand-in voice of
# mixer/mixertest (speech-like noise; a real voice decodes cached clips).
#
#   bench/render/run.sh                      # 5 runs
#   RUNS=3 LEVEL=full MUSIC=bed.mp3 bench/render/run.sh
# The loudness passes are export's: the export line below includes them.
set -euo pipefail
cd "$(dirname "$0")/../.."

RUNS=${RUNS:-5}
LEVEL=${LEVEL:-standard}
ROUTINE=${ROUTINE:-lower-back}
MUSIC=${MUSIC:-}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

go build -o "$tmp/render" ./bench/render
go build -o "$tmp/routinecast" .

. bench/lib.sh

args=(-routine "$ROUTINE" -level "$LEVEL" -o "$tmp/mix.wav")
[ -n "$MUSIC" ] && args+=(-music "$MUSIC")

# One untimed run to learn the length (and warm the page cache).
"$tmp/render" "${args[@]}" >"$tmp/first.log" 2>&1 || { cat "$tmp/first.log"; exit 1; }
audio_s=$(sed -n 's/.*audio_s=\([0-9.]*\).*/\1/p' "$tmp/first.log")

# time_runs NAME CMD...: runs CMD RUNS times, prints NAME, median seconds, x realtime.
time_runs() {
	local name=$1
	shift
	for _ in $(seq "$RUNS"); do
		local t0 t1
		t0=$(now)
		"$@" >/dev/null 2>&1
		t1=$(now)
		awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.4f\n", b-a}'
	done | median | awk -v n="$name" -v d="${DUR:-$audio_s}" '{printf "%-44s median %7.3f s   %7.1f x realtime\n", n, $1, d/$1}'
}

echo "routine $ROUTINE ($LEVEL): $audio_s s of audio at 44100 Hz stereo; $RUNS runs each; $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"
what="mixer: compile + render + WAV"
time_runs "$what" "$tmp/render" "${args[@]}"
# The whole user-facing job, with the embedded voice (its clips decoded and
# resampled), the loudness passes and the WAV, mono as export writes it by default.
if [ "$ROUTINE" = lower-back ] && [ -z "$MUSIC" ]; then
	export_s=$("$tmp/routinecast" show "$ROUTINE" --level "$LEVEL" --json | sed -n 's/.*"total_seconds": \([0-9.]*\).*/\1/p')
	DUR=$export_s time_runs "routinecast export, ${export_s} s (embedded voice)" "$tmp/routinecast" export "$ROUTINE" --level "$LEVEL" -o "$tmp/export.wav"
fi
if command -v ffmpeg >/dev/null; then
	time_runs "reference: ffmpeg lavfi sine -> WAV" ffmpeg -nostdin -y -v error -f lavfi \
		-i "sine=frequency=440:sample_rate=44100:duration=$audio_s" -ac 2 -c:a pcm_s16le "$tmp/ffmpeg.wav"
else
	echo "reference: ffmpeg not installed (apt-get install ffmpeg)"
fi
if command -v sox >/dev/null; then
	time_runs "reference: sox synth sine -> WAV" sox -n -r 44100 -c 2 -b 16 "$tmp/sox.wav" synth "$audio_s" sine 440
else
	echo "reference: sox not installed (apt-get install sox)"
fi
