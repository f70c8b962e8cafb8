"""Request handlers of the qrt-lab server extension, one class per endpoint."""
