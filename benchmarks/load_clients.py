"""The load generators of ``bench_server_load.py``: raw asyncio HTTP/1.1 and tornado's client.

Not a benchmark itself. ``browser`` keeps connections alive and sends the login cookie, as the
sidebar's browser does; ``cold`` opens a connection per call with the token; ``tornado`` is the
previous generator (see ``bench_server_load.py``).
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from urllib.parse import urlsplit

import httpx
from bench_server_common import LabServer
from tornado.httpclient import AsyncHTTPClient, HTTPRequest


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of process ``pid`` so far (Linux ``/proc``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class RawHttp:
    """GETs over raw asyncio sockets: kept-alive connections (``browser``) or one per call."""

    def __init__(self, server: LabServer, headers: dict[str, str], keep_alive: bool) -> None:
        parts = urlsplit(server.url)
        self.host, self.port = str(parts.hostname), int(parts.port or 80)
        self.keep_alive = keep_alive
        close = "" if keep_alive else "Connection: close\r\n"
        lines = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        self.head = f" HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n{close}{lines}\r\n".encode()
        self.idle: asyncio.Queue[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = (
            asyncio.Queue()
        )
        self.opened: list[asyncio.StreamWriter] = []

    async def open(self, connections: int) -> None:
        """Open the kept-alive connections (before the burst, as a browser holds them)."""
        for _ in range(connections if self.keep_alive else 0):
            reader, writer = await asyncio.open_connection(self.host, self.port)
            self.opened.append(writer)
            self.idle.put_nowait((reader, writer))

    async def get(self, url: str) -> int:
        """The status code of ``GET url`` (the body is read and dropped)."""
        parts = urlsplit(url)
        target = (parts.path + (f"?{parts.query}" if parts.query else "")).encode()
        if self.keep_alive:
            reader, writer = await self.idle.get()
        else:
            reader, writer = await asyncio.open_connection(self.host, self.port)
        try:
            writer.write(b"GET " + target + self.head)
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n"):
                if line[:15].lower() == b"content-length:":
                    length = int(line[15:])
            await reader.readexactly(length)
            return int(head[9:12])
        finally:
            if self.keep_alive:
                self.idle.put_nowait((reader, writer))
            else:
                writer.close()

    async def aclose(self) -> None:
        """Close the kept-alive connections."""
        for writer in self.opened:
            writer.close()


class LoadClient:
    """GET through one of :data:`GENERATORS`."""

    def __init__(self, kind: str, server: LabServer, calls: int, cookie: str) -> None:
        self.kind = kind
        self.headers = server.headers
        self.raw = RawHttp(
            server, {"Cookie": cookie} if kind == "browser" else server.headers, kind == "browser"
        )
        self.tornado = AsyncHTTPClient(force_instance=True, max_clients=calls)

    async def get(self, url: str) -> int:
        """The status code of ``GET url`` (transport errors raise)."""
        if self.kind != "tornado":
            return await self.raw.get(url)
        reply = await self.tornado.fetch(
            HTTPRequest(url, headers=self.headers, request_timeout=60), raise_error=False
        )
        if reply.code == 599:  # tornado's code for a transport error
            raise ConnectionError(str(reply.error))
        return int(reply.code)

    async def aclose(self) -> None:
        """Close both clients."""
        await self.raw.aclose()
        self.tornado.close()


def login_cookie(server: LabServer) -> str:
    """The ``Cookie`` header a browser sends after logging in with the token."""
    reply = httpx.get(server.api("version"), headers=server.headers, timeout=30)
    return "; ".join(f"{name}={value}" for name, value in reply.cookies.items())
