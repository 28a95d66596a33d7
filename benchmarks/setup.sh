#!/usr/bin/env bash
# Install the tools benchmarks/run.py measures tospolicy against, inside benchmarks/:
# Fides in its own virtual environment (its dependencies must not meet ours) and
# Spectral from the pinned package-lock.json. Run from anywhere; takes a few minutes.
set -euo pipefail
cd "$(dirname "$0")"
python="${PYTHON:-python3}"
if [ ! -x .fides-venv/bin/fides ]; then
    "$python" -m venv .fides-venv
    .fides-venv/bin/pip install --quiet "ethyca-fides==2.78.2"
fi
npm ci --no-audit --no-fund
echo "fides: $(.fides-venv/bin/fides --version 2>/dev/null | tail -1)"
echo "spectral: $(node_modules/.bin/spectral --version)"
