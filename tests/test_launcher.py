"""The launcher on a checkout that was never built, as the README's first command meets it."""

import subprocess
import tarfile

from conftest import LAKEHOUSE, ROOT


def test_a_checkout_never_built_builds_itself_and_answers(tmp_path):
    # the project's files as a fresh clone has them (tracked and new ones, nothing git ignores: no target/)
    files = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                           check=True, capture_output=True).stdout.decode().split("\0")
    with tarfile.open(tmp_path / "checkout.tar", "w") as archive:
        for name in filter(None, files):
            if (ROOT / name).exists():  # a file deleted but not yet committed is listed too
                archive.add(ROOT / name, arcname=name, recursive=False)
    checkout = tmp_path / "checkout"
    with tarfile.open(tmp_path / "checkout.tar") as archive:
        archive.extractall(checkout, filter="tar")

    result = subprocess.run([str(checkout / LAKEHOUSE.relative_to(ROOT)), "--version"], capture_output=True,
                            text=True, timeout=600)

    assert result.returncode == 0, f"exit {result.returncode}:\n{result.stdout}\n{result.stderr}"
    assert "building (mvn package)" in result.stderr
    assert result.stdout.strip().startswith("dau-lakehouse ")
    assert (checkout / "target").is_dir()
