"""A headless Chromium driven over the DevTools protocol, for testing the HTML report.

The protocol runs over ``--remote-debugging-pipe`` (the browser reads commands from fd 3
and writes replies and events to fd 4, each message a JSON text ended by a NUL byte), so
only the standard library is needed: no websocket client, no port. Runtime and Log events
are collected from before the page loads, so an uncaught exception, a ``console.error``
and a blocked or failed fetch are all seen.
"""
from __future__ import annotations

import base64
import fcntl
import json
import os
import queue
import shutil
import subprocess
import threading
from pathlib import Path
from typing import Any, Dict, List, Optional

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")


def find_chromium() -> Optional[str]:
    """The browser executable: $NOGRAD_CHROMIUM, else the first on PATH."""
    explicit = os.environ.get("NOGRAD_CHROMIUM")
    if explicit:
        return explicit
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


class BrowserError(RuntimeError):
    pass


class Chromium:
    def __init__(self, executable: str, profile: Path, width: int = 1280, height: int = 900) -> None:
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()

        def wire_fds() -> None:  # in the child: the pipe ends at fds 3 and 4
            a = fcntl.fcntl(to_browser_r, fcntl.F_DUPFD, 10)  # above 4, so dup2 cannot clobber
            b = fcntl.fcntl(from_browser_w, fcntl.F_DUPFD, 10)
            os.dup2(a, 3)
            os.dup2(b, 4)

        self.proc = subprocess.Popen(
            [executable, "--headless", "--remote-debugging-pipe", "--no-sandbox", "--disable-gpu",
             "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--mute-audio",
             "--hide-scrollbars", f"--user-data-dir={profile}", f"--window-size={width},{height}", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            preexec_fn=wire_fds, close_fds=False)
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._next_id = 0
        self._replies: Dict[int, "queue.Queue[Dict[str, Any]]"] = {}
        self._events: "queue.Queue[Dict[str, Any]]" = queue.Queue()
        self._lock = threading.Lock()
        self._stderr: List[bytes] = []
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=lambda: self._stderr.extend(self.proc.stderr), daemon=True).start()
        self.errors: List[str] = []
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Runtime", "Log", "Page"):
            self.send(f"{domain}.enable", session=True)

    def _read(self) -> None:
        buf = b""
        while True:
            chunk = os.read(self._from_browser, 1 << 16)
            if not chunk:
                break
            buf += chunk
            while b"\0" in buf:
                raw, buf = buf.split(b"\0", 1)
                msg = json.loads(raw)
                if "id" in msg:
                    with self._lock:
                        box = self._replies.get(msg["id"])
                    if box is not None:
                        box.put(msg)
                else:
                    self._events.put(msg)

    def send(self, method: str, params: Optional[Dict[str, Any]] = None, session: bool = False,
             timeout: float = 60) -> Dict[str, Any]:
        with self._lock:
            self._next_id += 1
            ident = self._next_id
            box: "queue.Queue[Dict[str, Any]]" = queue.Queue()
            self._replies[ident] = box
        msg: Dict[str, Any] = {"id": ident, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = self.session
        os.write(self._to_browser, json.dumps(msg).encode() + b"\0")
        try:
            reply = box.get(timeout=timeout)
        except queue.Empty:
            raise BrowserError(f"no reply to {method} in {timeout}s; browser stderr: "
                               f"{b''.join(self._stderr)[-2000:].decode(errors='replace')}") from None
        if "error" in reply:
            raise BrowserError(f"{method}: {reply['error']}")
        return reply.get("result", {})

    def _drain(self, until: Optional[str] = None, timeout: float = 60) -> None:
        """Record console errors from the events so far; with ``until``, wait for that event."""
        while True:
            try:
                event = self._events.get(timeout=timeout if until else 0.2)
            except queue.Empty:
                if until:
                    raise BrowserError(f"no {until} event in {timeout}s") from None
                return
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.exceptionThrown":
                details = params["exceptionDetails"]
                text = details.get("exception", {}).get("description") or details.get("text")
                self.errors.append(f"uncaught exception: {text}")
            elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                args = " ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", []))
                self.errors.append(f"console.{params['type']}: {args}")
            elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
                entry = params["entry"]
                self.errors.append(f"{entry.get('source')}: {entry.get('text')} {entry.get('url', '')}".strip())
            if until and method == until:
                return

    def open(self, path: Path) -> None:
        """Load a file and wait for its load event (and a moment for late errors)."""
        self._drain()
        self.errors = []  # errors are per page
        self.send("Page.navigate", {"url": path.resolve().as_uri()}, session=True)
        self._drain(until="Page.loadEventFired")
        self.evaluate("new Promise(r => requestAnimationFrame(() => setTimeout(r, 50)))")
        self._drain()

    def evaluate(self, expression: str) -> Any:
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                                "awaitPromise": True}, session=True)
        if "exceptionDetails" in result:
            raise BrowserError(f"{expression!r}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def console_errors(self) -> List[str]:
        self._drain()
        return list(self.errors)

    def screenshot(self, path: Path, max_height: Optional[int] = None) -> None:
        """The whole page from the top (at most ``max_height`` pixels of it) as PNG."""
        width, height = self.evaluate("[document.documentElement.scrollWidth, "
                                      "document.documentElement.scrollHeight]")
        clip = {"x": 0, "y": 0, "width": width, "height": min(height, max_height or height), "scale": 1}
        params: Dict[str, Any] = {"format": "png", "captureBeyondViewport": True, "clip": clip}
        data = self.send("Page.captureScreenshot", params, session=True)["data"]
        path.write_bytes(base64.b64decode(data))

    def close(self) -> None:
        try:
            self.send("Browser.close", timeout=10)
        except (BrowserError, OSError):
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        for fd in (self._to_browser, self._from_browser):
            try:
                os.close(fd)
            except OSError:
                pass
