"""The repository layout: `http/` must not shadow Python's own `http` package."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_http_folder_has_no_init_of_its_own() -> None:
    assert not (ROOT / "http" / "__init__.py").exists()


def test_stdlib_http_and_litestar_import_with_the_repo_root_first_on_sys_path() -> None:
    script = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "import http.client, http.server, urllib.request, litestar, httpx, threadlog.http;"
        "print(http.__file__)"
    )
    done = subprocess.run([sys.executable, "-c", script, str(ROOT)], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert str(ROOT) not in done.stdout
