#!/usr/bin/env bash
# Installs whatever is missing on a Debian machine (or image) with Node 20+ and npm:
# system packages with apt-get, npm packages with npm ci, then builds the dashboard.
#   scripts/install.sh            what the gateway and the demo need (socat for the simulated
#                                 serial lines, ffmpeg and a font for the simulated cameras)
#   scripts/install.sh --test     also what the tests need (Chromium for browser tests)
set -euo pipefail
cd "$(dirname "$0")/.."

want=(socat ffmpeg fonts-dejavu-core)
if [[ "${1:-}" == "--test" ]]; then want+=(chromium fonts-wqy-microhei); fi
missing=()
for pkg in "${want[@]}"; do
  case "$pkg" in
    chromium) [[ -x /usr/bin/chromium ]] || missing+=(chromium) ;;
    fonts-wqy-microhei) [[ -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ]] || missing+=(fonts-wqy-microhei) ;;
    fonts-dejavu-core) [[ -f /usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf ]] || missing+=(fonts-dejavu-core) ;;
    *) command -v "$pkg" >/dev/null 2>&1 || missing+=("$pkg") ;;
  esac
done
# better-sqlite3 and serialport build native code when no prebuilt binary fits.
command -v g++ >/dev/null 2>&1 || missing+=(g++ make python3)

if ((${#missing[@]})); then
  echo "installing system packages: ${missing[*]}"
  SUDO=""
  if [[ "$(id -u)" != 0 ]]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

stamp=node_modules/.install-stamp
if [[ ! -f "$stamp" || package-lock.json -nt "$stamp" || package.json -nt "$stamp" ]]; then
  echo "installing npm packages"
  npm ci --no-audit --no-fund --loglevel=error
  touch "$stamp"
fi

npm run build:dashboard --silent
