#!/usr/bin/env bash
# Builds cinemateca's demo library in DIR: a dozen films of a few seconds
# each, with posters, backdrops, .nfo metadata (credits, release histories),
# special features of every type, one film in two versions, one in two
# parts and one with subtitles. Does nothing when DIR already holds a demo
# library (the .cinemateca-demo marker, written last).
#
# usage: scripts/demo-library.sh DIR
# Needs the ffmpeg command; its drawtext filter and the DejaVu fonts are
# used for titles when present, plain colour gradients otherwise.
set -euo pipefail

if [ $# -ne 1 ] || [ -z "$1" ]; then
  echo "usage: $0 DIR" >&2
  exit 2
fi
DIR="$1"
MARKER="$DIR/.cinemateca-demo"
[ -f "$MARKER" ] && exit 0

if ! command -v ffmpeg >/dev/null 2>&1; then
  echo "demo-library: the ffmpeg command is needed (Debian package ffmpeg)" >&2
  exit 1
fi
mkdir -p "$DIR"
DIR="$(cd "$DIR" && pwd)"
# Never mix the demo into a folder of real films: DIR must be empty, or a
# demo library that an earlier run left unfinished.
PARTIAL="$DIR/.cinemateca-demo-partial"
if [ ! -f "$PARTIAL" ]; then
  for entry in "$DIR"/* "$DIR"/.[!.]*; do
    [ -e "$entry" ] || continue
    [ "$(basename "$entry")" = .cinemateca ] && continue
    echo "demo-library: $DIR is not empty and holds no demo library; choose an empty or new folder" >&2
    exit 1
  done
  : > "$PARTIAL"
fi
TMP="$(mktemp -d "${TMPDIR:-/tmp}/cinemateca-demo.XXXXXX")"
# Stopped early, the ffmpeg jobs stop too; the marker is not written, so
# the next run starts again.
trap 'kill $(jobs -p) 2>/dev/null || true; wait; rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM

FONTS=/usr/share/fonts/truetype/dejavu
SERIF_BOLD="$FONTS/DejaVuSerif-Bold.ttf"
SERIF="$FONTS/DejaVuSerif.ttf"
SANS="$FONTS/DejaVuSans.ttf"
MONO="$FONTS/DejaVuSansMono.ttf"
HAVE_TEXT=0
FILTERS="$(ffmpeg -hide_banner -filters 2>/dev/null || true)"
if [[ "$FILTERS" == *" drawtext "* ]] &&
  [ -f "$SERIF_BOLD" ] && [ -f "$SERIF" ] && [ -f "$SANS" ] && [ -f "$MONO" ]; then
  HAVE_TEXT=1
fi

FF=(ffmpeg -nostdin -hide_banner -loglevel error -y -filter_threads 1)
ENC=(-c:v libx264 -preset veryfast -crf 30 -pix_fmt yuv420p -threads 1
  -c:a aac -b:a 48k -ac 2 -ar 44100)

# ---- jobs: ffmpeg runs in the background, one per CPU -------------------
# A job is one of the functions below, which end by exec'ing ffmpeg, so the
# job's pid is ffmpeg's and stopping the jobs stops ffmpeg.
MAX_JOBS="$(nproc 2>/dev/null || echo 2)"
RUNNING=0
FAILED=0
job() {
  "$@" &
  RUNNING=$((RUNNING + 1))
  if [ "$RUNNING" -ge "$MAX_JOBS" ]; then
    wait -n || FAILED=1
    RUNNING=$((RUNNING - 1))
  fi
}
wait_jobs() {
  while [ "$RUNNING" -gt 0 ]; do
    wait -n || FAILED=1
    RUNNING=$((RUNNING - 1))
  done
}

# textfile TEXT: a file holding TEXT, for drawtext (no filter escaping).
textfile() {
  local f
  f="$(mktemp "$TMP/text.XXXXXX")"
  printf '%s' "$1" > "$f"
  printf '%s' "$f"
}

# drawtext FONT FILE SIZE COLOUR X Y: one drawtext filter.
drawtext() {
  printf "drawtext=fontfile=%s:textfile=%s:fontsize=%s:fontcolor=%s:x=%s:y=%s" \
    "$1" "$2" "$3" "$4" "$5" "$6"
}

# video OUT SECONDS STYLE C0 C1 HZ LABEL [--input FILE] [output options...]
# A short clip: a moving picture (STYLE: gradients, mandelbrot, life,
# cells, bars), LABEL in the middle, a running clock, a tone at HZ.
# --input adds a third input (a subtitle file) for the output options.
video() {
  local out="$1" secs="$2" style="$3" c0="$4" c1="$5" hz="$6" label="$7"
  shift 7
  local size=320x180 src
  case "$style" in
    mandelbrot) src="mandelbrot=s=$size:r=24:maxiter=256:start_scale=2:end_scale=0.6" ;;
    life) src="life=s=$size:r=12:ratio=0.3:mold=8:life_color=$c1:death_color=$c0:mold_color=$c0" ;;
    cells) src="cellauto=s=$size:r=12:rule=30:scroll=1:full=1" ;;
    bars) src="smptehdbars=s=$size:r=24" ;;
    *) src="gradients=s=$size:r=24:c0=$c0:c1=$c1:speed=0.04:seed=$hz" ;;
  esac
  local vf="format=yuv420p"
  if [ "$HAVE_TEXT" = 1 ]; then
    local t c
    c="$(textfile '%{pts:hms}')"
    vf="$vf,drawbox=x=0:y=ih/2-26:w=iw:h=52:color=black@0.45:t=fill"
    if [ "${#label}" -le 26 ]; then
      t="$(textfile "$label")"
      vf="$vf,$(drawtext "$SERIF_BOLD" "$t" 18 'white' '(w-text_w)/2' '(h-text_h)/2')"
    else
      # Two lines, cut at the space nearest the middle.
      local half=$((${#label} / 2)) cut=-1 k
      for ((k = 0; k <= half; k++)); do
        if [ "${label:half+k:1}" = " " ]; then cut=$((half + k)); break; fi
        if [ "${label:half-k:1}" = " " ]; then cut=$((half - k)); break; fi
      done
      [ "$cut" -gt 0 ] || cut=$half
      t="$(textfile "${label:0:cut}")"
      vf="$vf,$(drawtext "$SERIF_BOLD" "$t" 15 'white' '(w-text_w)/2' 'h/2-19-max_glyph_a+12')"
      t="$(textfile "${label:cut+1}")"
      vf="$vf,$(drawtext "$SERIF_BOLD" "$t" 15 'white' '(w-text_w)/2' 'h/2+2-max_glyph_a+12')"
    fi
    vf="$vf,$(drawtext "$MONO" "$c" 11 'white@0.8' 'w-text_w-8' 'h-text_h-6')"
  fi
  local inputs=(-f lavfi -i "$src" -f lavfi -i "sine=frequency=$hz:sample_rate=44100:beep_factor=3")
  if [ "${1:-}" = --input ]; then
    inputs+=(-i "$2")
    shift 2
  fi
  mkdir -p "$(dirname "$out")"
  exec "${FF[@]}" "${inputs[@]}" -t "$secs" -vf "$vf" "${ENC[@]}" "$@" "$out"
}

# poster OUT C0 C1 KICKER FOOTER LINE... : a 400x600 JPEG poster, the title
# set in LINEs, KICKER above (the director), FOOTER below (the year).
poster() {
  local out="$1" c0="$2" c1="$3" kicker="$4" footer="$5"
  shift 5
  # Darkened towards the edges, like a print under a lamp.
  local vf="format=yuv420p,eq=brightness=-0.06:saturation=0.85,vignette=angle=PI/4"
  if [ "$HAVE_TEXT" = 1 ]; then
    local n=$# i=0 line f y
    vf="$vf,drawbox=x=18:y=18:w=iw-36:h=ih-36:color=white@0.55:t=2"
    f="$(textfile "$kicker")"
    vf="$vf,$(drawtext "$SANS" "$f" 15 'white@0.85' '(w-text_w)/2' 52)"
    for line in "$@"; do
      local size=40
      [ "${#line}" -gt 11 ] && size=32
      f="$(textfile "$line")"
      y=$((250 - n * 24 + i * 50))
      # Baselines stay put whether or not a line has accents.
      vf="$vf,$(drawtext "$SERIF_BOLD" "$f" "$size" 'white' '(w-text_w)/2' "$y+38-max_glyph_a")"
      i=$((i + 1))
    done
    f="$(textfile "$footer")"
    vf="$vf,$(drawtext "$SERIF" "$f" 22 'white@0.9' '(w-text_w)/2' 520)"
  fi
  exec "${FF[@]}" -f lavfi -i "gradients=s=400x600:c0=$c0:c1=$c1:x0=0:y0=0:x1=400:y1=600:d=1" \
    -frames:v 1 -vf "$vf" -q:v 5 "$out"
}

# backdrop OUT C0 C1 TEXT: a 960x540 JPEG backdrop.
backdrop() {
  local out="$1" c0="$2" c1="$3" text="$4"
  local vf="format=yuv420p"
  if [ "$HAVE_TEXT" = 1 ]; then
    local f
    f="$(textfile "$text")"
    vf="$vf,$(drawtext "$SERIF_BOLD" "$f" 64 'white@0.18' '(w-text_w)/2' '(h-text_h)/2')"
  fi
  exec "${FF[@]}" -f lavfi -i "gradients=s=960x540:c0=$c0:c1=$c1:x0=0:y0=540:x1=960:y1=0:d=1" \
    -frames:v 1 -vf "$vf" -q:v 6 "$out"
}

xml() {
  local s="$1"
  s="${s//&/&amp;}"
  s="${s//</&lt;}"
  s="${s//>/&gt;}"
  printf '%s' "$s"
}

# extra FILE SECONDS STYLE C0 C1 HZ TITLE PLOT: a special feature with
# its own .nfo beside it.
extra() {
  local file="$1" title="$7" plot="$8"
  mkdir -p "$(dirname "$file")"
  job video "$file" "$2" "$3" "$4" "$5" "$6" "$title"
  printf '<?xml version="1.0" encoding="UTF-8"?>\n<movie>\n  <title>%s</title>\n  <plot>%s</plot>\n</movie>\n' \
    "$(xml "$title")" "$(xml "$plot")" > "${file%.*}.nfo"
}

# ---- the films ---------------------------------------------------------

# Pain and Glory (2019): the film the project was started from.
F="$DIR/Pain and Glory (2019)"
mkdir -p "$F"
job video "$F/Pain and Glory (2019).mp4" 8 gradients 0x7a1414 0xe8a33a 330 "Pain and Glory"
job poster "$F/poster.jpg" 0x2a0606 0xc8342a "PEDRO ALMODÓVAR" "2019" "PAIN" "AND GLORY"
job backdrop "$F/fanart.jpg" 0x1c0303 0xb8482a "Dolor y gloria"
cat > "$F/movie.nfo" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<movie>
  <title>Pain and Glory</title>
  <originaltitle>Dolor y gloria</originaltitle>
  <year>2019</year>
  <runtime>113</runtime>
  <tagline>A life remembered is a life that can still be filmed.</tagline>
  <outline>An ageing film director, unable to work, finds his way back through memory.</outline>
  <plot>Salvador Mallo once made films that people queued for. Now his back, his head and his nerves have all turned against him, and he has not shot a frame in years. A screening of one of his old films brings an estranged actor back into his life, and with him a habit that dulls the pain and loosens the memories: a village childhood in 1960s Valencia, where his mother washed linen in the river; a love affair in the Madrid of the 1980s and the way it ended; the first time he saw a film projected on a wall. Writing those memories down turns out to be the cure he did not know he was looking for. A quiet, warm and partly autobiographical portrait of an artist who can only go on by looking back, often set beside Fellini's 8½.</plot>
  <genre>Drama</genre>
  <country>Spain</country>
  <studio>El Deseo</studio>
  <premiered>2019-03-22</premiered>
  <uniqueid type="tmdb" default="true">519010</uniqueid>
  <director>Pedro Almodóvar</director>
  <credits>Pedro Almodóvar</credits>
  <actor><name>Antonio Banderas</name><role>Salvador Mallo</role><order>0</order></actor>
  <actor><name>Penélope Cruz</name><role>Jacinta Mallo</role><order>1</order></actor>
  <actor><name>Asier Etxeandia</name><role>Alberto Crespo</role><order>2</order></actor>
  <actor><name>Leonardo Sbaraglia</name><role>Federico Delgado</role><order>3</order></actor>
  <actor><name>Julieta Serrano</name><role>Jacinta Mallo (older)</role><order>4</order></actor>
  <crew role="producer">Agustín Almodóvar</crew>
  <crew role="composer">Alberto Iglesias</crew>
  <crew role="cinematographer">José Luis Alcaine</crew>
  <crew role="editor">Teresa Font</crew>
  <releases>
    <release type="theatrical" date="2019-03-22" country="ES" distributor="Sony Pictures España"/>
    <release type="festival" date="2019-05-17" country="FR" event="Cannes Film Festival" section="Competition">Almodóvar's eighth film in Cannes</release>
    <release type="festival" date="2019-09" country="CA" event="Toronto International Film Festival"/>
    <release type="theatrical" date="2019-10-04" country="US" distributor="Sony Pictures Classics"/>
    <release type="physical" date="2020-01-21" country="US" format="Blu-ray" distributor="Sony Pictures Home Entertainment"/>
  </releases>
</movie>
EOF
extra "$F/Interviews/Pain and Glory Q&A.mp4" 5 gradients 0x3a1010 0x9a6a3a 392 \
  "Q&A: Almodóvar, Banderas, Iglesias and Agustín Almodóvar" \
  "From the Blu-ray. The director, his lead actor, his composer and his producer brother sit down together and talk through how the film came to be made: the script, the casting, the music and the long partnership behind it."
extra "$F/Interviews/In His Own Words.mp4" 6 gradients 0x241a10 0xb08850 440 \
  "Pedro Almodóvar: In His Own Words" \
  "From the Blu-ray, and released as an exclusive clip on the day the disc came out. Almodóvar looks back on La Movida Madrileña, on how he arrived at his colours and compositions, on the films that shaped him early on, and on decades of work with Antonio Banderas and Penélope Cruz."
extra "$F/Clips/Clip 1 - The Screening.mp4" 3 gradients 0x501818 0xd09040 494 \
  "Clip: The Screening" \
  "The first of three short scenes released in the weeks before the Cannes premiere."
extra "$F/Clips/Clip 2 - The River.mp4" 3 gradients 0x183850 0x90c0d0 523 \
  "Clip: The River" \
  "The second of three short scenes released ahead of Cannes."
extra "$F/Clips/Clip 3 - The Letter.mp4" 3 gradients 0x302010 0xc0a060 587 \
  "Clip: The Letter" \
  "The third of three short scenes released ahead of Cannes."
extra "$F/Trailers/Pain and Glory - Trailer.mp4" 4 gradients 0x400808 0xf0c040 660 \
  "Pain and Glory: Trailer" \
  "The international trailer."

# The Salt Orchard (1974): Portuguese drama, Cannes competition.
F="$DIR/The Salt Orchard (1974)"
mkdir -p "$F"
job video "$F/The Salt Orchard (1974).mp4" 6 gradients 0x1d3b4a 0xd8cfb8 262 "The Salt Orchard"
job poster "$F/poster.jpg" 0x0e2a38 0xcdbf9a "INÊS VALADARES" "1974" "THE SALT" "ORCHARD"
job backdrop "$F/fanart.jpg" 0x0b1f2a 0x9fb4b0 "O Pomar de Sal"
cat > "$F/movie.nfo" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<movie>
  <title>The Salt Orchard</title>
  <originaltitle>O Pomar de Sal</originaltitle>
  <year>1974</year>
  <runtime>102</runtime>
  <tagline>The sea takes back everything, one harvest at a time.</tagline>
  <plot>On a strip of coast where the fields flood with seawater every spring, a widow named Graça keeps planting fruit trees that everyone tells her will die. Over one year, while the village priest schemes to sell the land to a salt company, she raises her two sons, buries a brother and quarrels with the tide. Shot on location with mostly local people in the cast, the film ran in competition at Cannes months after the revolution in Portugal and was restored in 2K four decades later.</plot>
  <genre>Drama</genre>
  <country>Portugal</country>
  <country>France</country>
  <director>Inês Valadares</director>
  <credits>Inês Valadares</credits>
  <credits>Duarte Ramalho</credits>
  <actor><name>Rosário Mendonça</name><role>Graça</role><order>0</order></actor>
  <actor><name>Tomé Aguiar</name><role>Father Anselmo</role><order>1</order></actor>
  <actor><name>Jérôme Faucher</name><role>The surveyor</role><order>2</order></actor>
  <crew role="composer">Ismael Ortúzar</crew>
  <crew role="cinematographer">Lúcia Monteiro</crew>
  <releases>
    <release type="festival" date="1974-05-15" country="FR" event="Cannes Film Festival" section="Competition"/>
    <release type="theatrical" date="1974-10-03" country="PT" distributor="Filmes Atlântida"/>
    <release type="festival" date="2014-09-02" country="IT" event="Venice Film Festival" section="Venice Classics">2K restoration</release>
    <release type="physical" date="2015-03-16" country="GB" format="Blu-ray" distributor="Harbourside Classics"/>
  </releases>
</movie>
EOF
extra "$F/Featurettes/Restoring the Salt Orchard.mp4" 4 gradients 0x203040 0x808070 349 \
  "Restoring The Salt Orchard" \
  "How a water-damaged camera negative found in a Lisbon cellar became a 2K restoration."

# Ashes of the Meridian (2003): thriller in two versions.
F="$DIR/Ashes of the Meridian (2003)"
mkdir -p "$F"
job video "$F/Ashes of the Meridian (2003).mp4" 6 gradients 0x101820 0xc05020 220 "Ashes of the Meridian"
job video "$F/Ashes of the Meridian (2003) - Director's Cut.mp4" 7 gradients 0x081018 0xd06828 233 "Ashes of the Meridian · Director's Cut"
job poster "$F/poster.jpg" 0x0a0a10 0xb04a1a "NATHANIEL GREAVES" "2003" "ASHES" "OF THE" "MERIDIAN"
job backdrop "$F/fanart.jpg" 0x080808 0x8a3010 "Meridian"
cat > "$F/movie.nfo" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<movie>
  <title>Ashes of the Meridian</title>
  <year>2003</year>
  <runtime>118</runtime>
  <tagline>Every map lies about something.</tagline>
  <plot>A cartographic surveyor, Marta Ibarra, is sent to the Aragonese badlands to settle a border dispute between two villages and finds that the official maps have been wrong, on purpose, for sixty years. As she follows the error back through archives, a burnt-out observatory and a French geologist who knows more than he says, someone starts erasing the people who could tell her why. The director's cut restores eleven minutes, including a different last scene.</plot>
  <genre>Thriller</genre>
  <genre>Mystery</genre>
  <country>Spain</country>
  <country>United States</country>
  <director>Nathaniel Greaves</director>
  <credits>Nathaniel Greaves</credits>
  <actor><name>Itziar Belloso</name><role>Marta Ibarra</role><order>0</order></actor>
  <actor><name>Jérôme Faucher</name><role>Lucien Dray</role><order>1</order></actor>
  <actor><name>Owen Castellane</name><role>Sheriff Tom Acker</role><order>2</order></actor>
  <crew role="composer">Ismael Ortúzar</crew>
  <crew role="cinematographer">Lúcia Monteiro</crew>
  <crew role="producer">Helen Marchetti-Ford</crew>
  <releases>
    <release type="festival" date="2003-09-01" country="IT" event="Venice Film Festival" section="Out of Competition"/>
    <release type="theatrical" date="2003-11-14" country="US" distributor="Longitude Pictures"/>
    <release type="theatrical" date="2004-01-23" country="ES" distributor="Meridiana Films"/>
    <release type="physical" date="2004-06-08" country="US" format="DVD"/>
    <release type="physical" date="2013-02-19" country="US" format="Blu-ray">Director's Cut</release>
  </releases>
</movie>
EOF
extra "$F/Ashes of the Meridian (2003)-trailer.mp4" 3 gradients 0x101010 0xe07030 740 \
  "Ashes of the Meridian: Trailer" "The American theatrical trailer."
extra "$F/Deleted Scenes/The Observatory.mp4" 4 gradients 0x202020 0x707070 277 \
  "The Observatory" "Marta's first night at the observatory, cut for pace and restored in part in the director's cut."
extra "$F/Deleted Scenes/Alternate Ending.mp4" 4 gradients 0x181010 0x905030 311 \
  "Alternate Ending" "The ending the studio preferred, which the director's cut replaces."

# The Long Winter of Aurélie Vasseur (2011): French drama in two parts.
F="$DIR/The Long Winter of Aurélie Vasseur (2011)"
mkdir -p "$F"
job video "$F/The Long Winter of Aurélie Vasseur (2011) - Part 1.mp4" 4 gradients 0xcfd8e0 0x3a4a68 294 "Aurélie Vasseur · Part 1"
job video "$F/The Long Winter of Aurélie Vasseur (2011) - Part 2.mp4" 4 gradients 0x3a4a68 0xcfd8e0 311 "Aurélie Vasseur · Part 2"
job poster "$F/poster.jpg" 0x141c2c 0x7a8aa6 "INÊS VALADARES" "2011" "THE LONG" "WINTER OF" "AURÉLIE" "VASSEUR"
cat > "$F/movie.nfo" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<movie>
  <title>The Long Winter of Aurélie Vasseur</title>
  <originaltitle>Le Long Hiver d'Aurélie Vasseur</originaltitle>
  <year>2011</year>
  <runtime>196</runtime>
  <tagline>Some seasons last a lifetime.</tagline>
  <plot>In two parts, one for each half of a harsh Jura winter, a retired schoolteacher takes in the teenage son of the man she once testified against. Neither of them wants the arrangement; the snow gives them no choice. Valadares's first French-language film trades the sea of her early work for silence and frost, and lets its story of guilt and repair unfold at the pace of the season.</plot>
  <genre>Drama</genre>
  <country>France</country>
  <country>Portugal</country>
  <director>Inês Valadares</director>
  <credits>Inês Valadares</credits>
  <actor><name>Clémence Aubrac-Léger</name><role>Aurélie Vasseur</role><order>0</order></actor>
  <actor><name>Jérôme Faucher</name><role>Bastien Morel</role><order>1</order></actor>
  <actor><name>Noé Gaillard</name><role>Théo</role><order>2</order></actor>
  <crew role="cinematographer">Lúcia Monteiro</crew>
  <crew role="composer">Ismael Ortúzar</crew>
  <releases>
    <release type="festival" date="2011-05-14" country="FR" event="Cannes Film Festival" section="Un Certain Regard"/>
    <release type="theatrical" date="2011-11-09" country="FR" distributor="Les Films du Givre"/>
    <release type="tv" date="2012-12-24" country="FR">Broadcast in two evenings</release>
    <release type="physical" date="2012-04-04" country="FR" format="DVD"/>
  </releases>
</movie>
EOF
extra "$F/Behind The Scenes/Shooting in the Snow.mp4" 4 gradients 0xe0e8f0 0x607890 370 \
  "Shooting in the Snow" "Eleven weeks in the Jura at minus fifteen: the crew, the cold, and the cameras that would not start."

# Quiet Engines (2016): British science fiction, Matroska with subtitles.
F="$DIR/Quiet Engines (2016)"
mkdir -p "$F"
cat > "$F/Quiet Engines (2016).en.srt" <<'EOF'
1
00:00:00,500 --> 00:00:02,500
The engines have stopped.

2
00:00:02,800 --> 00:00:04,800
Listen. Nothing at all.

3
00:00:05,000 --> 00:00:06,000
Then who is singing?
EOF
cat > "$TMP/quiet-engines.es.srt" <<'EOF'
1
00:00:00,500 --> 00:00:02,500
Los motores se han parado.

2
00:00:02,800 --> 00:00:04,800
Escucha. Nada de nada.

3
00:00:05,000 --> 00:00:06,000
¿Entonces quién canta?
EOF
job video "$F/Quiet Engines (2016).mkv" 6 mandelbrot 0x000000 0x000000 196 "Quiet Engines" \
  --input "$TMP/quiet-engines.es.srt" -map 0:v -map 1:a -map 2:s -c:s srt \
  -metadata:s:a:0 language=eng -metadata:s:s:0 language=spa -metadata:s:s:0 title=Español
job poster "$F/poster.jpg" 0x02040a 0x1a6a80 "MAEVE ASHDOWN" "2016" "QUIET" "ENGINES"
job backdrop "$F/fanart.jpg" 0x000208 0x10485a "Quiet Engines"
cat > "$F/movie.nfo" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<movie>
  <title>Quiet Engines</title>
  <year>2016</year>
  <runtime>97</runtime>
  <tagline>Three hundred days out, the ship starts to hum a tune.</tagline>
  <plot>The four crew of a slow cargo ship to the outer moons wake early from hibernation because the engines have gone silent. Nothing is broken. The ship simply refuses to go on until someone tells it why it should. A chamber piece in zero gravity about grief, obedience and machines that listen, shot almost entirely in one corridor.</plot>
  <genre>Science Fiction</genre>
  <genre>Drama</genre>
  <country>United Kingdom</country>
  <director>Maeve Ashdown</director>
  <credits>Maeve Ashdown</credits>
  <credits>Colm Rafferty</credits>
  <actor><name>Owen Castellane</name><role>Captain Ines Harrow</role><order>0</order></actor>
  <actor><name>Itziar Belloso</name><role>Dr. Paz Echeverri</role><order>1</order></actor>
  <actor><name>Kwame Boateng-Ross</name><role>Tobias Lund</role><order>2</order></actor>
  <crew role="composer">Ismael Ortúzar</crew>
  <crew role="producer">Helen Marchetti-Ford</crew>
  <releases>
    <release type="festival" date="2016-02-13" country="DE" event="Berlin International Film Festival" section="Panorama"/>
    <release type="festival" date="2016-10-08" country="ES" event="Sitges Film Festival" section="Official Fantàstic Selection"/>
    <release type="theatrical_limited" date="2016-11-04" country="GB" distributor="Lantern Hill Films"/>
    <release type="digital" date="2017-02-20" country="GB"/>
  </releases>
</movie>
EOF
extra "$F/Featurettes/Building the Corridor.mp4" 4 life 0x001018 0x40c0e0 415 \
  "Building the Corridor" "The production designer walks through the single rotating set the whole film was shot in."
extra "$F/Quiet Engines (2016)-trailer.mp4" 3 mandelbrot 0x000000 0x000000 523 \
  "Quiet Engines: Teaser" "A sixty-second teaser."

# Harbour Lights, Paper Moons (1958): an American studio musical.
F="$DIR/Harbour Lights, Paper Moons (1958)"
mkdir -p "$F"
job video "$F/Harbour Lights, Paper Moons (1958).mp4" 6 gradients 0x303030 0xd8d0c0 349 "Harbour Lights, Paper Moons"
job poster "$F/poster.jpg" 0x1a1410 0xe6c27a "WALTER BRENNICK" "1958" "HARBOUR" "LIGHTS," "PAPER MOONS"
cat > "$F/movie.nfo" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<movie>
  <title>Harbour Lights, Paper Moons</title>
  <year>1958</year>
  <runtime>94</runtime>
  <tagline>Twelve songs, one harbour, and a moon made of cardboard!</tagline>
  <plot>A dock clerk who writes songs nobody buys and a singer stranded in port by a shipping strike put on a show in a warehouse to pay their passage out. The strike ends, the ship sails, and neither of them is on it. A bright, small musical from the tail end of the studio years, remembered for its painted-sky finale and for Dolores Quintanilla's first leading role.</plot>
  <genre>Musical</genre>
  <genre>Romance</genre>
  <genre>Comedy</genre>
  <country>United States</country>
  <director>Walter Brennick</director>
  <credits>Ruth Abernathy</credits>
  <actor><name>Dolores Quintanilla</name><role>Rosa Delgado</role><order>0</order></actor>
  <actor><name>Hal Mercer</name><role>Eddie Flynn</role><order>1</order></actor>
  <actor><name>Owen Castellane</name><role>The harbourmaster</role><order>2</order></actor>
  <crew role="composer">Ruth Abernathy</crew>
  <crew role="choreographer">Benny Szabó</crew>
  <releases>
    <release type="premiere" date="1958-06-12" country="US" event="Premiere at the Roxy Theatre, New York"/>
    <release type="theatrical" date="1958-06-20" country="US" distributor="Consolidated Pictures"/>
    <release type="tv" date="1964-12-25" country="US"/>
    <release type="physical" date="2005-11-15" country="US" format="DVD"/>
  </releases>
</movie>
EOF
extra "$F/Shorts/The Lamplighter's Waltz.mp4" 4 gradients 0x202020 0xa0a0a0 392 \
  "The Lamplighter's Waltz" "A seven-minute animated short that played before the film in its first run."

# Lantern Street (1964): Japanese crime film.
F="$DIR/Lantern Street (1964)"
mkdir -p "$F"
# An AVI (MPEG-4 Part 2 and MP3) that browsers cannot play directly: the
# web app plays it through the server's HLS.
job video "$F/Lantern Street (1964).avi" 6 gradients 0x101010 0xc02020 247 "Lantern Street" \
  -c:v mpeg4 -q:v 6 -c:a libmp3lame -b:a 64k
job poster "$F/poster.jpg" 0x050505 0xa01818 "HARUKI ONODERA" "1964" "LANTERN" "STREET"
cat > "$F/movie.nfo" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<movie>
  <title>Lantern Street</title>
  <originaltitle>Chōchin Dōri</originaltitle>
  <year>1964</year>
  <runtime>88</runtime>
  <tagline>In the rain, every lantern looks like a witness.</tagline>
  <plot>A pawnbroker in a Tokyo back street is asked to hold a package for one night and finds in the morning that three different gangs believe it is theirs. Over the next rainy day and night he tries to give it back to each of them. Tight, ironic and shot almost entirely at night, it was the film that got its director noticed abroad.</plot>
  <genre>Crime</genre>
  <genre>Thriller</genre>
  <country>Japan</country>
  <director>Haruki Onodera</director>
  <credits>Haruki Onodera</credits>
  <actor><name>Kenzō Amamiya</name><role>Tatsuo, the pawnbroker</role><order>0</order></actor>
  <actor><name>Sachiko Maebara</name><role>Oyuki</role><order>1</order></actor>
  <crew role="composer">Tōru Hayashida</crew>
  <releases>
    <release type="theatrical" date="1964-03-07" country="JP"/>
    <release type="festival" date="1964-08-30" country="IT" event="Venice Film Festival" section="Competition"/>
    <release type="physical" date="2019-07-22" country="GB" format="Blu-ray" distributor="Harbourside Classics"/>
  </releases>
</movie>
EOF
extra "$F/Scenes/The Pawnshop at Night.mp4" 3 gradients 0x080808 0x802020 277 \
  "The Pawnshop at Night" "The opening scene, in which the package arrives."
extra "$F/Lantern Street (1964)-trailer.mp4" 3 gradients 0x000000 0xe03030 659 \
  "Lantern Street: Trailer" "The original Japanese trailer."

# Mother of Rivers (1999): Mexican drama, Cannes Directors' Fortnight.
F="$DIR/Mother of Rivers (1999)"
mkdir -p "$F"
job video "$F/Mother of Rivers (1999).mp4" 6 gradients 0x1a4a2a 0xd8b048 262 "Mother of Rivers"
job poster "$F/poster.jpg" 0x0c2a16 0xd4a640 "MARISOL ECHEVARRÍA TUÑÓN" "1999" "MOTHER" "OF RIVERS"
job backdrop "$F/fanart.jpg" 0x08200f 0x8a7a2a "Madre de los ríos"
cat > "$F/movie.nfo" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<movie>
  <title>Mother of Rivers</title>
  <originaltitle>Madre de los ríos</originaltitle>
  <year>1999</year>
  <runtime>109</runtime>
  <tagline>She followed the water home.</tagline>
  <plot>When the dam upstream is finished, the town where Remedios raised six children will be under forty metres of water. Her children come back from Monterrey, Los Angeles and Madrid to move her out. She has other plans: to walk the river to its source, and to tell each of them, on the way, one thing she has never said. A road film on foot, funny and unsentimental, and the first feature by Echevarría Tuñón.</plot>
  <genre>Drama</genre>
  <genre>Comedy</genre>
  <country>Mexico</country>
  <country>Spain</country>
  <director>Marisol Echevarría Tuñón</director>
  <credits>Marisol Echevarría Tuñón</credits>
  <actor><name>Ofelia Barragán</name><role>Remedios</role><order>0</order></actor>
  <actor><name>Itziar Belloso</name><role>Lupe</role><order>1</order></actor>
  <actor><name>Ramón Zúñiga Pell</name><role>Chuy</role><order>2</order></actor>
  <crew role="composer">Ismael Ortúzar</crew>
  <crew role="cinematographer">Lúcia Monteiro</crew>
  <releases>
    <release type="festival" date="1999-05-14" country="FR" event="Cannes Film Festival" section="Directors' Fortnight"/>
    <release type="festival" date="1999-09-19" country="ES" event="San Sebastián International Film Festival" section="Horizontes Latinos"/>
    <release type="theatrical" date="1999-11-26" country="MX" distributor="Cine Ribera"/>
    <release type="physical" date="2001-03-01" country="MX" format="DVD"/>
  </releases>
</movie>
EOF
extra "$F/Interviews/Marisol Echevarría Tuñón on Mother of Rivers.mp4" 4 gradients 0x204020 0xa09050 330 \
  "Marisol Echevarría Tuñón on Mother of Rivers" "The director on her grandmother, the real dam, and casting a first-time actress in the lead."

# Verano de cristal (2008): Spanish comedy.
F="$DIR/Verano de cristal (2008)"
mkdir -p "$F"
job video "$F/Verano de cristal (2008).mp4" 6 gradients 0x20a0c0 0xf0e060 392 "Verano de cristal"
job poster "$F/poster.jpg" 0x1890b8 0xf6de58 "MARISOL ECHEVARRÍA TUÑÓN" "2008" "VERANO" "DE CRISTAL"
cat > "$F/movie.nfo" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<movie>
  <title>Verano de cristal</title>
  <sorttitle>Verano de cristal</sorttitle>
  <year>2008</year>
  <runtime>91</runtime>
  <tagline>Handle with care. Or don't.</tagline>
  <plot>Two sisters who have not spoken in nine years inherit their aunt's glass-blowing workshop in Cádiz, along with its debts, its parrot and its one remaining employee. They have a summer to sell it. Instead they end up taking an order for four hundred wine glasses for a wedding neither of them approves of. A sunny ensemble comedy with sharp elbows.</plot>
  <genre>Comedy</genre>
  <country>Spain</country>
  <director>Marisol Echevarría Tuñón</director>
  <credits>Marisol Echevarría Tuñón</credits>
  <credits>Begoña Larrañaga</credits>
  <actor><name>Maricruz Peñalver</name><role>Elena</role><order>0</order></actor>
  <actor><name>Itziar Belloso</name><role>Nuria</role><order>1</order></actor>
  <actor><name>Jérôme Faucher</name><role>Monsieur Bréval</role><order>2</order></actor>
  <actor><name>Ramón Zúñiga Pell</name><role>Paco</role><order>3</order></actor>
  <crew role="composer">Ismael Ortúzar</crew>
  <releases>
    <release type="festival" date="2008-04-12" country="ES" event="Málaga Film Festival" section="Official Section"/>
    <release type="theatrical" date="2008-07-04" country="ES" distributor="Ola Distribución"/>
    <release type="tv" date="2010-08-15" country="ES"/>
  </releases>
</movie>
EOF
extra "$F/Extras/Bloopers.mp4" 3 cells 0 0 880 \
  "Bloopers" "Four minutes of broken glass, all of it on purpose except the parrot."

# Fourteen Minutes to Dawn (1995): Icelandic documentary.
F="$DIR/Fourteen Minutes to Dawn (1995)"
mkdir -p "$F"
job video "$F/Fourteen Minutes to Dawn (1995).mp4" 6 gradients 0x081830 0xf0a060 174 "Fourteen Minutes to Dawn"
job poster "$F/poster.jpg" 0x061226 0xe89a58 "SIGRÚN HÁKONARDÓTTIR" "1995" "FOURTEEN" "MINUTES" "TO DAWN"
cat > "$F/movie.nfo" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<movie>
  <title>Fourteen Minutes to Dawn</title>
  <originaltitle>Fjórtán mínútur í dögun</originaltitle>
  <year>1995</year>
  <runtime>71</runtime>
  <tagline>At the edge of the Arctic summer, the night lasts fourteen minutes.</tagline>
  <plot>A documentary about the people who work through the shortest night of the year in a fishing town in the north of Iceland: a baker, two harbour pilots, a radio host and a girl selling coffee from a van. Observational, patient and shot on 16 mm, it follows each of them through the brief dusk and watches the sun come straight back up.</plot>
  <genre>Documentary</genre>
  <country>Iceland</country>
  <country>Norway</country>
  <director>Sigrún Hákonardóttir</director>
  <crew role="cinematographer">Lúcia Monteiro</crew>
  <crew role="editor">Sigrún Hákonardóttir</crew>
  <releases>
    <release type="festival" date="1995-11-30" country="NL" event="International Documentary Film Festival Amsterdam"/>
    <release type="tv" date="1996-06-21" country="IS"/>
    <release type="digital" date="2021-06-21" country="IS">Restored in HD</release>
  </releases>
</movie>
EOF
extra "$F/Samples/Sample.mp4" 3 bars 0 0 1000 \
  "Sample" "A few seconds of the HD restoration, for checking playback."

# The Cartographer's Daughter (2022): animation.
F="$DIR/The Cartographer's Daughter (2022)"
mkdir -p "$F"
job video "$F/The Cartographer's Daughter (2022).mp4" 6 life 0x2a1a40 0xf0c0f0 523 "The Cartographer's Daughter"
job poster "$F/poster.jpg" 0x2a1a48 0xf0a0c8 "MAEVE ASHDOWN" "2022" "THE" "CARTOGRAPHER'S" "DAUGHTER"
job backdrop "$F/fanart.jpg" 0x140c26 0x7a4a8a "The Cartographer's Daughter"
cat > "$F/movie.nfo" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<movie>
  <title>The Cartographer's Daughter</title>
  <year>2022</year>
  <runtime>84</runtime>
  <tagline>The world is bigger than the map. Draw faster.</tagline>
  <plot>Nine-year-old Orla inherits her mother's unfinished atlas and discovers that whatever she draws in it appears, a little wrong, in the hills behind her house. She draws a bridge, a friend, a river the wrong way round. Hand-drawn animation made in Galway and Brussels, for children who like maps and adults who remember liking them.</plot>
  <genre>Animation</genre>
  <genre>Family</genre>
  <genre>Fantasy</genre>
  <country>Ireland</country>
  <country>Belgium</country>
  <director>Maeve Ashdown</director>
  <credits>Maeve Ashdown</credits>
  <credits>Colm Rafferty</credits>
  <actor><name>Aoife Ní Bhriain</name><role>Orla (voice)</role><order>0</order></actor>
  <actor><name>Owen Castellane</name><role>Grandad Fergus (voice)</role><order>1</order></actor>
  <actor><name>Clémence Aubrac-Léger</name><role>The Mapmaker (voice)</role><order>2</order></actor>
  <crew role="composer">Ismael Ortúzar</crew>
  <releases>
    <release type="festival" date="2022-06-14" country="FR" event="Annecy International Animation Film Festival" section="Contrechamp"/>
    <release type="festival" date="2022-09-11" country="CA" event="Toronto International Film Festival" section="TIFF Kids"/>
    <release type="theatrical" date="2022-10-21" country="IE" distributor="Curlew Pictures"/>
    <release type="digital" date="2023-03-03" country="US"/>
  </releases>
</movie>
EOF
extra "$F/Trailers/Official Trailer.mp4" 3 life 0x2a1a40 0xf0c0f0 587 \
  "The Cartographer's Daughter: Official Trailer" "The official trailer."
extra "$F/Behind The Scenes/Drawing the Atlas.mp4" 4 gradients 0x302050 0xe0b0e0 440 \
  "Drawing the Atlas" "Twelve animators, one hundred and eighty thousand drawings."

# Night Ferry to Tangier (1981): French crime thriller.
F="$DIR/Night Ferry to Tangier (1981)"
mkdir -p "$F"
job video "$F/Night Ferry to Tangier (1981).mp4" 6 gradients 0x0a1a30 0xe0c080 208 "Night Ferry to Tangier"
job poster "$F/poster.jpg" 0x060e1e 0xd0a050 "NATHANIEL GREAVES" "1981" "NIGHT FERRY" "TO TANGIER"
cat > "$F/movie.nfo" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<movie>
  <title>Night Ferry to Tangier</title>
  <originaltitle>Le Ferry de nuit pour Tanger</originaltitle>
  <year>1981</year>
  <runtime>106</runtime>
  <tagline>Eight hours. One crossing. No way off.</tagline>
  <plot>A customs officer on his last crossing before retirement notices that the same passenger has boarded twice. By the time the ferry leaves Algeciras he has counted three of him. A tense, sardonic thriller that spends its whole running time on one boat, and the first film its American director made in Europe.</plot>
  <genre>Crime</genre>
  <genre>Thriller</genre>
  <country>France</country>
  <country>Morocco</country>
  <director>Nathaniel Greaves</director>
  <credits>Nathaniel Greaves</credits>
  <credits>Yasmine Benali</credits>
  <actor><name>Jérôme Faucher</name><role>Inspecteur Rémy Castaing</role><order>0</order></actor>
  <actor><name>Dolores Quintanilla</name><role>Madame Ortega</role><order>1</order></actor>
  <actor><name>Youssef El Amrani</name><role>The purser</role><order>2</order></actor>
  <crew role="composer">Ismael Ortúzar</crew>
  <releases>
    <release type="festival" date="1981-09-12" country="CA" event="Toronto International Film Festival">Then called the Festival of Festivals</release>
    <release type="theatrical" date="1981-10-21" country="FR" distributor="Gaumont-Lys"/>
    <release type="physical" date="1986" country="FR" format="VHS"/>
    <release type="physical" date="2018-05-29" country="US" format="Blu-ray" distributor="Harbourside Classics"/>
  </releases>
</movie>
EOF
extra "$F/Interviews/Jérôme Faucher Remembers.mp4" 4 gradients 0x102030 0xc0a070 294 \
  "Jérôme Faucher Remembers" "The lead actor, forty years on, on the ferry that was really a ferry and the storm that was really a storm."

wait_jobs
if [ "$FAILED" != 0 ]; then
  echo "demo-library: some files could not be made in $DIR (run again to retry)" >&2
  exit 1
fi
printf 'cinemateca demo library, made by scripts/demo-library.sh\n' > "$MARKER"
rm -f "$PARTIAL"
