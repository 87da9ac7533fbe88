#!/usr/bin/env bash
# Installs whatever is missing, then runs every test: type check, unit, integration, browser.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh --test
echo "== type check"
npx tsc --noEmit -p tsconfig.json
echo "== unit and integration tests"
npx vitest run --exclude 'tests/e2e/**'
# Each browser test runs a whole site with live video and Chromium: one at a time, so two of them
# never starve each other of CPU on a 2-core machine.
echo "== browser tests (real Chromium), one file at a time"
npx vitest run tests/e2e --no-file-parallelism
