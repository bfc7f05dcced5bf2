#!/bin/sh
# Makes the small tagged audio files the tag-reading tests read (committed beside this script).
# Run from this folder: sh make-test-audio.sh   (needs ffmpeg with libmp3lame, libvorbis, libopus)
set -eu
F="ffmpeg -hide_banner -loglevel error -y"
SINE="-f lavfi -i sine=frequency=440:sample_rate=22050:duration=3"

$F -f lavfi -i color=c=red:s=16x16 -frames:v 1 cover.png

# mp3, ID3v2.3 with an embedded cover
$F $SINE -i cover.png -map 0:a -map 1:v -c:a libmp3lame -b:a 32k -ac 1 -c:v copy -id3v2_version 3 \
  -metadata:s:v title="Album cover" -metadata:s:v comment="Cover (front)" \
  -metadata title="Blue in Grün" -metadata artist="Miles Däwis" -metadata album="Kind of Blue" \
  -metadata track=3/9 -metadata disc=1/2 -metadata date=1959 -metadata genre=Jazz id3v2.mp3
# mp3, ID3v1 only (the 128 bytes at the end of the file; ffmpeg writes none without ID3v2, so printf does):
# "TAG", title 30, artist 30, album 30, year 4, comment 28, 0, track, genre (8 = Jazz)
$F $SINE -c:a libmp3lame -b:a 32k -ac 1 -id3v2_version 0 id3v1.mp3
{ printf 'TAG%-30.30s%-30.30s%-30.30s%-4.4s%-28.28s' "So What" "Miles Davis" "Kind of Blue" 1959 ""; printf '\000\001\010'; } >> id3v1.mp3
# flac with Vorbis comments and a PICTURE block
$F $SINE -i cover.png -map 0:a -map 1:v -c:a flac -ac 1 -c:v copy -disposition:v attached_pic \
  -metadata title="Hunter" -metadata artist="Björk" -metadata album="Homogenic" \
  -metadata track=1 -metadata disc=1 -metadata date=1997 -metadata genre=Electronic tagged.flac
# ogg vorbis
$F $SINE -c:a libvorbis -ac 1 -q:a 0 -metadata title="Avalon" -metadata artist="Sigur Rós" \
  -metadata album="Ágætis byrjun" -metadata track=8 -metadata date=1999 tagged.ogg
# opus
$F $SINE -c:a libopus -b:a 16k -ac 1 -metadata title="Opus Song" -metadata artist="Some One" \
  -metadata album="Opus Album" -metadata track=2 -metadata date=2020 tagged.opus
# m4a with the moov atom at the end (ffmpeg's default), and one with it at the start
$F $SINE -c:a aac -b:a 32k -ac 1 -metadata title="Moov Last" -metadata artist="AAC Artist" \
  -metadata album="AAC Album" -metadata track=4 -metadata date=2001 moov-last.m4a
$F $SINE -c:a aac -b:a 32k -ac 1 -movflags +faststart -metadata title="Moov First" -metadata artist="AAC Artist" \
  -metadata album="AAC Album" -metadata track=5 -metadata date=2001 moov-first.m4a
# wav with a LIST/INFO chunk
$F -f lavfi -i sine=frequency=440:sample_rate=8000:duration=3 -c:a pcm_s16le -ac 1 \
  -metadata title="Wave Title" -metadata artist="Wave Artist" -metadata album="Wave Album" tagged.wav
