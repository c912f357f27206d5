"""The README's table of who may call what is the one the services' routes declare."""

from devstack.access_table import readme_with_table
from devstack.paths import repo_root


def test_the_readmes_access_table_is_current() -> None:
    readme = (repo_root() / "README.md").read_text()
    assert readme_with_table(readme) == readme, (
        "the README's access table is stale: run `python -m devstack.access_table --write`"
    )
