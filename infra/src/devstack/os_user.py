"""Running PostgreSQL tools as an unprivileged OS user when we are root (PostgreSQL refuses to
run as root): `postgres` when the Debian package created it, else a `carebenefit` system user."""

import os
import pwd
import stat
import subprocess
from pathlib import Path

SUPERUSER = "postgres"
FALLBACK_OS_USER = "carebenefit"


class PostgresError(RuntimeError):
    pass


def os_user() -> str | None:
    """The unprivileged user to run PostgreSQL as, or None when we are not root."""
    if os.geteuid() != 0:
        return None
    for name in (SUPERUSER, FALLBACK_OS_USER):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            pass
    subprocess.run(  # noqa: S603 (argv of our own tools, no shell)
        [  # noqa: S607 (a system tool on PATH, as bootstrap installs it)
            "useradd",
            "--system",
            "--user-group",
            "--no-create-home",
            "--home-dir",
            "/nonexistent",
            "--shell",
            "/usr/sbin/nologin",
            FALLBACK_OS_USER,
        ],
        check=True,
        capture_output=True,
    )
    return FALLBACK_OS_USER


def can_traverse(path: Path, user: str | None) -> bool:
    """Whether `user` may reach `path` (execute permission on every existing ancestor)."""
    if user is None:
        return True
    entry = pwd.getpwnam(user)
    groups = set(os.getgrouplist(user, entry.pw_gid))
    for directory in [p for p in (path, *path.parents) if p.exists()]:
        info = directory.stat()
        if info.st_uid == entry.pw_uid:
            bit = stat.S_IXUSR
        elif info.st_gid in groups:
            bit = stat.S_IXGRP
        else:
            bit = stat.S_IXOTH
        if not info.st_mode & bit:
            return False
    return True


def run_as(argv: list[str], user: str | None, timeout: float = 120.0) -> None:
    command = ["runuser", "-u", user, "--", *argv] if user else argv
    result = subprocess.run(  # noqa: S603 (argv of our own tools, no shell)
        command,
        capture_output=True,
        text=True,
        timeout=timeout,
        start_new_session=True,
        check=False,
    )
    if result.returncode != 0:
        raise PostgresError(
            f"{' '.join(argv[:2])} failed (exit {result.returncode}):\n"
            f"{result.stdout}{result.stderr}".rstrip()
        )


def chown(path: Path, user: str | None) -> None:
    if user:
        entry = pwd.getpwnam(user)
        os.chown(path, entry.pw_uid, entry.pw_gid)


def write_owned(path: Path, text: str, user: str | None) -> None:
    path.write_text(text)
    chown(path, user)


def owner(path: Path) -> str:
    return pwd.getpwuid(path.stat().st_uid).pw_name
