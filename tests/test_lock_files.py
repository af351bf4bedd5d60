"""Lock files record versions and checksums, never an address to download from (the project's
rule; .npmrc's omit-lockfile-registry-resolved, scripts/strip-lock-addresses.py for the rest)."""

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCKS = ("package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml", "poetry.lock", "uv.lock",
         "Pipfile.lock", "pylock.toml")
ADDRESS = re.compile(r"\b(?:https?|git\+https?|git\+ssh|ssh)://")


def committed_locks():
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    return [ROOT / f for f in files if Path(f).name in LOCKS]


def test_no_committed_lock_file_records_an_address():
    locks = committed_locks()
    assert ROOT / "package-lock.json" in locks and ROOT / "tools/lighthouse/package-lock.json" in locks
    found = {str(lock.relative_to(ROOT)): ADDRESS.findall(lock.read_text(encoding="utf-8")) for lock in locks}
    assert {name: hits for name, hits in found.items() if hits} == {}


def test_every_npm_project_keeps_addresses_out_of_its_lock():
    for lock in committed_locks():
        if lock.name == "package-lock.json":
            assert "omit-lockfile-registry-resolved=true" in (lock.parent / ".npmrc").read_text()
