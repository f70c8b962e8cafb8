#!/usr/bin/env bash
# Install what running qrt-lab needs (no test or dev tools), then start JupyterLab on 127.0.0.1
# in examples/. Extra arguments go to `jupyter lab`, e.g.
#   bash scripts/start.sh --port 8899 --no-browser
#   bash scripts/start.sh --ServerApp.root_dir="$HOME/notebooks"   # another workspace
# QRT_LAB_START_DRY_RUN=1 prints the jupyter lab command instead of installing and running it.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

args=(--ServerApp.ip=127.0.0.1 "--ServerApp.root_dir=$REPO/examples")
if [ "$(id -u)" = 0 ]; then
  args+=(--allow-root)
fi
if [ -n "${QRT_LAB_START_DRY_RUN:-}" ]; then
  printf '%q ' jupyter lab "${args[@]}" "$@"
  echo
  exit 0
fi
QRT_LAB_EXTRAS="" bash "$REPO/scripts/install.sh"
# shellcheck disable=SC1091
source "$VENV/bin/activate"
cd "$REPO/examples"
exec jupyter lab "${args[@]}" "$@"
