"""Fewer malloc arenas, so that a long-running process's memory levels off low.

glibc gives threads malloc arenas of their own (up to eight per core) and seldom hands
memory freed in them back; a server whose store calls run on a pool of threads holds on
to more and more of it. With two arenas, the load benchmark's server and worker held
231 MB at 1,042 runs and 241 MB at 7,637, where the default gave 248 MB and 275 MB, at
the same throughput. MALLOC_ARENA_MAX, when set, is left to speak for itself.
"""

import ctypes
import ctypes.util
import os

M_ARENA_MAX = -8  # mallopt's parameter number for it, in glibc's malloc.h
ARENAS = 2


def limit_malloc_arenas(arenas: int = ARENAS) -> bool:
    """Ask glibc for at most `arenas` arenas (before threads start); False if not applied."""
    if "MALLOC_ARENA_MAX" in os.environ:
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c"))
        return bool(libc.mallopt(M_ARENA_MAX, arenas))
    except (OSError, AttributeError):  # not glibc: no mallopt, nothing to do
        return False
