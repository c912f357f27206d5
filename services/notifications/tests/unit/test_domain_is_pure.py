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


def domain_modules():
    domain = resources.files("notifications.domain")
    return [m for m in domain.iterdir() if m.name.endswith(".py")]


def test_the_domain_imports_only_the_standard_library_and_itself():
    for module in domain_modules():
        source = module.read_text()
        foreign = imported_top_level_modules(source) - set(sys.stdlib_module_names)
        assert foreign <= {"notifications", "wording"}, f"{module.name} imports {foreign}"
        assert "open(" not in source, f"{module.name} does I/O"
        internal = [line for line in source.splitlines() if line.startswith("from notifications")]
        assert all(line.startswith("from notifications.domain") for line in internal), module.name


def test_the_domain_reads_no_clock_and_rolls_no_dice():
    for module in domain_modules():
        source = module.read_text()
        for forbidden in ("datetime.now", "date.today", "utcnow", "import random", "uuid4"):
            assert forbidden not in source, f"{module.name} uses {forbidden}"
