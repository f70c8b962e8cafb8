#!/usr/bin/env bash
# Retake the README's screenshots: run the browser tests that take them (light theme, system
# Chromium), then copy them to docs/images/. Commit the result when the UI changed.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$REPO"
# shellcheck disable=SC1091
source "$VENV/bin/activate"
python -m pytest -q ui-tests/test_ui_runtime.py ui-tests/test_ui_widgets.py \
  -k "backends_and_coupling_map or sampler_job_from_a_kernel or every_widget"
shots="$REPO/ui-tests/artifacts"
mkdir -p docs/images
cp "$shots/runtime-coupling-map-light.png" docs/images/sidebar-coupling-map.png
cp "$shots/runtime-histogram-light.png" docs/images/sidebar-job-histogram.png
cp "$shots/runtime-estimator-light.png" docs/images/sidebar-estimator-plot.png
cp "$shots/widget-histogram-light.png" docs/images/widget-histogram.png
cp "$shots/widget-expectation-light.png" docs/images/widget-expectation.png
ls -l docs/images
