#!/usr/bin/env bash
# Install everything, then run the whole test suite: lint, unit tests, server tests, browser tests.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$REPO"

declare -a SUMMARY=()
started=$SECONDS
LOGS="$(mktemp -d)"
step() {
  local name="$1"; shift
  local t0=$SECONDS log="$LOGS/step.log" counts
  echo
  echo "==== $name"
  if "$@" 2>&1 | tee "$log"; then
    status=PASS
  else
    status=FAIL
    FAILED=1
  fi
  # pytest's last line, e.g. "145 passed, 13 skipped in 19.09s"
  counts="$(grep -E '^=*\s*[0-9]+ (passed|failed|error)' "$log" | tail -n 1 | tr -d '=' | xargs || true)"
  SUMMARY+=("$status  $name ($((SECONDS - t0)) s)${counts:+  [$counts]}")
  TOTAL_PASSED=$((TOTAL_PASSED + $(count_of passed "$counts")))
  TOTAL_FAILED=$((TOTAL_FAILED + $(count_of failed "$counts") + $(count_of error "$counts")))
  TOTAL_SKIPPED=$((TOTAL_SKIPPED + $(count_of skipped "$counts")))
}
# "3 failed, 10 passed, 2 errors in 1.2s" -> the number before the word, or 0
count_of() { grep -oE "[0-9]+ $1" <<<"$2" | grep -oE '^[0-9]+' || echo 0; }
FAILED=0
TOTAL_PASSED=0
TOTAL_FAILED=0
TOTAL_SKIPPED=0

print_summary() {
  echo
  echo "==== summary ($((SECONDS - started)) s)"
  printf '%s\n' "${SUMMARY[@]}"
  echo
  echo "tests: $TOTAL_PASSED passed, $TOTAL_FAILED failed, $TOTAL_SKIPPED skipped"
}

step "install" bash scripts/install.sh || true
if [ "$FAILED" = 1 ]; then
  print_summary
  exit 1
fi
# shellcheck disable=SC1091
source "$VENV/bin/activate"

lint_python() {
  local rc=0
  ruff check qrt_lab tests ui-tests benchmarks || rc=1
  ruff format --check qrt_lab tests ui-tests benchmarks || rc=1
  lint-imports || rc=1
  return "$rc"
}
# every module of qrt_lab, with the settings of pyproject.toml (strict on qrt_lab/runtime)
typecheck() {
  mypy
}
# ruff fails on a missing path; benchmarks/ may still be empty in git.
mkdir -p benchmarks
step "lint: ruff" lint_python
step "lint: mypy qrt_lab" typecheck
step "lint: tsc, eslint, prettier" jlpm lint
step "frontend unit tests (node --test)" jlpm test
step "package: wheel from a clean clone" bash scripts/check_wheel.sh
step "pytest: unit" python -m pytest tests --ignore=tests/server --ignore=tests/examples -q
# the notebooks in examples/, each executed in a kernel and exported to HTML (a few minutes)
step "pytest: example notebooks" python -m pytest tests/examples -q --durations=0
# pytest-jupyter runs the server on its own loop: a separate run (recipe pitfall 9), and strict
# asyncio mode so pytest-asyncio does not run the tests on another loop (requests would hang).
step "pytest: server" python -m pytest -p pytest_jupyter.jupyter_server -o asyncio_mode=strict tests/server -q
step "pytest: browser" python -m pytest ui-tests -q
# a job every 2 s for 2 minutes while the events websocket watches: nothing lost or duplicated
step "soak: 2 minutes (benchmarks/bench_soak.py)" python benchmarks/bench_soak.py 2 2
# qiskit-ibm-runtime's own test/integration against the local service (~3-5 min on 2 cores)
step "official client's integration suite" bash scripts/official_suite.sh

print_summary
exit "$FAILED"
