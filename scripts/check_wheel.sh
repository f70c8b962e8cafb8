#!/usr/bin/env bash
# Build a wheel from a clean clone (no node_modules, no built frontend) and check that it carries
# the prebuilt labextension and the file that enables the server extension.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
git clone -q "$REPO" "$work/src"
python -m pip wheel --no-deps -q -w "$work/dist" "$work/src"
wheel="$(ls "$work"/dist/qrt_lab-*.whl)"
listing="$(python -m zipfile -l "$wheel")"
missing=0
for path in \
  "data/share/jupyter/labextensions/qrt-lab/package.json" \
  "data/share/jupyter/labextensions/qrt-lab/install.json" \
  "data/share/jupyter/labextensions/qrt-lab/static/style.js" \
  "data/etc/jupyter/jupyter_server_config.d/qrt_lab.json" \
  "qrt_lab/_version.py"; do
  if grep -q "$path" <<<"$listing"; then
    echo "ok       $path"
  else
    echo "MISSING  $path"
    missing=1
  fi
done
echo "wheel: $(basename "$wheel") ($(du -k "$wheel" | cut -f1) KiB)"
exit "$missing"
