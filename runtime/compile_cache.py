"""A per-user cache of compiled shared libraries that no other user can plant in.

A library from this cache is loaded into the process, so a file another user could
write there is code execution. The folder is the user's XDG cache folder, private
(0700, ours, not a symlink); files are written under fresh names and renamed into
place, so a planted symlink is replaced, never written through; and a library is
only reused when it is a regular file of ours that nobody else may write.
"""

from __future__ import annotations

import atexit
import hashlib
import os
import shutil
import stat
import subprocess
import tempfile
import warnings
from collections.abc import Sequence
from pathlib import Path

_fallback: Path | None = None


def cache_key(*parts: str) -> str:
    """A name for the library built from ``parts`` (source, header, flags, compiler)."""
    h = hashlib.sha256()
    for part in parts:  # length-prefixed: moving text between parts changes the key
        data = part.encode()
        h.update(len(data).to_bytes(8, "little") + data)
    return h.hexdigest()[:32]


def user_cache_root() -> Path:
    """``$XDG_CACHE_HOME/relayout/emulate``, or ``~/.cache/relayout/emulate``."""
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    # The XDG spec says a relative value is invalid and to be ignored.
    base = Path(xdg) if os.path.isabs(xdg) else Path.home() / ".cache"
    return base / "relayout" / "emulate"


def folder_problem(folder: Path) -> str | None:
    """Why ``folder`` may not hold libraries we load, or None when it is private."""
    st = os.lstat(folder)  # lstat: a symlink could be swapped to point elsewhere later
    if not stat.S_ISDIR(st.st_mode):
        return "is not a directory (or is a symlink)"
    if st.st_uid != os.geteuid():
        return f"is owned by uid {st.st_uid}, not by us"
    if st.st_mode & 0o022:
        return f"is writable by group or others (mode {stat.S_IMODE(st.st_mode):o})"
    return None


def cache_dir() -> Path:
    """The private folder to build in.

    A refused folder is not repaired: someone else may already have planted files in
    it. We fall back to a fresh ``mkdtemp`` folder (0700, unguessable) for this process
    instead of failing, so that a run still works, only without reuse across runs.
    """
    folder = user_cache_root()
    try:
        # mode applies to the leaf only; parents get the umask's default, as for mkdir -p.
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        problem = folder_problem(folder)
    except OSError:  # e.g. a read-only home in a sandbox: not an attack, so no warning
        return _private_fallback()
    if problem is None:
        return folder
    warnings.warn(f"not using the compile cache {folder}: it {problem}", stacklevel=2)
    return _private_fallback()


def _private_fallback() -> Path:
    global _fallback
    if _fallback is None:
        _fallback = Path(tempfile.mkdtemp(prefix="relayout-emulate-"))
        # A loaded library stays mapped after its file is removed, so this is safe.
        atexit.register(shutil.rmtree, _fallback, ignore_errors=True)
    return _fallback


def is_trusted(lib: Path) -> bool:
    """``lib`` is a regular file (not a symlink) of ours that no one else may write."""
    try:
        # O_NOFOLLOW fails on a symlink; fstat then checks the very file opened.
        fd = os.open(lib, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK)
    except OSError:
        return False
    try:
        st = os.fstat(fd)
    finally:
        os.close(fd)
    return (stat.S_ISREG(st.st_mode) and st.st_uid == os.geteuid()
            and not st.st_mode & 0o022)


def _fresh_file(folder: Path, suffix: str, data: bytes = b"") -> Path:
    """A new file of ours holding ``data``, written through the descriptor that mkstemp
    opened with O_CREAT|O_EXCL|O_NOFOLLOW (mode 0600): never an existing file or link."""
    fd, name = tempfile.mkstemp(suffix=suffix, prefix=".tmp-", dir=folder)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    return Path(name)


def _replace_with(target: Path, temp: Path) -> None:
    """Rename ``temp`` onto ``target``: rename replaces a symlink, never follows it."""
    try:
        os.replace(temp, target)
    finally:
        temp.unlink(missing_ok=True)


def library(key: str, source: str, compiler: Sequence[str]) -> Path:
    """The trusted ``<key>.so`` built from ``source`` by ``compiler SRC -o OUT``.

    Reused when a trusted one exists; otherwise (absent, or failing `is_trusted`) built
    afresh and renamed over whatever is there. Raises CalledProcessError when the
    compiler fails.
    """
    folder = cache_dir()
    lib = folder / f"{key}.so"
    if is_trusted(lib):
        # Loading by path after the check is safe: only we can change this folder.
        return lib
    src = folder / f"{key}.cpp"  # kept, so the compiler's messages name a readable file
    _replace_with(src, _fresh_file(folder, ".cpp", source.encode()))
    out = _fresh_file(folder, ".so")  # the linker may recreate it: still in our folder
    try:
        subprocess.run([*compiler, str(src), "-o", str(out)], check=True,
                       capture_output=True, text=True)
        # A umask of 0 would leave it group-writable, and `is_trusted` would refuse it.
        os.chmod(out, 0o700)
    except BaseException:
        out.unlink(missing_ok=True)
        raise
    _replace_with(lib, out)
    return lib
