#!/usr/bin/env bash
# Install (idempotent): .venv with qrt_lab editable, npm deps, frontend build.
# QRT_LAB_EXTRAS picks the pip extras (default "test,dev", what scripts/test.sh needs; start.sh
# passes "" to install only what running needs).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$REPO"

PYTHON="${PYTHON:-python3}"
"$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 10))' 2>/dev/null || {
  echo "Python 3.10+ is required as '$PYTHON' (set PYTHON=/path/to/python3.x), then rerun." >&2
  exit 1
}
# The rspack-based builder of JupyterLab 4.6 needs Node ^20.19 or >=22.12.
node -e 'const [a, b] = process.versions.node.split(".").map(Number);
  process.exit((a === 20 && b >= 19) || (a === 22 && b >= 12) || a > 22 ? 0 : 1)' 2>/dev/null || {
  echo "Node.js 20.19+ (or 22.12+) is required, found: $(node --version 2>&1). Install it, then rerun." >&2
  exit 1
}
if [ ! -x "$VENV/bin/python" ]; then
  echo "== creating $VENV"
  "$PYTHON" -m venv "$VENV"
fi
# shellcheck disable=SC1091
source "$VENV/bin/activate"

# pip as it goes (each package collected, downloaded, built, installed) instead of a quiet pip that
# looks hung for a minute; only the "Requirement already satisfied" lines are dropped.
pip_install() {
  python -m pip install --progress-bar on "$@" 2>&1 |
    awk '!/^Requirement already satisfied/ { print; fflush() }'
}

echo "== Python packages"
python -m pip install -q --upgrade pip
# The build backend and jlpm (from jupyterlab) must exist before the frontend build.
pip_install "jupyterlab>=4.6,<5" hatchling hatch-jupyter-builder hatch-nodejs-version

echo "== npm packages"
jlpm install

echo "== frontend build"
jlpm build

# Reinstall only when the package metadata or the extras changed; the editable install already
# tracks sources. An install with extras also serves a later install without them.
extras="${QRT_LAB_EXTRAS-test,dev}"
stamp="$VENV/.qrt-lab-install"
metadata="$(cat pyproject.toml package.json | sha256sum | cut -d' ' -f1)"
read -r had_metadata had_extras 2>/dev/null <"$stamp" || true
if [ "${had_metadata:-}" != "$metadata" ] || { [ -n "$extras" ] && [ "${had_extras:-}" != "$extras" ]; } ||
  ! python -c "import qrt_lab._version" 2>/dev/null; then
  if [ -n "$extras" ]; then
    echo "== qrt_lab (editable) with the $extras extras (a minute or more on the first run)"
    pip_install -e ".[$extras]"
  else
    echo "== qrt_lab (editable; a minute or more on the first run)"
    pip_install -e .
  fi
  echo "$metadata $extras" >"$stamp"
fi
# Serve the source build dir, so 'jlpm build' is picked up without reinstalling.
out="$(jupyter-builder develop --overwrite . 2>&1)" || { echo "$out" >&2; exit 1; }

labext="$(jupyter labextension list 2>&1)"
grep -Eq "qrt-lab v[0-9.]+.*enabled.*OK" <<<"$labext" || {
  echo "$labext" >&2; echo "qrt-lab labextension is not enabled" >&2; exit 1; }
serverext="$(jupyter server extension list 2>&1)"
grep -Eq "qrt_lab.*enabled" <<<"$serverext" || {
  echo "$serverext" >&2; echo "qrt_lab server extension is not enabled" >&2; exit 1; }
echo "== installed: qrt-lab labextension and qrt_lab server extension enabled"
