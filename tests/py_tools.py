#!/usr/bin/env python3
"""The Python tools the tests run (aiosmtpd, Schemathesis), in a virtual environment of their own.

    python3 tests/py_tools.py TARGET_DIR

creates TARGET_DIR/py-tools from tests/requirements.lock (every package pinned, with its hashes)
unless it is there already for this very lock file, then prints its `bin` directory. The Rust
tests (tests/api/helpers.rs, `py_tool`) and the end-to-end test (frontend/e2e/server.mjs,
`pythonTool`) call it before they start a tool, so `cargo test` needs nothing installed by hand
but Python 3 itself. Test processes running at once wait for each other on a lock file, so one
of them installs and the others reuse what it made. Only the first run needs PyPI.
"""

import fcntl
import hashlib
import shutil
import subprocess
import sys
import time
from pathlib import Path

LOCK_FILE = Path(__file__).resolve().parent / "requirements.lock"
# A slow or flaky network gets this many tries at the install, a minute apart at most.
ATTEMPTS = 3


def provision(target: Path) -> Path:
    env_dir = target / "py-tools"
    bin_dir = env_dir / "bin"
    stamp = env_dir / "requirements.lock.sha256"
    wanted = hashlib.sha256(LOCK_FILE.read_bytes()).hexdigest()
    target.mkdir(parents=True, exist_ok=True)
    with open(target / "py-tools.lock", "w") as guard:
        fcntl.flock(guard, fcntl.LOCK_EX)
        if stamp.is_file() and stamp.read_text().strip() == wanted and (bin_dir / "python").exists():
            return bin_dir
        # Missing, half made (no stamp: a run was interrupted) or made from another lock file.
        shutil.rmtree(env_dir, ignore_errors=True)
        say(f"installing the test tools of {LOCK_FILE.name} into {env_dir} (once per build directory)")
        subprocess.run([sys.executable, "-m", "venv", str(env_dir)], check=True)
        install = [
            str(bin_dir / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
            "--require-hashes", "--no-deps", "--only-binary", ":all:", "-r", str(LOCK_FILE),
        ]  # fmt: skip
        for attempt in range(1, ATTEMPTS + 1):
            if subprocess.run(install).returncode == 0:
                break
            if attempt == ATTEMPTS:
                sys.exit(f"py_tools: pip could not install {LOCK_FILE} into {env_dir} ({ATTEMPTS} tries)")
            say(f"pip failed (try {attempt} of {ATTEMPTS}); trying again")
            time.sleep(20 * attempt)
        stamp.write_text(wanted + "\n")
        return bin_dir


def say(text: str) -> None:
    print(f"py_tools: {text}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    print(provision(Path(sys.argv[1]).resolve()))
