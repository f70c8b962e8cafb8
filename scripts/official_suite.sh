#!/usr/bin/env bash
# Run qiskit-ibm-runtime's own integration suite (test/integration of its PyPI sdist, unmodified)
# against `qrt-lab local serve`. Nothing of the sdist is kept in this repository: it is downloaded
# with pip into a cache folder ($QRT_SUITE_CACHE, default ~/.cache/qrt-lab/official-suite).
#
# The plugin tests/official_suite/qrt_official_suite.py starts the service (private state dir,
# devices from ../shared/data/devices; skipped cleanly when absent), runs one job, sets the
# client's variables, maps the derived host names onto the service and refuses non-loopback
# connections. These failures are allowed, reported as xfailed with their reason (ALLOWED_FAILURES
# there); any other failure fails the run:
#   test_account.py  test_initializing_service_no_instance  IBM's own plan 'internal', region 'us-east'
#   test_account.py  test_account_plans_preference          IBM's own plan 'internal'
#   test_account.py  test_account_region_preference         IBM's region 'us-east'
#   test_proxies.py  test_proxies_cloud_runtime_client       an https-only proxy
#   test_proxies.py  test_proxies_qiskit_runtime_service     an https-only proxy
# TestFakeBackends (Aer only, never touches the service) is deselected.
#
# The service runs with device timing (`--timing device`), scaled by $QRT_SUITE_TIMING_SCALE
# (default 0.25: a bell job stays RUNNING ~0.5 s instead of the ~2 s it is charged), so the
# suite's timeout tests see jobs that are still QUEUED or RUNNING, as on a device.
#
# Usage: scripts/official_suite.sh [pytest args...]   e.g. -k estimator, or --qrt-serve-arg=...
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VERSION="${QRT_SUITE_VERSION:-0.51.0}"
CACHE="${QRT_SUITE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/qrt-lab/official-suite}"
SUITE_DIR="$CACHE/$VERSION"
PYTHON="${PYTHON:-python}"

# Only test/ and pyproject.toml (its pytest markers) are extracted: the installed client is the one
# under test, not the sdist's copy of the package.
if [ ! -d "$SUITE_DIR/test/integration" ]; then
  mkdir -p "$CACHE" "$SUITE_DIR.tmp"
  # pip prepares the sdist's metadata (building its build requirements): ~30 s, once.
  [ -f "$CACHE/qiskit_ibm_runtime-$VERSION.tar.gz" ] \
    || "$PYTHON" -m pip download --quiet --no-deps --no-binary :all: \
      "qiskit-ibm-runtime==$VERSION" -d "$CACHE"
  tar -xzf "$CACHE/qiskit_ibm_runtime-$VERSION.tar.gz" -C "$SUITE_DIR.tmp" --strip-components=1 \
    "qiskit_ibm_runtime-$VERSION/test" "qiskit_ibm_runtime-$VERSION/pyproject.toml"
  rm -rf "$SUITE_DIR" && mv "$SUITE_DIR.tmp" "$SUITE_DIR"
fi
"$PYTHON" -c "import qiskit_ibm_runtime as q, sys; q.__version__ == sys.argv[1] or sys.exit(
    f'official suite: qiskit-ibm-runtime {q.__version__} is installed; the suite is of {sys.argv[1]}.')" "$VERSION"
# What the tests import beyond the client: the `official-suite` extra of our pyproject.toml.
mapfile -t EXTRA < <("$PYTHON" -c 'import sys, tomllib; print("\n".join(tomllib.load(open(sys.argv[1], "rb"))["project"]["optional-dependencies"]["official-suite"]))' "$REPO/pyproject.toml")
"$PYTHON" -m pip install --quiet "${EXTRA[@]}"

cd "$SUITE_DIR"
# The sdist's pyproject.toml gives pytest its markers (--strict-markers). Run from there so
# `test` is its package; our plugin comes from tests/official_suite.
export PYTHONPATH="$REPO/tests/official_suite${PYTHONPATH:+:$PYTHONPATH}"
exec "$PYTHON" -m pytest test/integration -p qrt_official_suite \
  --qrt-serve-arg=--timing=device --qrt-serve-arg="--timing-scale=${QRT_SUITE_TIMING_SCALE:-0.25}" \
  --deselect test/integration/test_fake_backends.py::TestFakeBackends \
  -p no:cacheprovider --timeout "${QRT_SUITE_TEST_TIMEOUT:-180}" -q -rfEsx "$@"
