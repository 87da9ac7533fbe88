#!/usr/bin/env bash
# Installs whatever is missing, then starts a whole demo school on simulated hardware.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
exec npx tsx scripts/demo.ts "$@"
