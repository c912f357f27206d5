import ast
import sys
from importlib import resources

ALLOWED_CARE_PLANS = "care_plans.domain"
ALLOWED_LIBRARIES = {"wording"}  # money and date wording, no I/O (docs/code-layout.md)


def imports_of(source: str) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names.add(node.module)
    return names


def test_the_domain_imports_only_the_standard_library_wording_and_itself():
    for module in resources.files(ALLOWED_CARE_PLANS).iterdir():
        if not module.name.endswith(".py"):
            continue
        source = module.read_text()
        for name in imports_of(source):
            top = name.split(".")[0]
            allowed = sys.stdlib_module_names | ALLOWED_LIBRARIES
            assert top in allowed or name.startswith(ALLOWED_CARE_PLANS), (
                f"{module.name} imports {name}"
            )
        assert "open(" not in source, f"{module.name} does I/O"
