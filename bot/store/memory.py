"""Memory given back to the system once a big cache is let go.

SQLite's page cache (64 MiB on the interaction log's writer connection) is freed when its
connection closes, but the C library keeps freed memory for the process to reuse: without
this, a process that ran the app and stopped it (an import, a test run, a benchmark) keeps
the cache's size for good.
"""

from __future__ import annotations

import ctypes
import ctypes.util

_LIBC_NAME = ctypes.util.find_library("c")
_TRIM = getattr(ctypes.CDLL(_LIBC_NAME), "malloc_trim", None) if _LIBC_NAME else None


def give_back() -> bool:
    """Return what the process freed to the system (glibc's malloc_trim); False where the C
    library cannot (it then keeps it for reuse, as before)."""
    if _TRIM is None:
        return False
    _TRIM(0)
    return True
