"""A real Neo4j 5.26 for the tests, in a child JVM (no Docker): build, start, wait, stop.

The launcher under ``tests/neo4j-launcher`` is built once with Maven (cached in ~/.m2; the
build is skipped while the jar is newer than its sources). When ``NEO4J_URI`` is set, the
tests use that server instead (``NEO4J_USERNAME`` / ``NEO4J_PASSWORD``); the tests clear
its database, so point it at a throwaway server.
"""

from __future__ import annotations

import atexit
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Settings", "Neo4jServer", "build_launcher", "shared_settings", "stop_shared", "LAUNCHER"]

LAUNCHER = Path(__file__).resolve().parent / "neo4j-launcher"
JAR = LAUNCHER / "target" / "neo4j-launcher.jar"
PASSWORD = "graphkg-test-pw"
# Short-lived test servers: C1 only starts faster and plans cold queries sooner on 2 cores.
TEST_JVM_FLAGS = ("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")


@dataclass(frozen=True)
class Settings:
    """How to reach a server."""

    uri: str
    user: str
    password: str


def _newest_source() -> float:
    files = [LAUNCHER / "pom.xml", *(LAUNCHER / "src").rglob("*")]
    return max(f.stat().st_mtime for f in files if f.is_file())


def build_launcher() -> Path:
    """Build the launcher jar unless it is newer than its sources; return its path."""
    if JAR.exists() and (LAUNCHER / "target" / "lib").is_dir() and JAR.stat().st_mtime > _newest_source():
        return JAR
    mvn = shutil.which("mvn")
    if mvn is None:
        raise RuntimeError("Maven (mvn) is not installed; run scripts/system-deps.sh")
    out = ""
    for offline in (["-o"], []):  # offline first: everything is usually in ~/.m2 already
        proc = subprocess.run([mvn, "-q", "-B", *offline, "package"], cwd=LAUNCHER, capture_output=True,
                              text=True, timeout=1800)
        if proc.returncode == 0 and JAR.exists():
            JAR.touch()
            return JAR
        out = proc.stdout[-3000:] + proc.stderr[-3000:]
    raise RuntimeError(f"building the Neo4j launcher failed:\n{out}")


class Neo4jServer:
    """One launcher process on a data directory; can be stopped and restarted on the same port."""

    def __init__(self, data_dir: Path, password: str = PASSWORD,
                 jvm_flags: tuple[str, ...] = TEST_JVM_FLAGS) -> None:
        self.data_dir = data_dir
        self.jvm_flags = jvm_flags
        self.password = password
        self.port = 0
        self.proc: subprocess.Popen[str] | None = None

    @property
    def settings(self) -> Settings:
        return Settings(f"bolt://127.0.0.1:{self.port}", "neo4j", self.password)

    def start(self, timeout: float = 180.0) -> Settings:
        """Start (or restart) the server; return once Bolt accepts an authenticated query."""
        jar = build_launcher()
        java = shutil.which("java") or "java"
        env = dict(os.environ, NEO4J_LAUNCHER_PASSWORD=self.password)
        log = (self.data_dir.parent / f"{self.data_dir.name}-launcher.log").open("a")
        self.proc = subprocess.Popen(
            [java, "-Xmx1g", *self.jvm_flags, "-jar", str(jar), str(self.port), str(self.data_dir)],
            stdout=subprocess.PIPE, stderr=log, text=True, env=env)
        log.close()
        self.port = self._await_ready(timeout)
        self._await_bolt(timeout)
        return self.settings

    def _await_ready(self, timeout: float) -> int:
        assert self.proc is not None and self.proc.stdout is not None
        box: list[str] = []
        reader = threading.Thread(target=lambda: box.append(self.proc.stdout.readline()), daemon=True)  # type: ignore[union-attr]
        reader.start()
        reader.join(timeout)
        line = box[0].strip() if box else ""
        if not line.startswith("ready"):
            log = self.data_dir.parent / f"{self.data_dir.name}-launcher.log"
            code = self.proc.poll()
            self.stop()
            if line.startswith("failed "):
                raise RuntimeError(f"Neo4j launcher failed to start: {line.removeprefix('failed ')} (log: {log})")
            if code is not None or box:
                raise RuntimeError(f"Neo4j launcher exited (status {code}) before it was ready; see {log}")
            raise RuntimeError(f"Neo4j launcher did not report ready within {timeout:.0f}s; see {log}")
        return int(line.split()[1])

    def _await_bolt(self, timeout: float) -> None:
        import neo4j

        deadline = time.monotonic() + timeout
        while True:
            try:
                with neo4j.GraphDatabase.driver(self.settings.uri, auth=("neo4j", self.password)) as d:
                    d.verify_connectivity()
                    return
            except Exception:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)

    def stop(self, timeout: float = 60.0) -> None:
        """SIGTERM (clean shutdown through the launcher's hook), SIGKILL after ``timeout``."""
        proc, self.proc = self.proc, None
        if proc is None or proc.poll() is not None:
            return
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
        if proc.stdout is not None:
            proc.stdout.close()


_shared: dict[str, object] = {}


def shared_settings() -> Settings:
    """The session's server: ``NEO4J_URI`` when set, else one launcher started on first use."""
    if os.environ.get("NEO4J_URI"):
        return Settings(os.environ["NEO4J_URI"], os.environ.get("NEO4J_USERNAME", "neo4j"),
                        os.environ.get("NEO4J_PASSWORD", ""))
    if "error" in _shared:  # do not wait for a broken launcher once per test
        raise RuntimeError(str(_shared["error"]))
    server = _shared.get("server")
    if server is None:
        tmp = Path(tempfile.mkdtemp(prefix="graphkg-neo4j-"))
        server = Neo4jServer(tmp / "db")
        _shared.update(server=server, tmp=tmp)
        atexit.register(stop_shared)
        try:
            server.start()
        except Exception as err:
            _shared["error"] = err
            raise
    assert isinstance(server, Neo4jServer)
    return server.settings


def stop_shared() -> None:
    """Stop the session's launcher (if any) and delete its temporary directory."""
    server = _shared.pop("server", None)
    tmp = _shared.pop("tmp", None)
    if isinstance(server, Neo4jServer):
        server.stop()
    if isinstance(tmp, Path):
        shutil.rmtree(tmp, ignore_errors=True)
