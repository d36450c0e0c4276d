#!/usr/bin/env bash
# `npm test`: every test tier, against real services. Extra arguments go to jest
# (for example `npm test -- --selectProjects unit`).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-services.sh

export APOLLO_TELEMETRY_DISABLED=true
export NODE_ENV=test
# Two cores: run test files on both, but not more (each e2e file starts several processes).
exec node node_modules/jest/bin/jest.js --maxWorkers=2 "$@"
