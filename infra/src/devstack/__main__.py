"""`python -m devstack infra-up|infra-down|infra-status` — the development stack under .local/."""

import argparse
import asyncio
import shlex
import sys
from pathlib import Path

from devstack import compose, local, oidc, platform_stack, rotate
from devstack.kafka_cluster import SIZES
from devstack.paths import repo_root
from devstack.tokens import Tokens


def _print_env(principal: str, prefix: str | None) -> int:
    """`export` lines for one Kafka principal of the running stack (e.g. for the simulator)."""
    state = local.read_state()
    if state is None:
        print("not running (no state file)", file=sys.stderr)
        return 1
    infra = local.load_infra(state)
    if principal not in infra.credentials.kafka:
        print(f"no Kafka principal {principal!r}", file=sys.stderr)
        return 1
    prefix = prefix if prefix is not None else principal.upper().replace("-", "_") + "_"
    for key, value in infra.kafka_env(principal, prefix).items():
        print(f"export {key}={shlex.quote(value)}")
    return 0


async def _token(username: str, service: str, person_id: str | None) -> int:
    """A bearer token for one service from `make up`'s provider, as `username` signs in."""
    state = local.read_state()
    if state is None or not (state.get("oidc") or {}).get("managed"):
        print("the development provider is not running (make up)", file=sys.stderr)
        return 1
    tokens = await Tokens.for_provider(repo_root(), oidc.OidcProvider.from_state(state["oidc"]))
    if person_id:
        print(await tokens.person(username, service, person_id))
    else:
        print(await tokens.staff(username, service))
    return 0


def _print_state(state: dict) -> None:
    k, p = state["kafka"], state["postgres"]
    pg_how = f"pid {p['pid']}, log {p['log_file']}" if p["managed"] else "external"
    print(f"kafka     {k['bootstrap_servers']}" + ("" if k["managed"] else " (external)"))
    for node in k.get("brokers", []):
        print(f"  node {node['node_id']}  pid {node['pid']}, log {node['log_file']}")
    print(f"postgres  {p['database_url_base']} ({pg_how})")
    o = state.get("oidc") or {"managed": False}
    if o["managed"]:
        print(f"oidc      {o['issuer']} (pid {o['pid']}, log {o['log_file']})")
    print(f"databases {', '.join(state['databases'])}")
    print(f"topics    {len(state['topics'])} ({', '.join(state['topics'])})")
    print(f"state     {local.state_path()}")


def _brokers_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--brokers",
        type=int,
        choices=SIZES,
        default=1,
        help="Kafka nodes: 1, or 3 (replication factor 3, min.insync.replicas=2)",
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devstack", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    up = commands.add_parser("infra-up", help="start PostgreSQL + Kafka, create topics and DBs")
    up.add_argument(
        "--fast",
        action="store_true",
        help="fsync/synchronous_commit/full_page_writes off (throwaway data only)",
    )
    _brokers_option(up)
    down = commands.add_parser("infra-down", help="stop what infra-up started")
    down.add_argument(
        "--purge", action="store_true", help="also delete the data and the credentials"
    )
    commands.add_parser("infra-status", help="print the state file with liveness; exit 1 if down")
    platform = commands.add_parser("up", help="infra + the four services + portal + demo data")
    platform.add_argument("--no-demo", action="store_true", help="skip loading the demo data")
    _brokers_option(platform)
    commands.add_parser("down", help="stop the services, the portal and the infrastructure")
    env = commands.add_parser("env", help="print `export` lines for one Kafka principal")
    env.add_argument("principal", help="e.g. benefits-system, payments, operations")
    env.add_argument("--prefix", help="settings prefix (default: from the principal's name)")
    turn = commands.add_parser("rotate", help="a new password for a Kafka principal or PG role")
    turn.add_argument("name", help="e.g. payments (Kafka) or payments_runtime (PostgreSQL)")
    token = commands.add_parser(
        "token", help="a bearer token for a service, as a demo account (make up's provider)"
    )
    token.add_argument("username", help="e.g. asha.patel@carebenefit.example")
    token.add_argument("service", help="assessment, payments, care-plans or notifications")
    token.add_argument("--person-id", help="a person's token for this record (citizens)")
    key = commands.add_parser("rotate-key", help="a new encryption key for a service's data")
    key.add_argument("app", help="assessment or payments")
    secrets = commands.add_parser("compose-secrets", help="certificates and passwords for compose")
    secrets.add_argument("directory", nargs="?", default=".local/compose")
    args = parser.parse_args(argv)
    try:
        if args.command == "up":
            print(
                platform_stack.describe(
                    asyncio.run(
                        platform_stack.platform_up(demo=not args.no_demo, brokers=args.brokers)
                    )
                )
            )
        elif args.command == "down":
            stopped = platform_stack.platform_down()
            print(f"stopped: {', '.join(stopped)}" if stopped else "nothing was running")
        elif args.command == "infra-up":
            _print_state(asyncio.run(local.infra_up(fast=args.fast, brokers=args.brokers)))
        elif args.command == "env":
            return _print_env(args.principal, args.prefix)
        elif args.command == "token":
            return asyncio.run(_token(args.username, args.service, args.person_id))
        elif args.command == "compose-secrets":
            print(f"wrote {compose.write_compose_secrets(Path(args.directory))}")
        elif args.command == "rotate":
            where = asyncio.run(rotate.rotate(args.name))
            print(f"rotated {args.name} on {where}; restart what uses it (make up)")
        elif args.command == "rotate-key":
            key_id = rotate.rotate_key(args.app)
            print(
                f"{args.app} now seals with key {key_id} (the old keys are kept); make up "
                "restarts it, and at start-up it re-wraps what the old keys sealed"
            )
        elif args.command == "infra-down":
            stopped = local.infra_down(purge=args.purge)
            print(f"stopped: {', '.join(stopped)}" if stopped else "nothing was running")
        else:
            state = local.read_state()
            if state is None:
                print("not running (no state file)")
                return 1
            alive = local.status(state)
            _print_state(state)
            print(
                "alive     "
                + ", ".join(f"{name} {'up' if up else 'DOWN'}" for name, up in alive.items())
            )
            return 0 if all(alive.values()) else 1
    except RuntimeError as error:
        print(f"devstack: error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
