"""Headless Chromium for maps: PNG snapshots, and a small DevTools session for checks and benchmarks.

Every browser runs with a fresh profile, no background networking, and a host resolver that
fails every name except localhost, so a page can never fetch anything from outside. The
process group is killed on exit, also after errors.

The session speaks the Chrome DevTools Protocol over ``--remote-debugging-pipe`` (file
descriptors 3 and 4, NUL-separated JSON), so it needs neither chromedriver nor a websocket
library.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any

from graphkg.errors import BrowserError, printable

__all__ = ["BrowserError", "chromium_path", "chromium_flags", "screenshot", "Session"]

BLOCK_HOSTS = "MAP * ~NOTFOUND, EXCLUDE localhost"


def chromium_path() -> str:
    """The Chromium executable (``$GRAPHKG_CHROMIUM``, else ``chromium`` on PATH).

    Raises:
        BrowserError: none found; the message says how to install it.
    """
    chosen = os.environ.get("GRAPHKG_CHROMIUM")
    if chosen:
        exe = shutil.which(chosen)
        if exe is None:
            raise BrowserError(f"GRAPHKG_CHROMIUM={chosen} is not an executable; point it at Chromium "
                               "or unset it to use `chromium` from PATH")
        return exe
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if not exe:
        raise BrowserError("no chromium executable found; install Debian's `chromium` "
                           "(scripts/system-deps.sh) or set GRAPHKG_CHROMIUM")
    return exe


def chromium_flags(profile: str, width: int = 1600, height: int = 1000) -> list[str]:
    """Flags for an isolated headless run (fresh profile, external hosts blocked)."""
    return ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-default-apps", "--disable-extensions", "--mute-audio", "--hide-scrollbars",
            f"--host-resolver-rules={BLOCK_HOSTS}", f"--user-data-dir={profile}",
            f"--window-size={width},{height}"]


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # the group holds the renderer/GPU children too
        except ProcessLookupError:
            pass
    proc.wait(timeout=30)


def screenshot(page: Path, png: Path | None = None, *, width: int = 1600, height: int = 1000,
               budget_ms: int = 5000, timeout: float = 180.0) -> bytes:
    """Render the HTML file ``page`` as PNG bytes (virtual time lets the map finish drawing),
    also written to ``png`` when given.

    Raises:
        BrowserError: Chromium is missing, fails, or writes no picture.
    """
    with tempfile.TemporaryDirectory(prefix="graphkg-chromium-") as profile:
        out = Path(profile) / "shot.png"
        cmd = [chromium_path(), *chromium_flags(profile, width, height),
               f"--virtual-time-budget={budget_ms}", f"--screenshot={out}", page.resolve().as_uri()]
        try:
            proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
        except OSError as exc:
            raise BrowserError(f"cannot start {cmd[0]} ({exc.strerror or exc})") from None
        try:
            _, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise BrowserError(f"no screenshot of {page} within {timeout:.0f} s") from None
        finally:
            _stop(proc)
        if not out.exists() or out.stat().st_size == 0:
            tail = printable(err.decode("utf-8", "replace").strip()[-160:]) if err else "no message"
            raise BrowserError(f"no screenshot written for {page}: {tail}")
        data = out.read_bytes()
    if png is not None:
        png.write_bytes(data)
    return data


def _high(fds: tuple[int, int]) -> tuple[int, int]:
    """Move a pipe's ends above 9, so bash's ``3<&x 4>&y`` redirections cannot clash (dash refuses fds > 9)."""
    import fcntl

    out = tuple(fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10) for fd in fds)
    for fd in fds:
        os.close(fd)
    return out[0], out[1]


class Session:
    """One headless Chromium and one page, driven over the DevTools protocol.

    Records every request the page makes (``requests``), console errors and uncaught
    exceptions (``errors``). Use as a context manager: the browser is always stopped.
    """

    def __init__(self, *, width: int = 1400, height: int = 900, timeout: float = 60.0) -> None:
        self.timeout = timeout
        self.requests: list[str] = []
        self.errors: list[str] = []
        self._profile = tempfile.TemporaryDirectory(prefix="graphkg-chromium-")
        self._next = 0
        self._replies: dict[int, dict[str, Any]] = {}
        self._events: list[dict[str, Any]] = []
        self._cond = threading.Condition()
        to_browser_r, self._to_browser = _high(os.pipe())
        self._from_browser, from_browser_w = _high(os.pipe())
        script = f'exec "$0" "$@" 3<&{to_browser_r} 4>&{from_browser_w}'
        cmd = [shutil.which("bash") or "/bin/bash", "-c", script, chromium_path(),
               *chromium_flags(self._profile.name, width, height), "--remote-debugging-pipe", "about:blank"]
        self._proc = subprocess.Popen(cmd, pass_fds=(to_browser_r, from_browser_w), start_new_session=True,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        try:
            target = self.call("Target.createTarget", url="about:blank")["targetId"]
            self._sid = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
            for domain in ("Page", "Runtime", "Network", "Log"):
                self.call(f"{domain}.enable", session=True)
        except BaseException:
            self.close()
            raise

    def __enter__(self) -> Session:
        return self

    def __exit__(self, t: type[BaseException] | None, v: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def _read(self) -> None:
        buf = b""
        while True:
            try:
                chunk = os.read(self._from_browser, 1 << 16)
            except OSError:
                chunk = b""
            if not chunk:
                with self._cond:
                    self._events.append({"method": "closed"})
                    self._cond.notify_all()
                return
            buf += chunk
            *messages, buf = buf.split(b"\0")
            with self._cond:
                for raw in messages:
                    msg = json.loads(raw)
                    if "id" in msg:
                        self._replies[msg["id"]] = msg
                    else:
                        self._record(msg)
                        self._events.append(msg)
                self._cond.notify_all()

    def _record(self, msg: dict[str, Any]) -> None:
        method, params = msg.get("method"), msg.get("params", {})
        if method == "Network.requestWillBeSent":
            self.requests.append(params["request"]["url"])
        elif method == "Runtime.exceptionThrown":
            d = params["exceptionDetails"]
            self.errors.append(f"exception: {d.get('exception', {}).get('description') or d.get('text')}")
        elif method == "Runtime.consoleAPICalled" and params.get("type") in {"error", "assert"}:
            self.errors.append("console: " + " ".join(str(a.get("value", a.get("description")))
                                                      for a in params.get("args", [])))
        elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
            self.errors.append(f"log: {params['entry'].get('text')} {params['entry'].get('url', '')}")

    def _wait(self, ready: Callable[[], Any], what: str, timeout: float | None = None) -> Any:
        deadline = time.monotonic() + (timeout or self.timeout)
        with self._cond:
            while True:
                found = ready()
                if found is not None:
                    return found
                if any(e.get("method") == "closed" for e in self._events):
                    raise BrowserError(f"browser exited while waiting for {what}")
                left = deadline - time.monotonic()
                if left <= 0:
                    raise BrowserError(f"timed out waiting for {what}")
                self._cond.wait(left)

    def call(self, method: str, session: bool = False, **params: Any) -> dict[str, Any]:
        """Send one protocol command and return its result."""
        with self._cond:
            self._next += 1
            ident = self._next
        msg: dict[str, Any] = {"id": ident, "method": method, "params": params}
        if session:
            msg["sessionId"] = self._sid
        try:
            os.write(self._to_browser, json.dumps(msg).encode() + b"\0")
        except OSError as err:
            raise BrowserError(f"cannot send {method}: {err}") from None
        reply = self._wait(lambda: self._replies.pop(ident, None), method)
        if "error" in reply:
            raise BrowserError(f"{method}: {reply['error'].get('message')}")
        result: dict[str, Any] = reply.get("result", {})
        return result

    def open(self, url: str) -> None:
        """Navigate and wait for the load event."""
        with self._cond:
            self._events.clear()
        self.call("Page.navigate", session=True, url=url)
        self._wait(lambda: next((e for e in self._events if e.get("method") == "Page.loadEventFired"), None),
                   f"load of {url}")

    def eval(self, expression: str, timeout: float | None = None) -> Any:
        """Evaluate JavaScript in the page (promises awaited) and return its JSON value.

        Raises:
            BrowserError: the expression threw.
        """
        res = self.call("Runtime.evaluate", session=True, expression=expression, returnByValue=True,
                        awaitPromise=True, timeout=int((timeout or self.timeout) * 1000))
        if "exceptionDetails" in res:
            d = res["exceptionDetails"]
            raise BrowserError(f"script failed: {d.get('exception', {}).get('description') or d.get('text')}")
        return res.get("result", {}).get("value")

    def click(self, x: float, y: float) -> None:
        """A real left click at page coordinates (CSS pixels)."""
        for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
            self.call("Input.dispatchMouseEvent", session=True, type=kind, x=x, y=y, button="left",
                      clickCount=1 if kind != "mouseMoved" else 0)

    def close(self) -> None:
        """Stop the browser (its whole process group) and remove the profile."""
        try:
            _stop(self._proc)
            self._reader.join(timeout=10)
        finally:
            for fd in (self._to_browser, self._from_browser):
                try:
                    os.close(fd)
                except OSError:
                    pass
            self._profile.cleanup()
