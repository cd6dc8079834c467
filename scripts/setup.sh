#!/usr/bin/env bash
# Installs the Debian 12 packages cinemateca needs to build, test and run.
# Safe to run again: it installs only what is missing.
set -euo pipefail

packages=(
  gcc make pkg-config meson ninja-build
  clang-format  # the house style, .clang-format (scripts/format.sh, checked by make check)
  libavformat-dev libavcodec-dev libavutil-dev libswscale-dev libswresample-dev
  libsqlite3-dev libmicrohttpd-dev libjansson-dev libxml2-dev libsodium-dev libcmocka-dev
  libbluray-dev libdvdread-dev zlib1g-dev libbrotli-dev
  libfreetype-dev fonts-dejavu-core  # generated posters carry their title (src/media/cm_type.c)
  ffmpeg curl sqlite3 python3 valgrind openssl
  dvdauthor genisoimage lsdvd
  iproute2 python3-gi gir1.2-gupnp-1.6 gir1.2-gupnp-av-1.0 gir1.2-gssdp-1.6
  chromium nodejs
  vlc-bin vlc-plugin-base  # a real player without cookies (tests/integration/auth.sh)
)
# The web app's end-to-end tests and hls.js come from npm. A Node.js that
# already ships its own npm (NodeSource) is left as it is.
command -v npm >/dev/null 2>&1 || packages+=(npm)
# Extra packages for optional parts, chosen by the caller:
#   SETUP_EXTRA="clang libclang-rt-14-dev" scripts/setup.sh
read -r -a extra <<< "${SETUP_EXTRA:-}"
packages+=("${extra[@]}")

missing=()
for p in "${packages[@]}"; do
  [ -n "$p" ] || continue
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
  fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The web app's npm packages (hls.js, playwright-core), exactly as locked,
# when they are missing or older than the lockfile.
web="$(cd "$(dirname "$0")/.." && pwd)/web"
if [ -f "$web/package-lock.json" ] &&
  { [ ! -f "$web/node_modules/.package-lock.json" ] ||
    [ "$web/package-lock.json" -nt "$web/node_modules/.package-lock.json" ]; }; then
  echo "setup: npm ci --prefix web"
  npm ci --prefix "$web" --no-audit --no-fund --loglevel=error >/dev/null
fi

# The Jellyfin clients the integration tests drive (@jellyfin/sdk), exactly
# as locked, the same way.
jf="$(cd "$(dirname "$0")/.." && pwd)/tests/jellyfin"
if [ -f "$jf/package-lock.json" ] &&
  { [ ! -f "$jf/node_modules/.package-lock.json" ] ||
    [ "$jf/package-lock.json" -nt "$jf/node_modules/.package-lock.json" ]; }; then
  echo "setup: npm ci --prefix tests/jellyfin"
  npm ci --prefix "$jf" --no-audit --no-fund --loglevel=error >/dev/null
fi
