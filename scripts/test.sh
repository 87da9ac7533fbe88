#!/usr/bin/env bash
# Installs whatever is missing, then runs every test: type check, unit, integration, browser.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh --test
echo "== type check"
npx tsc --noEmit -p tsconfig.json
echo "== tests"
npx vitest run
