"""The emulator's library cache cannot be planted in: it lives in a private per-user
folder, never loads a library another user could have written, and never writes
through a planted symlink. A planted library here announces itself by writing a
marker file when loaded, so "not loaded" is observable."""

import ctypes
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import pytest

from relayout.runtime import compile_cache, emulate

DOUBLE = """
extern "C" __global__ void twice(const float* __restrict__ in0, float* __restrict__ out) {
  out[threadIdx.x] = 2.0f * in0[threadIdx.x];
}
extern "C" void relayout_run(float* const* buf, double* ms) {
  ms[0] = emu::launch(dim3{1u, 1u, 1u}, dim3{4u, 1u, 1u}, false, [&] { twice(buf[0], buf[1]); });
}
"""

PLANTED = r"""
#include <cstdio>
#include <cstdlib>
__attribute__((constructor)) static void planted() {
  const char* path = std::getenv("RELAYOUT_PLANT_MARKER");
  if (FILE* f = path ? std::fopen(path, "w") : nullptr) { std::fputs("loaded", f); std::fclose(f); }
}
extern "C" void relayout_run(float* const* buf, double* ms) { buf[1][0] = 666.0f; }
"""

ROOT = os.geteuid() == 0
OTHER_UID = 65534  # nobody
needs_root = pytest.mark.skipif(not ROOT, reason="chown to another uid needs root")
KEY = emulate.library_key(DOUBLE)


@pytest.fixture(scope="module")
def planted_lib(tmp_path_factory) -> Path:
    """A real library that writes $RELAYOUT_PLANT_MARKER when loaded."""
    folder = tmp_path_factory.mktemp("attacker")
    (folder / "planted.cpp").write_text(PLANTED)
    subprocess.run(["g++", "-shared", "-fPIC", str(folder / "planted.cpp"), "-o",
                    str(folder / "planted.so")], check=True)
    return folder / "planted.so"


@pytest.fixture
def env(tmp_path, monkeypatch):
    """XDG cache and TMPDIR under tmp_path; a marker path a planted library would write."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    (tmp_path / "tmp").mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    monkeypatch.setattr(tempfile, "tempdir", None)  # recomputed from TMPDIR
    monkeypatch.setattr(compile_cache, "_fallback", None)
    monkeypatch.setenv("RELAYOUT_PLANT_MARKER", str(tmp_path / "marker"))
    victim = tmp_path / "victim.txt"  # what planted .cpp symlinks point at
    victim.write_text("precious")
    return tmp_path


def cache_folder(env: Path) -> Path:
    return env / "xdg" / "relayout" / "emulate"


def plant(folder: Path, planted_lib: Path, victim: Path) -> None:
    """A hostile library and a .cpp symlink under the names the code will use."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(planted_lib, folder / f"{KEY}.so")
    (folder / f"{KEY}.cpp").symlink_to(victim)


def run_double() -> tuple[Path, np.ndarray]:
    lib = emulate.compile_library(DOUBLE)
    x = np.arange(4, dtype=np.float32)
    y = np.zeros(4, np.float32)
    ctypes.CDLL(str(lib)).relayout_run((ctypes.c_void_p * 2)(x.ctypes.data, y.ctypes.data),
                                       (ctypes.c_double * 1)())
    return lib, y


def assert_safe_run(env: Path) -> Path:
    """The run computes the right thing, nothing planted was loaded or written through."""
    lib, y = run_double()
    np.testing.assert_array_equal(y, [0, 2, 4, 6])
    assert not (env / "marker").exists(), "a planted library was loaded"
    assert (env / "victim.txt").read_text() == "precious"
    assert compile_cache.is_trusted(lib)
    return lib


def test_cache_is_private_and_reused(env):
    lib = assert_safe_run(env)
    assert lib.parent == cache_folder(env)
    st = os.lstat(lib.parent)
    assert st.st_uid == os.geteuid() and st.st_mode & 0o777 == 0o700
    inode = os.stat(lib).st_ino
    assert assert_safe_run(env) == lib and os.stat(lib).st_ino == inode  # not rebuilt
    assert not list(lib.parent.glob(".tmp-*"))


