#!/usr/bin/env bash
# Integration: the player's overlay in Chromium (tests/e2e/player-overlay.mjs)
# on a film in two parts made here (`Zwei Teile (2020) - part1.mp4` and
# `- part2.mp4`, 8 s each, two audio tracks, an English .srt beside the
# first): the part mark at the join on the seek bar and seeking across
# it, the full-screen and picture-in-picture buttons (the document's
# fullscreenElement and pictureInPictureElement set and cleared), and
# axe-core over the open player with its controls shown and each of its
# menus (audio, subtitles, speed, quality) open.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
need_browser axe-core/axe.min.js

LIB="$WORK/films"
FILM="$LIB/Zwei Teile (2020)"
mkdir -p "$FILM"
# Part 1 shows the test pattern, part 2 colour bars: a screenshot says
# which part plays. English (440 Hz) and German (660 Hz) audio in each.
part() { # N SOURCE
  ffmpeg -nostdin -v error -y -f lavfi -i "$2=size=320x180:rate=10" \
    -f lavfi -i "sine=frequency=440:sample_rate=44100" -f lavfi -i "sine=frequency=660:sample_rate=44100" \
    -map 0:v -map 1:a -map 2:a -t 8 -c:v libx264 -preset ultrafast -g 10 -pix_fmt yuv420p \
    -c:a aac -b:a 48k -ac 2 -metadata:s:a:0 language=eng -metadata:s:a:1 language=ger \
    -disposition:a:0 default -disposition:a:1 0 -movflags +faststart \
    "$FILM/Zwei Teile (2020) - part$1.mp4"
}
part 1 testsrc
part 2 smptebars
printf '1\n00:00:00,000 --> 00:00:08,000\nErster Teil\n\n' > "$FILM/Zwei Teile (2020) - part1.en.srt"

"$CINEMATECA" scan --db "$WORK/catalog.db" "$LIB" >/dev/null 2>&1
parts=$(sqlite3 "$WORK/catalog.db" "SELECT group_concat(part, ',') FROM (SELECT part FROM files WHERE role = 'main' ORDER BY part)" 2>/dev/null)
check_eq "the two files are one film in two parts" "1,2" "$parts"
check_eq "one film" 1 "$(sqlite3 "$WORK/catalog.db" 'SELECT count(*) FROM films' 2>/dev/null)"
start_server --db "$WORK/catalog.db" --no-watch --web "$ROOT/web" "$LIB" || { fail "server starts"; finish; exit 1; }

run_e2e 600 player-overlay.mjs "$URL" "$SHOTS"
stop_server
check_no_sanitizer_reports "the server ran without sanitizer reports"
finish
