"""A running JupyterLab as the browser tests see it (shared by conftest and the tests)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import httpx


@dataclass(frozen=True)
class Lab:
    """A running JupyterLab: where it is and how to authenticate."""

    base: str
    token: str
    log: Path

    @property
    def url(self) -> str:
        """The JupyterLab page, logged in through the token."""
        return f"{self.base}/lab?token={self.token}"

    def api(self) -> httpx.Client:
        """An HTTP client authenticated with the token (bypasses XSRF, as a script would)."""
        return httpx.Client(
            base_url=self.base, headers={"Authorization": f"token {self.token}"}, timeout=30
        )

    def log_tail(self, lines: int = 40) -> str:
        """The end of the server log, with the token redacted."""
        text = self.log.read_text(errors="replace").replace(self.token, "<token>")
        return "\n".join(text.splitlines()[-lines:])
