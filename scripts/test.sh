#!/usr/bin/env bash
# Install everything, then run the whole test suite: lint, unit tests, server tests, browser tests.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$REPO"

declare -a SUMMARY=()
started=$SECONDS
step() {
  local name="$1"; shift
  local t0=$SECONDS
  echo
  echo "==== $name"
  if "$@"; then
    SUMMARY+=("PASS  $name ($((SECONDS - t0)) s)")
  else
    SUMMARY+=("FAIL  $name ($((SECONDS - t0)) s)")
    FAILED=1
  fi
}
FAILED=0

print_summary() {
  echo
  echo "==== summary ($((SECONDS - started)) s)"
  printf '%s\n' "${SUMMARY[@]}"
}

step "install" bash scripts/install.sh || true
if [ "$FAILED" = 1 ]; then
  print_summary
  exit 1
fi
# shellcheck disable=SC1091
source "$VENV/bin/activate"

lint_python() {
  ruff check qrt_lab tests ui-tests benchmarks && ruff format --check qrt_lab tests ui-tests benchmarks
}
typecheck_runtime() {
  if [ -d qrt_lab/runtime ]; then
    mypy qrt_lab/runtime
  else
    echo "qrt_lab/runtime does not exist yet: mypy skipped"
  fi
}
# Bash functions run inside `step`; an unset dir is created so ruff gets every path it is given.
mkdir -p benchmarks
step "lint: ruff" lint_python
step "lint: mypy --strict qrt_lab/runtime" typecheck_runtime
step "lint: tsc, eslint, prettier" jlpm lint
step "pytest: unit" python -m pytest tests --ignore=tests/server -q
# pytest-jupyter runs its own event loop; it must be a separate run (see the build recipe, pitfall 9).
step "pytest: server" python -m pytest -p pytest_jupyter.jupyter_server -o asyncio_mode=strict tests/server -q
step "pytest: browser" python -m pytest ui-tests -q

print_summary
exit "$FAILED"
