"""Where the repository and its git-ignored `.local/` working area are."""

import os
from pathlib import Path

ROOT_ENV = "CAREBENEFIT_ROOT"
_MARKER = Path("infra") / "kafka" / "pom.xml"


def repo_root() -> Path:
    """The monorepo root: `$CAREBENEFIT_ROOT`, else the first parent of this package holding
    `infra/kafka/pom.xml`."""
    configured = os.environ.get(ROOT_ENV)
    if configured:
        root = Path(configured).resolve()
        if not (root / _MARKER).is_file():
            raise RuntimeError(f"{ROOT_ENV}={configured} does not contain {_MARKER}")
        return root
    for parent in Path(__file__).resolve().parents:
        if (parent / _MARKER).is_file():
            return parent
    raise RuntimeError(f"cannot find the repository root above {__file__}; set {ROOT_ENV}")


def local_dir(root: Path | None = None) -> Path:
    """The git-ignored working area (`<root>/.local`) for jars, data dirs and state."""
    return (root or repo_root()) / ".local"
