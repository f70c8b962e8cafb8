# Sourced by the other scripts: paths and environment shared by install, start and test.
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$REPO/.venv"
# Playwright must use the system Chromium; never let it download a browser.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
export CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
# yarn uses the registry npm is configured with, so no host name is written into the repo.
if command -v npm >/dev/null 2>&1; then
  YARN_NPM_REGISTRY_SERVER="$(npm config get registry 2>/dev/null | sed 's:/*$::')"
  export YARN_NPM_REGISTRY_SERVER
fi
export PIP_DISABLE_PIP_VERSION_CHECK=1
