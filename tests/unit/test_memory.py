"""The malloc arena limit: applied on glibc, left alone where the user set it."""

import platform
import subprocess
import sys

import pytest

PROBE = "from threadlog.ops.memory import limit_malloc_arenas; print(limit_malloc_arenas())"


def probe(env: dict[str, str]) -> str:
    return subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True,
                          check=True).stdout.strip()


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="mallopt is glibc's")
def test_the_limit_is_applied_on_glibc_unless_malloc_arena_max_is_set() -> None:
    base = {"PATH": "/usr/bin:/bin"}
    assert probe(base) == "True"
    assert probe({**base, "MALLOC_ARENA_MAX": "4"}) == "False"
