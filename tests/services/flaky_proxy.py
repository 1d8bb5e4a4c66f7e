"""A real HTTP proxy on a loopback port that loses one answer, to test what a client does when a request
succeeded on the server but its answer never came back (the case retries must survive without harm)."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx


class FlakyProxy:
    """A real HTTP proxy on a loopback port that loses the answer to the first successful POST."""

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream
        self.lost = 0
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def forward(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                headers = {
                    k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length")
                }
                answer = httpx.request(
                    self.command, proxy.upstream + self.path, content=body, headers=headers, timeout=30
                )
                status, content = answer.status_code, answer.content
                if (
                    self.command == "POST"
                    and answer.is_success
                    and "graph-crud" in self.path
                    and not proxy.lost
                ):
                    proxy.lost += 1
                    status, content = 503, b"perdu"
                self.send_response(status)
                for name in ("WWW-Authenticate", "Content-Type"):
                    if name in answer.headers:
                        self.send_header(name, answer.headers[name])
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)

            do_GET = do_PUT = do_POST = do_DELETE = forward  # noqa: N815

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> FlakyProxy:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
