"""The workbench's local security: any web page the user visits can reach 127.0.0.1.

- Only requests whose Host is 127.0.0.1 or localhost (at the workbench's port) are
  answered, so a rebound DNS name cannot read the pages.
- A random token per start, carried in the opening address, becomes a cookie; every
  request needs it.
- Every request that changes something (POST) must come from the workbench's own
  pages (Origin, else Referer) and carry the form token derived from the start token.
- A request body over the upload limit is refused before it is read.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from urllib.parse import urlsplit

from starlette.datastructures import URL, Headers
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost"})
SAFE_METHODS = frozenset({"GET", "HEAD"})
CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"
HEADERS = {
    "content-security-policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
    ),
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "cache-control": "no-store",
}


def new_token() -> str:
    return secrets.token_urlsafe(32)


def form_token(token: str) -> str:
    """The token each form carries: derived from the start token, never the token itself."""
    return hmac.new(token.encode(), b"form", hashlib.sha256).hexdigest()[:32]


def same(a: str | None, b: str) -> bool:
    return a is not None and hmac.compare_digest(a.encode(), b.encode())


class Guard:
    """ASGI middleware applying the rules above to every HTTP request."""

    def __init__(self, app: ASGIApp, token: str, port: int | None, max_body: int) -> None:
        self.app = app
        self.token = token
        self.port = port
        self.max_body = max_body
        self.cookie = f"docxreport_{port or 'test'}"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        response = self._refusal(scope)
        if response is None:
            await self.app(scope, receive, self._with_headers(send))
            return
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        await response(scope, receive, send)

    def _refusal(self, scope: Scope) -> Response | None:
        headers = Headers(scope=scope)
        host = headers.get("host", "")
        if not self._local(host):
            return PlainTextResponse(
                f"拒绝访问：地址 {host or '（空）'} 不是本机。请用启动时印出的 127.0.0.1 地址打开。",
                400,
            )
        request = Request(scope)
        given = request.query_params.get("token")
        if given is not None and scope["method"] in SAFE_METHODS:
            if not same(given, self.token):
                return _forbidden("访问令牌不对")
            url = URL(scope=scope).remove_query_params("token")
            back = RedirectResponse(url.path + (f"?{url.query}" if url.query else ""), 303)
            back.set_cookie(self.cookie, self.token, httponly=True, samesite="strict", path="/")
            return back
        if not same(request.cookies.get(self.cookie), self.token):
            return _forbidden("没有访问令牌")
        if scope["method"] not in SAFE_METHODS:
            origin = headers.get("origin") or _origin(headers.get("referer", ""))
            if origin != f"http://{host}":
                return _forbidden("请求不是来自本工作台的页面")
            length = headers.get("content-length")
            if length is None or not length.isdigit():
                return PlainTextResponse("请求缺少长度（Content-Length）", 411)
            if int(length) > self.max_body:
                mb = self.max_body // (1024 * 1024)
                return PlainTextResponse(f"上传的文件太大：一次最多 {mb} MB", 413)
        return None

    def _local(self, host: str) -> bool:
        name, _, port = host.rpartition(":") if host.count(":") == 1 else (host, "", "")
        if not name:
            name, port = host, ""
        if name not in LOCAL_HOSTS:
            return False
        return self.port is None or port == str(self.port)

    def _with_headers(self, send: Send) -> Send:
        async def sending(message: dict) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                extra = [
                    (k.encode(), v.encode())
                    for k, v in HEADERS.items()
                    if k.encode() not in present
                ]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        return sending


def _origin(referer: str) -> str | None:
    if not referer:
        return None
    parts = urlsplit(referer)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None


def _forbidden(why: str) -> Response:
    return PlainTextResponse(
        f"拒绝访问：{why}。请用启动 docxreport ui 时终端里印出的完整地址（含 token）打开工作台。",
        403,
    )


def check_form_token(token: str, submitted: str | None) -> bool:
    return same(submitted, form_token(token))
