"""Every route of every service and the policy it declares, read from the apps themselves (built
with placeholder settings; nothing connects): the README's table, and the routes the security
tests try one by one.

`python -m devstack.access_table` prints the table; `--write` puts it in the README between
its markers (a test checks it is current).
"""

import argparse
import importlib
from pathlib import Path

from servicekit.access import route_policies
from servicekit.auth import Policy
from servicekit.crypto import Keyset

from devstack.paths import repo_root

SERVICES = {
    "assessment": ("assessment.main", "assessment.config", "AssessmentSettings"),
    "payments": ("payments.main", "payments.config", "PaymentsSettings"),
    "care-plans": ("care_plans.main", "care_plans.config", "CarePlansSettings"),
    "notifications": ("notifications.main", "notifications.config", "NotificationsSettings"),
}
START, END = "<!-- access-table:start -->", "<!-- access-table:end -->"


def service_app(service: str):
    """The service's FastAPI app (inside the kit's middleware), built but not started."""
    main, config, settings_class = SERVICES[service]
    settings = getattr(importlib.import_module(config), settings_class)(
        environment="test",
        database_url="postgresql://nobody@127.0.0.1:1/none",
        kafka_username="nobody",
        kafka_password="none",  # noqa: S106 (a placeholder: the app is built, never started)
        auth_issuer="https://issuer.invalid",
        auth_audience=f"urn:carebenefit:api:{service}",
        **Keyset.generate().settings(),  # throwaway keys: the services with personal data need some
    )
    app = importlib.import_module(main).create_app(settings)
    while not hasattr(app, "router"):  # OpenTelemetry(Correlation(FastAPI))
        app = app.app
    return app


def policies(service: str) -> list[tuple[str, str, Policy]]:
    return route_policies(service_app(service))


def table() -> str:
    lines = ["| Service | Route | Token | Who |", "|---|---|---|---|"]
    for service in SERVICES:
        for method, path, policy in policies(service):
            if policy.open is not None:
                lines.append(f"| {service} | `{method} {path}` | none | {policy.open} |")
                continue
            scopes = " ".join(f"`{s}`" for s in policy.scopes) or "any scope"
            who = sorted(policy.roles) + ["the person"] * policy.person
            who += ["a service (client credentials)"] * policy.services
            lines.append(
                f"| {service} | `{method} {path}` | {scopes} | {', '.join(who) or 'any caller'} |"
            )
    return "\n".join(lines)


def readme_with_table(readme: str) -> str:
    head, _, rest = readme.partition(START)
    _, _, tail = rest.partition(END)
    return f"{head}{START}\n{table()}\n{END}{tail}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", action="store_true", help="update the README's table")
    args = parser.parse_args()
    if not args.write:
        print(table())
        return
    readme = Path(repo_root()) / "README.md"
    readme.write_text(readme_with_table(readme.read_text()))


if __name__ == "__main__":
    main()
