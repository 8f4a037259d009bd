"""http(s) URLs to bytes, with a timeout, a size limit and one clear error per failure."""

from __future__ import annotations

import socket
import ssl
import time
import urllib.error
import urllib.parse
import urllib.request
from http.client import HTTPException
from http.client import responses as http_reasons

from briefing import __version__
from briefing.errors import FetchError
from briefing.sources.read import RawDocument, too_big

_CHUNK = 64 * 1024
_USER_AGENT = f"briefing/{__version__} (+offline audio briefings; article reader)"


def _timed_out(url: str, timeout: float) -> FetchError:
    return FetchError(
        f"{url}: timed out after {timeout:g} s",
        hint="the server is slow or unreachable; try again later",
    )


def _connect_error(url: str, reason: object, timeout: float) -> FetchError:
    host = urllib.parse.urlsplit(url).hostname or url
    if isinstance(reason, socket.gaierror):
        return FetchError(
            f"{url}: cannot resolve host {host} (DNS lookup failed)",
            hint="check the address and your network connection",
        )
    if isinstance(reason, TimeoutError):
        return _timed_out(url, timeout)
    if isinstance(reason, ConnectionRefusedError):
        return FetchError(f"{url}: connection refused by {host}")
    if isinstance(reason, ssl.SSLError):
        return FetchError(f"{url}: TLS error ({reason.reason or reason})")
    text = getattr(reason, "strerror", None) or str(reason)
    return FetchError(f"{url}: cannot connect ({text})")


def fetch(url: str, *, timeout: float, max_bytes: int) -> RawDocument:
    """Download a URL; the whole transfer, not just each read, must finish within `timeout`."""
    deadline = time.monotonic() + timeout
    request = urllib.request.Request(url, headers={"User-Agent": _USER_AGENT, "Accept": "*/*"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise too_big(url, int(length), max_bytes, FetchError)
            chunks: list[bytes] = []
            received = 0
            while chunk := response.read1(_CHUNK):  # what has arrived, so the deadline holds
                chunks.append(chunk)
                received += len(chunk)
                if received > max_bytes:
                    raise too_big(url, None, max_bytes, FetchError)
                if time.monotonic() > deadline:
                    raise _timed_out(url, timeout)
            return RawDocument(
                source=url,
                data=b"".join(chunks),
                content_type=response.headers.get("Content-Type"),
                url=response.geturl(),
            )
    except urllib.error.HTTPError as exc:
        reason = exc.reason or http_reasons.get(exc.code, "")
        raise FetchError(f"{url}: HTTP {exc.code} {reason}".rstrip()) from None
    except urllib.error.URLError as exc:
        raise _connect_error(url, exc.reason, timeout) from None
    except TimeoutError:
        raise _timed_out(url, timeout) from None
    except ValueError:
        raise FetchError(f"{url}: not a valid URL") from None
    except (OSError, HTTPException) as exc:
        raise FetchError(f"{url}: the download failed ({type(exc).__name__}: {exc})") from None
