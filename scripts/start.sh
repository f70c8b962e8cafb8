#!/usr/bin/env bash
# Install everything, then start JupyterLab with qrt-lab on 127.0.0.1 (extra args go to jupyter lab).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
bash "$REPO/scripts/install.sh"
# shellcheck disable=SC1091
source "$VENV/bin/activate"
args=(--ServerApp.ip=127.0.0.1)
if [ "$(id -u)" = 0 ]; then
  args+=(--allow-root)
fi
cd "$REPO"
exec jupyter lab "${args[@]}" "$@"
