"""The optional API key: when API_KEY is set (in the environment or .env), every endpoint but
/health requires the header `Authorization: Bearer <key>`.

The key is compared in constant time (`hmac.compare_digest`, on digests of equal length), so how
long an answer takes says nothing about how much of a guess was right. It is never logged. The
check is FastAPI's HTTPBearer security scheme: the OpenAPI document declares it, with the 401
answer, and the Authorize button of /docs sends the key.

No `from __future__ import annotations` here: FastAPI must see the real dependency in the
check's annotations.
"""

import hashlib
import hmac
import ipaddress
import os
import re
from collections.abc import Awaitable, Callable
from typing import Annotated, Any, NoReturn

from fastapi import Depends, HTTPException
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from .errors import ConfigError
from .schemas import Refusal

API_KEY_VARIABLE = "API_KEY"
#: What a bearer token may hold (RFC 6750): a key with other characters could never be sent.
TOKEN = re.compile(r"[A-Za-z0-9._~+/-]+=*")
MAKE_ONE = "python -c 'import secrets; print(secrets.token_urlsafe(32))'"

#: The answer every protected endpoint lists in the OpenAPI document.
UNAUTHORIZED: dict[int | str, dict[str, Any]] = {
    401: {"model": Refusal, "description": "The API key is missing or wrong."},
}


def api_key_from_environment() -> str | None:
    """The key the API requires (`API_KEY`), or None when it is not set or empty."""
    key = os.environ.get(API_KEY_VARIABLE, "")
    if not key:
        return None
    if not TOKEN.fullmatch(key):
        raise ConfigError(
            f"{API_KEY_VARIABLE} may hold only letters, digits and - . _ ~ + / (then = signs), "
            f"as an HTTP bearer token does; make one with: {MAKE_ONE}"
        )
    return key


def key_check(key: str) -> Callable[..., Awaitable[None]]:
    """A FastAPI dependency that refuses (401) a request without `Authorization: Bearer <key>`."""
    expected = hashlib.sha256(key.encode()).digest()
    bearer = HTTPBearer(
        auto_error=False, description="The API key the server was started with (API_KEY)."
    )

    async def require_key(
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    ) -> None:
        if credentials is None:
            refuse("this API requires a key: send the header 'Authorization: Bearer <key>'")
        given = hashlib.sha256(credentials.credentials.encode()).digest()
        if not hmac.compare_digest(given, expected):
            refuse("wrong API key")

    return require_key


def refuse(detail: str) -> NoReturn:
    raise HTTPException(status_code=401, detail=detail, headers={"WWW-Authenticate": "Bearer"})


def exposure_warning(host: str, key: str | None) -> str | None:
    """What to tell a user who serves beyond this machine without a key, else None."""
    if key or host == "localhost":
        return None
    try:
        if ipaddress.ip_address(host).is_loopback:
            return None
    except ValueError:
        pass  # a host name: it may well be reachable from elsewhere
    return (
        f"serving on {host} without an API key: anyone who can reach it can use the API; "
        f"set {API_KEY_VARIABLE} (e.g. in .env) to require one"
    )
