"""ASGI middleware of the API: limits and messages that apply before any endpoint runs."""

import sys

from fastapi import HTTPException
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .errors import PipelineError, one_line


class BodySizeLimit:
    """Answer 413 to request bodies over `max_bytes`, before anything parses them.

    Content-Length is checked first; a body sent without it (chunked) is counted as it arrives.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    def detail(self) -> str:
        return f"request body too large: the limit is {self.max_bytes} bytes (serve.max_body_bytes)"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope["headers"]).get(b"content-length", b"")
        if length.isdigit() and int(length) > self.max_bytes:
            response = JSONResponse(status_code=413, content={"detail": self.detail()})
            await response(scope, receive, send)
            return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_bytes:
                # Raised inside the endpoint's body read, so FastAPI turns it into the response.
                raise HTTPException(status_code=413, detail=self.detail())
            return message

        await self.app(scope, counting_receive, send)


class OneLineStartupError:
    """Report a model that cannot be loaded in one line, not a traceback (unless -v).

    When the lifespan fails, Starlette hands the server the whole traceback, which uvicorn
    prints. For an error the user can fix (a `PipelineError`), its message says all there is to
    say; anything else is named by type and message. Starlette sends the failure while it
    handles the exception, so `sys.exc_info` has it.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "lifespan":
            await self.app(scope, receive, send)
            return

        async def short_send(message: Message) -> None:
            error = sys.exc_info()[1]
            if message["type"] == "lifespan.startup.failed" and error is not None:
                if isinstance(error, PipelineError):
                    short = str(error)
                else:
                    short = f"{one_line(error)} (run with -v for the traceback)"
                message = {**message, "message": short}
            await send(message)

        await self.app(scope, receive, short_send)
