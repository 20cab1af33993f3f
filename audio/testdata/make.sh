#!/bin/sh
# Regenerates the small seed files used by the decoding tests and FuzzDecode.
# Needs sox, lame and ffmpeg (Debian: sox, lame, ffmpeg). Run from this folder.
set -eu
sox -n -r 8000 -c 1 -b 16 tone16.wav synth 0.02 sine 440 vol 0.5
sox -n -r 8000 -c 2 -b 24 tone24.wav synth 0.02 sine 440 sine 660 vol 0.5
sox -n -r 8000 -c 1 -b 8 -e unsigned-integer tone8.wav synth 0.02 sine 440 vol 0.5
sox -n -r 8000 -c 2 -b 32 -e floating-point tonef32.wav synth 0.02 sine 440 sine 660 vol 0.5
ffmpeg -v error -y -f lavfi -i "sine=f=440:r=8000:d=0.02" -c:a pcm_s32le -write_bext 0 -rf64 never tone32.wav
sox -n -r 44100 -c 2 -b 16 src.wav synth 0.05 sine 440 sine 660 vol 0.5
lame --quiet -b 128 src.wav tone.mp3
sox -n -r 22050 -c 1 -b 16 src22.wav synth 0.1 sine 440 vol 0.5
lame --quiet -b 32 src22.wav lsf32.mp3
sox -n -r 8000 -c 1 -b 16 src8.wav synth 0.05 sine 440 vol 0.5
ffmpeg -v error -y -i src8.wav -c:a flac tone.flac
rm src.wav src22.wav src8.wav
