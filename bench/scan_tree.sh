# scan_tree.sh, sourced by bench/scan.sh and bench/scan_memory.sh: the
# generated library they scan. Needs WORK set.

# clip FILE SECONDS: a small H.264/AAC clip.
clip() {
  ffmpeg -nostdin -v error -y -f lavfi -i "testsrc=size=320x180:rate=24" \
    -f lavfi -i "sine=frequency=440" -t "$2" -c:v libx264 -preset ultrafast \
    -c:a aac -b:a 64k "$1"
}

# make_tree DIR FILMS: each film has a folder, a main file and three
# extras (made from two clips in $WORK, made on first use).
make_tree() {
  local dir="$1" n="$2" i f
  [ -f "$WORK/main.mkv" ] || clip "$WORK/main.mkv" 4
  [ -f "$WORK/extra.mp4" ] || clip "$WORK/extra.mp4" 2
  for i in $(seq 1 "$n"); do
    f="$dir/Film $i ($((1950 + i % 70)))"
    mkdir -p "$f/Interviews" "$f/Trailers"
    cp "$WORK/main.mkv" "$f/Film $i ($((1950 + i % 70))).mkv"
    cp "$WORK/extra.mp4" "$f/Interviews/Director interview.mp4"
    cp "$WORK/extra.mp4" "$f/Trailers/Trailer.mp4"
    cp "$WORK/extra.mp4" "$f/Film $i ($((1950 + i % 70)))-featurette.mp4"
  done
}
