import ast
import sys
from importlib import resources


def imported_top_level_modules(source: str) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            modules.add(node.module.split(".")[0])
    return modules


def test_the_domain_imports_only_the_standard_library_wording_and_itself():
    domain = resources.files("payments.domain")
    for module in (m for m in domain.iterdir() if m.name.endswith(".py")):
        foreign = imported_top_level_modules(module.read_text()) - set(sys.stdlib_module_names)
        assert foreign <= {"payments", "wording"}, f"{module.name} imports {foreign}"
        assert "open(" not in module.read_text(), f"{module.name} does I/O"


def test_the_domain_reaches_no_other_payments_package():
    domain = resources.files("payments.domain")
    for module in (m for m in domain.iterdir() if m.name.endswith(".py")):
        source = module.read_text()
        internal = [line for line in source.splitlines() if line.startswith("from payments.")]
        assert all(line.startswith("from payments.domain.") for line in internal), module.name