def test_old_shared_location_is_ignored(env, planted_lib):
    old = Path(tempfile.gettempdir()) / "relayout-emulate"
    assert old.parent == env / "tmp"
    plant(old, planted_lib, env / "victim.txt")
    assert assert_safe_run(env).parent == cache_folder(env)
    assert (old / f"{KEY}.cpp").is_symlink()


@pytest.mark.parametrize("attack", [
    "group_writable", "world_writable", "symlink",
    pytest.param("other_owner", marks=needs_root),
])
def test_hostile_cache_folder_is_refused(env, planted_lib, attack):
    folder = cache_folder(env)
    if attack == "symlink":
        elsewhere = env / "elsewhere"
        elsewhere.mkdir(mode=0o700)
        folder.parent.mkdir(parents=True)
        folder.symlink_to(elsewhere)
    plant(folder, planted_lib, env / "victim.txt")
    if attack == "group_writable":
        folder.chmod(0o770)
    elif attack == "world_writable":
        folder.chmod(0o777)
    elif attack == "other_owner":
        os.chown(folder, OTHER_UID, OTHER_UID)
    with pytest.warns(UserWarning, match="not using the compile cache"):
        lib = assert_safe_run(env)
    # Built in a fresh private folder instead; the hostile one is left as it was.
    assert lib.parent != folder and os.lstat(lib.parent).st_mode & 0o777 == 0o700
    assert (folder / f"{KEY}.cpp").is_symlink()
    assert (folder / f"{KEY}.so").read_bytes() == planted_lib.read_bytes()


@pytest.mark.parametrize("attack", [
    "symlink", "mode_666", pytest.param("other_owner", marks=needs_root),
])
def test_untrusted_library_is_rebuilt_not_loaded(env, planted_lib, attack):
    folder = compile_cache.cache_dir()
    so = folder / f"{KEY}.so"
    if attack == "symlink":
        so.symlink_to(planted_lib)
    else:
        shutil.copy(planted_lib, so)
        if attack == "mode_666":
            so.chmod(0o666)
        else:
            os.chown(so, OTHER_UID, OTHER_UID)
    assert not compile_cache.is_trusted(so)
    assert assert_safe_run(env) == so
    assert not so.is_symlink() and so.read_bytes() != planted_lib.read_bytes()


def test_planted_source_symlink_is_replaced_not_written_through(env):
    folder = compile_cache.cache_dir()
    (folder / f"{KEY}.cpp").symlink_to(env / "victim.txt")
    assert_safe_run(env)
    src = folder / f"{KEY}.cpp"
    assert not src.is_symlink() and "twice" in src.read_text()


def test_unusable_cache_root_falls_back_to_private_temp_folder(env):
    (env / "xdg").write_text("not a folder")  # mkdir fails: no attack, so no warning
    folder = compile_cache.cache_dir()
    assert folder == compile_cache.cache_dir()  # one per process
    st = os.lstat(folder)
    assert st.st_uid == os.geteuid() and st.st_mode & 0o777 == 0o700


def test_failed_compile_leaves_no_temporary_files(env):
    with pytest.raises(subprocess.CalledProcessError):
        emulate.compile_library("this is not C++")
    assert not list(cache_folder(env).glob(".tmp-*"))
    assert not list(cache_folder(env).glob("*.so"))


def test_key_covers_source_header_flags_and_compiler(monkeypatch):
    assert emulate.library_key(DOUBLE + " ") != KEY
    monkeypatch.setattr(emulate, "FLAGS", [*emulate.FLAGS, "-O2"])
    assert emulate.library_key(DOUBLE) != KEY
    monkeypatch.undo()
    monkeypatch.setattr(emulate, "CXX", "clang++")
    assert emulate.library_key(DOUBLE) != KEY
    monkeypatch.undo()
    monkeypatch.setattr(emulate, "HEADER", Path(__file__))
    assert emulate.library_key(DOUBLE) != KEY
