"""Make sure the system packages devstack runs on (JDK, Maven, PostgreSQL server) are present."""

import glob
import os
import shutil
import subprocess
from pathlib import Path

from devstack.paths import repo_root

PG_BINDIR_ENV = "PG_BINDIR"
PREFERRED_PG_MAJOR = "15"


def install_script(root: Path | None = None) -> Path:
    return (root or repo_root()) / "infra" / "scripts" / "install-system-deps.sh"


def find_pg_bindir() -> Path | None:
    """Directory holding initdb/pg_ctl/postgres: `$PG_BINDIR`, else the Debian layout
    (`/usr/lib/postgresql/<major>/bin`, 15 preferred, else the newest), else `initdb` on PATH."""
    configured = os.environ.get(PG_BINDIR_ENV)
    if configured:
        return Path(configured)
    candidates = [Path(p).parent for p in glob.glob("/usr/lib/postgresql/*/bin/initdb")]
    preferred = [c for c in candidates if c.parent.name == PREFERRED_PG_MAJOR]
    if preferred:
        return preferred[0]
    if candidates:
        return max(candidates, key=lambda c: int(c.parent.name) if c.parent.name.isdigit() else 0)
    initdb = shutil.which("initdb")
    return Path(initdb).resolve().parent if initdb else None


def missing_tools(*, kafka: bool = True, postgres: bool = True) -> list[str]:
    missing = []
    if kafka:
        missing += [tool for tool in ("java", "mvn") if shutil.which(tool) is None]
    if postgres and find_pg_bindir() is None:
        missing.append("postgresql server (initdb, pg_ctl)")
    return missing


def ensure_system_deps(*, kafka: bool = True, postgres: bool = True) -> None:
    """Run `infra/scripts/install-system-deps.sh` when something is missing (a no-op otherwise).
    The script needs root (or sudo) for apt-get; without it this raises with instructions."""
    missing = missing_tools(kafka=kafka, postgres=postgres)
    if not missing:
        return
    script = install_script()
    result = subprocess.run(["bash", str(script)], check=False)  # noqa: S603, S607 (argv of our own tools, no shell; a system tool on PATH, as bootstrap installs it)
    if result.returncode != 0:
        raise RuntimeError(
            f"missing system tools ({', '.join(missing)}) and {script} failed "
            f"(exit {result.returncode}); install them and retry"
        )
    still = missing_tools(kafka=kafka, postgres=postgres)
    if still:
        raise RuntimeError(f"still missing after {script}: {', '.join(still)}")
