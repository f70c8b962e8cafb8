"""What a person sees of runtime data: pure, qiskit-free shaping used by the server and widgets.

``jobs`` (job rows, job and session detail), ``job_events`` (the diff of two job listings),
``backends`` (backend rows and detail), ``calibration`` (per-qubit/edge arrays, CSV),
``results`` (top-k counts per register, expectation-value arrays) and ``reasons`` (reason codes
in plain language).
"""
