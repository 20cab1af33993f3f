#!/usr/bin/env bash
# Benchmark routinecast's MP3 encoder (audio/mp3) against LAME 3.100 on the
# same inputs, side by side: median wall-clock and CPU time of several runs
# of each command-line encoder, the speed-up, and the SNR of each encoder's
# output (decoded by ffmpeg, which trims the delay and padding of both
# through their Info tags) against the input, after aligning the delay.
#
# Usage: bench/mp3/run.sh            (RUNS=5 by default; SECONDS_=60 of input)
# Needs: go, lame, ffmpeg, sox, and flite, espeak-ng or festival (Debian
# packages of the same names).
set -euo pipefail

RUNS=${RUNS:-5}
LEN=${SECONDS_:-60}
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"

need() {
	command -v "$1" >/dev/null 2>&1 || { echo "run.sh: $1 is missing: apt-get install $2" >&2; exit 1; }
}
need go golang
need lame lame
need ffmpeg ffmpeg
need sox sox

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
B="$work/mp3bench"
go build -o "$B" ./bench/mp3

# Speech with countdown beeps, as routinecast narrates a routine.
cat >"$work/speech.txt" <<'EOF'
Lie on your back with your knees bent and your feet flat on the floor.
Slowly pull one knee toward your chest and hold it there for twenty seconds.
Breathe in through your nose, and breathe out through your mouth.
Now lower the leg, switch sides, and repeat the stretch on the other side.
Keep your lower back pressed gently into the floor the whole time.
Roll onto your hands and knees for the cat and cow stretch, ten times.
EOF
for i in 1 2 3; do cat "$work/speech.txt"; done >"$work/speech3.txt"
if command -v flite >/dev/null 2>&1; then
	flite -voice kal16 -f "$work/speech3.txt" -o "$work/tts.wav"
elif command -v espeak-ng >/dev/null 2>&1; then
	espeak-ng -f "$work/speech3.txt" -w "$work/tts.wav"
elif command -v text2wave >/dev/null 2>&1; then
	text2wave "$work/speech3.txt" -o "$work/tts.wav"
else
	echo "run.sh: no speech synthesizer: apt-get install flite" >&2
	exit 1
fi
sox "$work/tts.wav" -r 44100 -c 1 -b 16 "$work/tts44.wav" trim 0 "$LEN" vol 0.8
"$B" beeps "$work/tts44.wav" "$work/speech-mono.wav"
sox "$work/speech-mono.wav" -c 2 "$work/speech-stereo.wav"
sox "$work/tts.wav" -r 24000 -c 1 -b 16 "$work/tts24.wav" trim 0 "$LEN" vol 0.8
"$B" beeps "$work/tts24.wav" "$work/speech24-mono.wav"

# Music: a real recording shipped with beep's examples (in the module
# cache), and a synthetic tonal and percussive piece.
inputs=(speech-mono speech-stereo speech24-mono synth-stereo synth-mono)
"$B" music "$work/synth-stereo.wav" "$LEN"
sox "$work/synth-stereo.wav" -c 1 "$work/synth-mono.wav"
beepdir=$(go list -m -f '{{.Dir}}' github.com/gopxl/beep/v2 2>/dev/null || true)
song="$beepdir/examples/tutorial/1-hello-beep/Lame_Drivers_-_01_-_Frozen_Egg.mp3"
if [ -f "$song" ]; then
	ffmpeg -v error -nostdin -ss 10 -t "$LEN" -i "$song" -ar 44100 -ac 2 "$work/music-stereo.wav"
	sox "$work/music-stereo.wav" -c 1 "$work/music-mono.wav"
	inputs+=(music-stereo music-mono)
else
	echo "run.sh: $song not found (go mod download github.com/gopxl/beep/v2); real music skipped" >&2
fi

echo "# MP3 encoder vs LAME $(lame --version | head -1 | sed 's/.*version \([^ ]*\).*/\1/')"
echo
echo "$(date -u +%Y-%m-%d), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), load $(cut -d' ' -f1-3 /proc/loadavg) at the start, ${LEN} s inputs, medians of $RUNS alternating runs of each encoder (command-line programs reading WAV, writing MP3). CPU is user + system time. SNR: ffmpeg decodes both files (trimming each encoder's delay and padding through its Info tag), compared with the input after the best alignment within ±3000 samples."
echo
echo "| input | rate | mode | kbps | LAME wall s | ours wall s | speed-up wall | LAME CPU s | ours CPU s | speed-up CPU | SNR LAME dB | SNR ours dB | ours - LAME dB |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
for in in "${inputs[@]}"; do
	wav="$work/$in.wav"
	rate=$(soxi -r "$wav")
	case "$in" in
	speech24-mono) kbps=40; mode=mono; lm=m ;;
	*-mono) kbps=64; mode=mono; lm=m ;;
	*) kbps=128; mode=joint; lm=j ;;
	esac
	khz=$(awk "BEGIN{print $rate/1000}")
	# Alternating runs, so that the shared machine's load hits both alike.
	read -r lw lc ow oc < <("$B" time "$RUNS" lame --silent -b "$kbps" -m "$lm" --resample "$khz" "$wav" "$work/lame.mp3" \
		:: "$B" encode -b "$kbps" -mode "$mode" "$wav" "$work/ours.mp3")
	ffmpeg -v error -nostdin -y -i "$work/lame.mp3" "$work/lame.wav"
	ffmpeg -v error -nostdin -y -i "$work/ours.mp3" "$work/ours.wav"
	read -r ls llag < <("$B" snr "$wav" "$work/lame.wav")
	read -r os olag < <("$B" snr "$wav" "$work/ours.wav")
	if [ "$llag" != 0 ] || [ "$olag" != 0 ]; then
		why=""
		# 576 + 529: LAME's delay, untrimmed.
		[ "$llag" = 1105 ] && why=" (LAME wrote no Info tag, as it does when its frames are too short for one, so ffmpeg trimmed nothing)"
		echo "note: $in: best alignment at lag $llag (LAME) and $olag (ours) samples after ffmpeg's trim$why" >&2
	fi
	awk -v name="$in" -v rate="$rate" -v mode="$mode" -v kbps="$kbps" -v lw="$lw" -v ow="$ow" -v lc="$lc" -v oc="$oc" -v ls="$ls" -v os="$os" \
		'BEGIN { printf "| %s | %d | %s | %d | %.3f | %.3f | %.2fx | %.3f | %.3f | %.2fx | %.2f | %.2f | %+.2f |\n", name, rate, mode, kbps, lw, ow, lw/ow, lc, oc, lc/oc, ls, os, os-ls }'
done
