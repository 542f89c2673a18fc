"""The browser tests' live server runs one request at a time.

Its test database is SQLite in memory, shared with the server's threads
through one connection: a page and a request the browser sends alongside it
(an htmx fragment, the favicon) used that connection at once ("bad parameter
or other API misuse"). A lock around the application makes them queue.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import LiveServerThread

_ONE_AT_A_TIME = threading.Lock()


class _OneRequestAtATimeServer(ThreadedWSGIServer):
    def set_app(self, application: Any) -> None:
        def locked(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
            with _ONE_AT_A_TIME:
                response = application(environ, start_response)
                # Read the whole answer inside the lock (a template renders lazily).
                try:
                    return [b"".join(response)]
                finally:
                    close = getattr(response, "close", None)
                    if close is not None:
                        close()

        super().set_app(locked)


LiveServerThread.server_class = _OneRequestAtATimeServer
