"""Remove the addresses npm writes into a package-lock.json ("resolved" download addresses,
and the "funding" pages of some packages): a lock here records versions and checksums only
(.npmrc's omit-lockfile-registry-resolved covers "resolved" but not "funding").

    python3 scripts/strip-lock-addresses.py tools/lighthouse/package-lock.json
"""

import json
import sys

for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as f:
        lock = json.load(f)
    removed = 0
    for package in lock.get("packages", {}).values():
        for key in ("resolved", "funding"):
            if key in package:
                del package[key]
                removed += 1
    with open(path, "w", encoding="utf-8") as f:
        f.write(json.dumps(lock, indent=2, ensure_ascii=False) + "\n")
    print(f"{path}: {removed} addresses removed")
