#!/usr/bin/env bash
# Makes the demo library that ships in launcher/demo-library (run once; the result is committed).
# Three made-up artists, one album each, short synthesized tracks in mp3, flac, ogg (vorbis), opus and m4a,
# tagged with title, artist, album, album artist, track and year. Everything is generated from math
# (ffmpeg's aevalsrc): no third-party audio, nothing to license. Total size stays under 2 MB.
set -euo pipefail
command -v ffmpeg >/dev/null || { echo "needs ffmpeg (apt-get install -y ffmpeg)" >&2; exit 1; }

out="$(cd "$(dirname "$0")" && pwd)/demo-library"
rm -rf "$out"
mkdir -p "$out"

# A plucked melody: note n lasts $step seconds, pitch = base * 2^(semitone/12) walking a pentatonic
# pattern picked by the seed; each note decays exponentially so note changes do not click.
melody() { # seed base step
  local seed=$1 base=$2 step=$3
  local semis="(0+2*eq(mod(floor(t/$step)*$seed,5),1)+4*eq(mod(floor(t/$step)*$seed,5),2)+7*eq(mod(floor(t/$step)*$seed,5),3)+9*eq(mod(floor(t/$step)*$seed,5),4))"
  local f="$base*pow(2,$semis/12)"
  local env="exp(-4*mod(t,$step))"
  echo "0.45*$env*(sin(2*PI*$f*t)+0.3*sin(4*PI*$f*t)+0.15*sin(6*PI*$f*t))+0.12*sin(2*PI*($base/2)*t)"
}

track() { # artist album n title ext seconds seed base step
  local artist=$1 album=$2 n=$3 title=$4 ext=$5 secs=$6 seed=$7 base=$8 step=$9
  local dir="$out/$artist/$album"
  mkdir -p "$dir"
  local file
  file="$dir/$(printf '%02d' "$n") - $title.$ext"
  local codec
  case $ext in
    mp3)  codec=(-c:a libmp3lame -b:a 64k -ar 44100) ;;
    flac) codec=(-c:a flac -sample_fmt s16 -ar 22050 -compression_level 8) ;;
    ogg)  codec=(-c:a libvorbis -q:a 1 -ar 44100) ;;
    opus) codec=(-c:a libopus -b:a 48k -ar 48000) ;;
    m4a)  codec=(-c:a aac -b:a 64k -ar 44100) ;;
  esac
  ffmpeg -hide_banner -loglevel error -y \
    -f lavfi -i "aevalsrc='$(melody "$seed" "$base" "$step")':s=44100:d=$secs" \
    -ac 1 "${codec[@]}" \
    -metadata title="$title" -metadata artist="$artist" -metadata album_artist="$artist" \
    -metadata album="$album" -metadata track="$n" -metadata date=2024 -metadata genre=Demo \
    "$file"
}

track "Ada Sine"         "First Waves"  1 "Morning Tone"    mp3  12 3 220   0.25
track "Ada Sine"         "First Waves"  2 "Pentatonic Walk" flac  6 7 261.6 0.2
track "Ada Sine"         "First Waves"  3 "Slow Decay"      ogg  14 2 196   0.5
track "The Square Roots" "Harmonics"    1 "Overtone Song"   m4a  12 4 293.7 0.3
track "The Square Roots" "Harmonics"    2 "Two Octaves"     opus 15 6 146.8 0.25
track "The Square Roots" "Harmonics"    3 "Fifth Street"    mp3  10 9 329.6 0.2
track "Lumen Trio"       "Night Tones"  1 "Lullaby in A"    opus 16 8 440   0.4
track "Lumen Trio"       "Night Tones"  2 "Blue Hour"       flac  5 3 174.6 0.3
track "Lumen Trio"       "Night Tones"  3 "Last Light"      m4a  12 1 246.9 0.35

du -sh "$out"
find "$out" -type f | sort
