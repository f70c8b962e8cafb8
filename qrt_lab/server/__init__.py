"""jupyter-server extension: authenticated REST routes under ``/qrt-lab/`` (tornado lives here)."""
