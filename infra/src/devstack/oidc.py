"""The development OpenID Connect provider (`infra/oidc/server.mjs`, npm `oidc-provider`) run
with Node like Kafka runs with Java: a data dir holding `config.json`, the signing keys it
generates on first start (`keys.json`, 0600) and `oidc.log`; stopped by PID.

The portal client is not static: whoever starts a portal registers one for that portal's
address with `register_portal` (RFC 7591 dynamic registration, guarded by an initial access
token), getting a client id and a private key for `private_key_jwt`.
"""

import asyncio
import json
import os
import secrets
import shutil
import subprocess
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from devstack.procs import log_tail, process_matches, terminate

HOST = "127.0.0.1"
PORT_ENV = "OIDC_PORT"
DEFAULT_PORT = 19080
MMAP_THRESHOLD = "glibc.malloc.mmap_threshold"
TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange"  # noqa: S105 (a grant type's URN, not a secret)


def oidc_root(root: Path) -> Path:
    return root / "infra" / "oidc"


def clients_data(root: Path) -> dict[str, Any]:
    return json.loads((oidc_root(root) / "clients.json").read_text())


def resource_indicator(root: Path, service: str) -> str:
    return clients_data(root)["resources"][service]["indicator"]


@dataclass
class OidcProvider:
    pid: int
    port: int
    data_dir: Path
    registration_token: str
    service_secrets: dict[str, str]
    resources: dict[str, str]  # service name -> resource indicator (the tokens' audience)
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def issuer(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def config_file(self) -> Path:
        return self.data_dir / "config.json"

    @property
    def log_file(self) -> Path:
        return self.data_dir / "oidc.log"

    def alive(self) -> bool:
        return process_matches(self.pid, [str(self.config_file)])

    def service_env(self, service: str, env_prefix: str) -> dict[str, str]:
        """What a service needs to check tokens for its audience and to get its own."""
        return {
            f"{env_prefix}AUTH_ISSUER": self.issuer,
            f"{env_prefix}AUTH_AUDIENCE": self.resources[service],
            f"{env_prefix}AUTH_CLIENT_ID": service,
            f"{env_prefix}AUTH_CLIENT_SECRET": self.service_secrets[service],
        }

    def service_settings(self, service: str) -> dict[str, str]:
        """The same as `service_env`, as keyword arguments of the service's settings class (for
        apps built in-process: tests)."""
        return {
            "auth_issuer": self.issuer,
            "auth_audience": self.resources[service],
            "auth_client_id": service,
            "auth_client_secret": self.service_secrets[service],
        }

    def state(self) -> dict[str, Any]:
        return {
            "managed": True,
            "issuer": self.issuer,
            "pid": self.pid,
            "port": self.port,
            "data_dir": str(self.data_dir),
            "log_file": str(self.log_file),
            "registration_token": self.registration_token,
            "service_secrets": self.service_secrets,
            "resources": self.resources,
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> "OidcProvider":
        return cls(
            state["pid"],
            state["port"],
            Path(state["data_dir"]),
            state["registration_token"],
            state["service_secrets"],
            state["resources"],
        )


def port_from_env(env: Any = os.environ) -> int:
    return int(env.get(PORT_ENV, DEFAULT_PORT))


def write_config(
    root: Path,
    data_dir: Path,
    port: int,
    accounts_files: list[Path],
    service_token_seconds: int = 300,
) -> tuple[str, dict[str, str], dict[str, str]]:
    """The provider's runtime config with fresh secrets; returns (registration token, service
    secrets, resource indicators)."""
    data = clients_data(root)
    secrets_by_client = {name: secrets.token_urlsafe(32) for name in data["service_clients"]}
    registration_token = secrets.token_urlsafe(32)
    config = {
        "issuer": f"http://{HOST}:{port}",
        "host": HOST,
        "port": port,
        "keys_file": str(data_dir / "keys.json"),
        "accounts_files": [str(p) for p in accounts_files],
        "cookie_keys": [secrets.token_urlsafe(32)],
        "registration_token": registration_token,
        "service_token_seconds": service_token_seconds,
        "clients": [
            {"client_id": name, "client_secret": secrets_by_client[name], "scope": " ".join(scopes)}
            for name, scopes in data["service_clients"].items()
        ],
        "resources": {r["indicator"]: r["scopes"] for r in data["resources"].values()},
    }
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / "config.json"
    path.unlink(missing_ok=True)
    with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as out:
        out.write(json.dumps(config, indent=2))
    resources = {name: r["indicator"] for name, r in data["resources"].items()}
    return registration_token, secrets_by_client, resources


def node_binary() -> str:
    node = shutil.which("node")
    if node is None:
        raise RuntimeError("node (Node.js >= 20) is needed for the OpenID Connect provider")
    return node


def require_installed(root: Path) -> None:
    if not (oidc_root(root) / "node_modules" / "oidc-provider" / "package.json").is_file():
        raise RuntimeError(
            "the OpenID Connect provider is not installed: run `make bootstrap` "
            "(npm ci --prefix infra/oidc)"
        )


def node_env(env: Mapping[str, str] = os.environ) -> dict[str, str]:
    """A fixed mmap threshold for the provider: each password check (scrypt) takes a 16 MiB
    buffer, and glibc's adaptive threshold would serve the second one from the heap and keep it
    resident for good (a one-time step of ~18 MiB RSS, seen as growth in the soak)."""
    tunables = [t for t in env.get("GLIBC_TUNABLES", "").split(":") if t]
    if not any(t.startswith(MMAP_THRESHOLD + "=") for t in tunables):
        tunables.append(f"{MMAP_THRESHOLD}={128 * 1024}")  # glibc's default, kept fixed
    return {**env, "GLIBC_TUNABLES": ":".join(tunables)}


def launch(
    root: Path, data_dir: Path, port: int, accounts_files: list[Path], service_token_seconds: int
) -> OidcProvider:
    """Write the config and spawn `node server.mjs` in its own session (no waiting)."""
    require_installed(root)
    data_dir = data_dir.resolve()
    token, service_secrets, resources = write_config(
        root, data_dir, port, accounts_files, service_token_seconds
    )
    with (data_dir / "oidc.log").open("ab") as log:
        process = subprocess.Popen(  # noqa: S603 (argv of our own tools, no shell)
            [node_binary(), str(oidc_root(root) / "server.mjs"), str(data_dir / "config.json")],
            cwd=oidc_root(root),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            env=node_env(),
        )
    return OidcProvider(process.pid, port, data_dir, token, service_secrets, resources, process)


async def start_oidc(
    root: Path,
    data_dir: Path,
    port: int,
    *,
    accounts_files: list[Path] | None = None,
    service_token_seconds: int = 300,
    start_timeout: float = 30.0,
) -> OidcProvider:
    """Launch the provider and wait until it serves its discovery document."""
    files = accounts_files or [oidc_root(root) / "accounts.json"]
    provider = await asyncio.to_thread(launch, root, data_dir, port, files, service_token_seconds)
    try:
        await wait_ready(provider, start_timeout)
    except BaseException:
        await asyncio.to_thread(stop_oidc, provider)
        raise
    return provider


async def wait_ready(provider: OidcProvider, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    url = provider.issuer + "/.well-known/openid-configuration"
    async with httpx.AsyncClient(timeout=2) as http:
        while time.monotonic() < deadline:
            if provider.process is not None and provider.process.poll() is not None:
                raise RuntimeError(
                    "the OpenID Connect provider exited during start-up; last log lines:\n"
                    + log_tail(provider.log_file)
                )
            try:
                if (await http.get(url)).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError(
        f"the OpenID Connect provider did not answer at {url} within {timeout}s; last log "
        f"lines:\n{log_tail(provider.log_file)}"
    )


def stop_oidc(provider: OidcProvider, timeout: float = 10.0) -> bool:
    """SIGTERM by PID (only if that PID still runs our server on this config). False if not
    running."""
    running = provider.alive()
    if running:
        terminate(provider.pid, timeout)
    if provider.process is not None:
        provider.process.poll()
    return running


def find_pids(data_dir: Path) -> list[int]:
    """PIDs of providers running on `data_dir` (for clean-up without a recorded PID)."""
    import psutil

    config = str(data_dir.resolve() / "config.json")
    return [
        p.info["pid"]
        for p in psutil.process_iter(["pid", "cmdline"])
        if config in (p.info["cmdline"] or [])
    ]


# --- the portal's client ---------------------------------------------------------------------


@dataclass(frozen=True)
class PortalClient:
    client_id: str
    private_key_file: Path

    def env(self, issuer: str) -> dict[str, str]:
        """The portal's settings for this provider (it stands for One Login and staff SSO)."""
        return {
            "PORTAL_OIDC_ISSUER": issuer,
            "PORTAL_OIDC_CLIENT_ID": self.client_id,
            "PORTAL_OIDC_PRIVATE_KEY_FILE": str(self.private_key_file),
            "PORTAL_STAFF_OIDC_ISSUER": issuer,
            "PORTAL_STAFF_OIDC_CLIENT_ID": self.client_id,
        }


def generate_portal_key(path: Path) -> dict[str, Any]:
    """A fresh RSA key for `private_key_jwt`, written as PEM (0600); returns its public JWK."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as out:
        out.write(pem)
    public = json.loads(RSAAlgorithm.to_jwk(key.public_key()))
    return {**public, "alg": "RS256", "use": "sig"}


async def register_client(
    issuer: str, registration_token: str, metadata: dict[str, Any]
) -> dict[str, Any]:
    """RFC 7591 dynamic registration, guarded by the provider's initial access token; the
    registered client's metadata (with `client_id`, and `client_secret` if it has one)."""
    async with httpx.AsyncClient(timeout=10) as http:
        response = await http.post(
            issuer + "/reg",
            json=metadata,
            headers={"Authorization": f"Bearer {registration_token}"},
        )
    if response.status_code != 201:
        raise RuntimeError(f"client registration refused: {response.text}")
    return response.json()


def all_scopes(root: Path) -> list[str]:
    return [s for r in clients_data(root)["resources"].values() for s in r["scopes"]]


async def register_portal(
    root: Path, issuer: str, registration_token: str, portal_url: str, key_file: Path
) -> PortalClient:
    """Registers a portal client for `portal_url` (its callbacks and signed-out page)."""
    base = portal_url.rstrip("/")
    metadata = {
        "client_name": "Care Benefit portal",
        "application_type": "web",
        "redirect_uris": [f"{base}/sign-in/callback", f"{base}/staff/sign-in/callback"],
        "post_logout_redirect_uris": [f"{base}/signed-out"],
        "grant_types": ["authorization_code", "client_credentials", TOKEN_EXCHANGE],
        "response_types": ["code"],
        "token_endpoint_auth_method": "private_key_jwt",
        "token_endpoint_auth_signing_alg": "RS256",
        "id_token_signed_response_alg": "RS256",
        "jwks": {"keys": [generate_portal_key(key_file)]},
        "scope": " ".join(clients_data(root)["portal_scopes"]),
    }
    registered = await register_client(issuer, registration_token, metadata)
    return PortalClient(registered["client_id"], key_file)
