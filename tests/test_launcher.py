"""The launcher on a checkout that was never built, as the README's first command meets it."""

import os
import signal
import subprocess
import tarfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import LAKEHOUSE, ROOT


@dataclass(frozen=True)
class Checkout:
    root: Path
    first_command: subprocess.CompletedProcess

    @property
    def launcher(self) -> Path:
        return self.root / LAKEHOUSE.relative_to(ROOT)


@pytest.fixture(scope="module")
def checkout(tmp_path_factory) -> Checkout:
    """The project's files as a fresh clone has them (tracked and new ones, nothing git ignores: no target/),
    after a first `--version`, which builds it."""
    tmp_path = tmp_path_factory.mktemp("launcher")
    files = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                           check=True, capture_output=True).stdout.decode().split("\0")
    with tarfile.open(tmp_path / "checkout.tar", "w") as archive:
        for name in filter(None, files):
            if (ROOT / name).exists():  # a file deleted but not yet committed is listed too
                archive.add(ROOT / name, arcname=name, recursive=False)
    root = tmp_path / "checkout"
    with tarfile.open(tmp_path / "checkout.tar") as archive:
        archive.extractall(root, filter="tar")
    first = subprocess.run([str(root / LAKEHOUSE.relative_to(ROOT)), "--version"], capture_output=True, text=True,
                           timeout=600)
    return Checkout(root, first)


def test_a_checkout_never_built_builds_itself_and_answers(checkout):
    result = checkout.first_command
    assert result.returncode == 0, f"exit {result.returncode}:\n{result.stdout}\n{result.stderr}"
    assert "building (mvn package)" in result.stderr
    assert result.stdout.strip().startswith("dau-lakehouse ")
    assert (checkout.root / "target").is_dir()


def test_a_signal_to_the_launcher_alone_stops_the_jvm_writing_the_class_archive(checkout):
    # the first `run` after a build writes the class archive as its JVM exits, so the launcher waits for the JVM
    # instead of becoming it; `timeout` or a supervisor may then signal the launcher's process alone
    assert checkout.first_command.returncode == 0
    launcher = subprocess.Popen([str(checkout.launcher), "run", "dau", "--date", "2024-01-01"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    jvm = None
    try:
        jvm = child_jvm(launcher.pid, timeout=60)
        assert "-XX:ArchiveClassesAtExit" in Path(f"/proc/{jvm}/cmdline").read_text(), "not the case under test"
        launcher.send_signal(signal.SIGTERM)
        launcher.wait(timeout=120)
        assert gone(jvm, timeout=0), "the launcher returned, its JVM runs on"
        assert not list((checkout.root / "target" / "class-archive").glob("*.jsa.*")), "a half-written archive left"
    finally:
        launcher.kill()
        if jvm is not None and not gone(jvm, timeout=0):
            os.kill(jvm, signal.SIGKILL)


def child_jvm(parent: int, timeout: float) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for status in Path("/proc").glob("[0-9]*/status"):
            try:
                fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
            except OSError:  # a process that ended meanwhile
                continue
            if fields.get("PPid", "").strip() == str(parent) and fields.get("Name", "").strip() == "java":
                return int(status.parent.name)
        time.sleep(0.1)
    raise AssertionError(f"no JVM started by the launcher within {timeout} s")


def gone(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while True:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        # a zombie nobody has reaped yet is gone too: its command line is empty
        try:
            if not Path(f"/proc/{pid}/cmdline").read_bytes():
                return True
        except FileNotFoundError:
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.2)
