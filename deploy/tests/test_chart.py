"""The Helm chart, offline: `helm lint`, `helm template | kubeconform -strict` against the
vendored schemas (deploy/schemas), and what the rendered manifests promise (Kafka model from
the code, replicas within partitions, nothing secret inlined, locked-down pods, deny by default).
Needs .local/bin/helm and .local/bin/kubeconform (`make bootstrap` builds them)."""

import asyncio
import functools
import http.server
import importlib.util
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from contracts.topics import ALL_TOPICS
from servicekit.auth import JwksCache, TokenValidator

DEPLOY = Path(__file__).resolve().parents[1]
ROOT = DEPLOY.parent
CHART = DEPLOY / "helm" / "care-benefit"
BIN = ROOT / ".local" / "bin"
VALUES = {name: CHART / "ci" / f"{name}-values.yaml" for name in ("production", "everything")}
SCHEMAS = [
    str(DEPLOY / "schemas" / "kubernetes-v1.36" / "{{.ResourceKind}}{{.KindSuffix}}.json"),
    str(
        DEPLOY
        / "schemas"
        / "crds"
        / "{{.Group}}"
        / "{{.ResourceKind}}_{{.ResourceAPIVersion}}.json"
    ),
]
SECRET_NAME = re.compile(r"(PASSWORD|SECRET|TOKEN|API_KEY|ENCRYPTION_KEYS|LOOKUP_KEY)$")


def tool(name: str) -> str:
    path = BIN / name
    if not path.exists():
        pytest.fail(f"{path} is missing: run `make bootstrap`")
    return str(path)


def helm(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run([tool("helm"), *args], capture_output=True, text=True, check=check)


def template(values: Path, *extra: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return helm(
        "template",
        "cb",
        str(CHART),
        "-f",
        str(values),
        "--namespace",
        "care-benefit",
        "--kube-version",
        "1.36.0",
        *extra,
        check=check,
    )


def kubeconform(manifests: str) -> subprocess.CompletedProcess[str]:
    locations = [arg for location in SCHEMAS for arg in ("-schema-location", location)]
    return subprocess.run(
        [tool("kubeconform"), "-strict", "-summary", *locations, "-"],
        input=manifests,
        capture_output=True,
        text=True,
    )


@functools.cache
def manifests(name: str) -> str:
    return template(VALUES[name]).stdout


def rendered(name: str) -> list[dict]:
    return [doc for doc in yaml.safe_load_all(manifests(name)) if doc]


def of_kind(docs: list[dict], kind: str) -> dict[str, dict]:
    return {d["metadata"]["name"]: d for d in docs if d["kind"] == kind}


def generator():
    spec = importlib.util.spec_from_file_location("generate_kafka", DEPLOY / "generate_kafka.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module", params=sorted(VALUES))
def docs(request: pytest.FixtureRequest) -> list[dict]:
    return rendered(request.param)


def test_the_committed_kafka_model_is_what_the_code_generates() -> None:
    assert (CHART / "files" / "kafka.yaml").read_text() == generator().render(), (
        "run `make chart-model`"
    )


@pytest.mark.parametrize("name", sorted(VALUES))
def test_helm_lint_passes(name: str) -> None:
    result = helm(
        "lint",
        "--strict",
        str(CHART),
        "-f",
        str(VALUES[name]),
        "--kube-version",
        "1.36.0",
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("name", sorted(VALUES))
def test_every_rendered_resource_validates_against_its_schema(name: str) -> None:
    result = kubeconform(manifests(name))
    assert result.returncode == 0, result.stdout + result.stderr
    summary = re.search(
        r"(\d+) resources found.*Valid: (\d+), Invalid: 0, Errors: 0, Skipped: 0", result.stdout
    )
    assert summary and summary.group(1) == summary.group(2), result.stdout


WRONG_FIELDS = {  # kind: (what the chart renders, a mistake the schema must catch)
    "Deployment": ("revisionHistoryLimit:", "revisionHistoryLimitt:"),  # and StatefulSets'
    "StatefulSet": ("podManagementPolicy:", "podManagementPolicyy:"),
    "KafkaTopic": ("topicName:", "topicNam:"),
    "KafkaUser": ("type: scram-sha-512", "type: scram-sha-256"),  # and the Kafka's listener
    "Cluster": ("enableSuperuserAccess: false", "enableSuperuserAccess: nope"),
}


def test_the_check_rejects_wrong_fields_of_core_and_custom_kinds() -> None:
    wrong = manifests("production")
    for before, after in WRONG_FIELDS.values():
        assert before in wrong
        wrong = wrong.replace(before, after)
    result = kubeconform(wrong)
    assert result.returncode != 0
    invalid = set(re.findall(r"- (\w+) \S+ is invalid", result.stdout))
    assert invalid == {*WRONG_FIELDS, "Kafka"}, result.stdout


def test_a_consumer_may_not_have_more_replicas_than_partitions() -> None:
    result = template(VALUES["production"], "--set", "apps.notifications.replicas=7", check=False)
    assert result.returncode != 0
    assert "apps.notifications.replicas is 7" in result.stderr
    result = template(
        VALUES["production"],
        "--set",
        "apps.payments.autoscaling.enabled=true",
        "--set",
        "apps.payments.autoscaling.maxReplicas=8",
        check=False,
    )
    assert "apps.payments.autoscaling.maxReplicas is 8" in result.stderr


def test_site_settings_are_required_not_defaulted() -> None:
    result = helm("template", "cb", str(CHART), "--kube-version", "1.36.0", check=False)
    assert result.returncode != 0 and "image.repository" in result.stderr


def test_topics_are_the_code_s_with_three_replicas_and_two_in_sync(docs: list[dict]) -> None:
    topics = of_kind(docs, "KafkaTopic")
    assert {t["spec"]["topicName"]: t["spec"]["partitions"] for t in topics.values()} == {
        t.name: t.partitions for t in ALL_TOPICS
    }
    for topic in topics.values():
        assert topic["spec"]["replicas"] == 3
        assert topic["spec"]["config"]["min.insync.replicas"] == 2
    kafka = next(iter(of_kind(docs, "Kafka").values()))["spec"]["kafka"]
    assert kafka["authorization"] == {"type": "simple"}
    assert {lst["authentication"]["type"] for lst in kafka["listeners"]} == {"scram-sha-512"}
    assert all(lst["tls"] for lst in kafka["listeners"])
    assert kafka["config"]["min.insync.replicas"] == 2


def grants(docs: list[dict]) -> set[tuple[str, str, str, str]]:
    return {
        (user, acl["resource"]["type"], acl["resource"]["name"], operation)
        for user, spec in of_kind(docs, "KafkaUser").items()
        for acl in spec["spec"]["authorization"]["acls"]
        for operation in acl["operations"]
    }


def test_each_principal_gets_only_its_own_acls(docs: list[dict]) -> None:
    table = grants(docs)
    writes = {(u, n) for u, kind, n, op in table if kind == "topic" and op == "Write"}
    reads = {(u, n) for u, kind, n, op in table if kind == "topic" and op == "Read"}
    groups = {(u, n) for u, kind, n, op in table if kind == "group" and op == "Read"}
    assert {n for u, n in writes if u == "payments"} == {"payments.events", "payments.dlq"}
    assert {n for u, n in reads if u == "payments"} == {
        "assessment.events",
        "benefits.uc-claims",
        "care-plans.events",
    }
    assert {n for u, n in reads if u == "care-plans"} == {"assessment.events"}
    assert {n for u, n in reads if u == "notifications"} == {
        "assessment.events",
        "payments.events",
        "care-plans.events",
    }
    assert {n for u, n in reads if u == "assessment"} == {"care-plans.events"}  # plan reviews
    assert {n for u, n in writes if u == "benefits-system"} == {"benefits.uc-claims"}
    assert {(u, n) for u, kind, n, _ in table if u == "benefits-system"} == {
        ("benefits-system", "benefits.uc-claims")
    }
    assert groups == {
        (s, s) for s in ("assessment", "payments", "care-plans", "notifications", "operations")
    }
    # operations reads dead letters only, writes only where a dead letter is replayed to
    assert {n for u, n in reads if u == "operations"} == {
        f"{s}.dlq" for s in ("assessment", "payments", "care-plans", "notifications")
    }
    assert not any(n.endswith(".dlq") for u, n in writes if u == "operations")
    assert ("operations", "notifications.events") not in writes  # nobody consumes it


def test_consumers_are_sized_within_their_partitions(docs: list[dict]) -> None:
    model = yaml.safe_load((CHART / "files" / "kafka.yaml").read_text())
    consumers = of_kind(docs, "StatefulSet")
    autoscalers = of_kind(docs, "HorizontalPodAutoscaler")
    for app, consumer in model["consumers"].items():
        name = f"cb-care-benefit-{app}"
        replicas = (
            autoscalers[name]["spec"]["maxReplicas"]
            if name in autoscalers
            else consumers[name]["spec"]["replicas"]
        )
        assert replicas <= consumer["maxReplicas"] == 6


def test_each_consumer_is_a_static_member_under_its_own_stable_pod_name(docs: list[dict]) -> None:
    """A StatefulSet's pods keep their names (<set>-<ordinal>) across restarts, and no two pods
    in the namespace share one: the name is the consumer's group.instance.id."""
    model = yaml.safe_load((CHART / "files" / "kafka.yaml").read_text())
    consumers = of_kind(docs, "StatefulSet")
    assert set(consumers) == {f"cb-care-benefit-{app}" for app in model["consumers"]}
    assert not set(consumers) & set(of_kind(docs, "Deployment"))  # the portal stays one
    values = yaml.safe_load((CHART / "values.yaml").read_text())
    for app in model["consumers"]:
        stateful = consumers[f"cb-care-benefit-{app}"]
        prefix = values["apps"][app]["envPrefix"]
        [container] = stateful["spec"]["template"]["spec"]["containers"]
        env = {e["name"]: e for e in container["env"]}
        identity = env[f"{prefix}CONSUMER_INSTANCE_ID"]
        assert identity["valueFrom"] == {"fieldRef": {"fieldPath": "metadata.name"}}, app
        assert "value" not in identity, app  # never one id shared by every replica
        timeout = int(env[f"{prefix}CONSUMER_SESSION_TIMEOUT_MS"]["value"])
        grace = stateful["spec"]["template"]["spec"]["terminationGracePeriodSeconds"]
        assert grace * 1000 < timeout <= 1_800_000, app  # outlasts a restart, within the broker's
        assert stateful["spec"]["serviceName"] == stateful["metadata"]["name"]
        assert stateful["spec"]["updateStrategy"]["type"] == "RollingUpdate"
    portal = of_kind(docs, "Deployment")["cb-care-benefit-portal"]
    names = {e["name"] for e in portal["spec"]["template"]["spec"]["containers"][0]["env"]}
    assert not any("CONSUMER_INSTANCE_ID" in n for n in names)
    for scaler in of_kind(docs, "HorizontalPodAutoscaler").values():
        target = scaler["spec"]["scaleTargetRef"]
        assert target["kind"] == ("StatefulSet" if target["name"] in consumers else "Deployment"), (
            target
        )


def pod_specs(docs: list[dict]) -> Iterator[tuple[str, dict]]:
    for doc in docs:
        if doc["kind"] in ("Deployment", "StatefulSet"):
            yield doc["metadata"]["name"], doc["spec"]["template"]["spec"]
        elif doc["kind"] == "CronJob":
            yield doc["metadata"]["name"], doc["spec"]["jobTemplate"]["spec"]["template"]["spec"]


def test_every_pod_is_locked_down(docs: list[dict]) -> None:
    specs = dict(pod_specs(docs))
    assert len(specs) >= 7
    for name, spec in specs.items():
        assert spec["securityContext"]["runAsNonRoot"] is True, name
        assert spec["automountServiceAccountToken"] is False, name
        for container in spec["containers"] + spec.get("initContainers", []):
            context = container["securityContext"]
            assert context["readOnlyRootFilesystem"] is True, name
            assert context["allowPrivilegeEscalation"] is False, name
            assert context["capabilities"]["drop"] == ["ALL"], name
            assert "resources" in container and container["resources"]["limits"], name


def test_no_secret_is_inlined(docs: list[dict]) -> None:
    seen_urls = 0
    for name, spec in pod_specs(docs):
        for container in spec["containers"]:
            for env in container.get("env", []):
                if SECRET_NAME.search(env["name"]):
                    assert "valueFrom" in env and "value" not in env, (name, env["name"])
                if env["name"].endswith("DATABASE_URL"):
                    seen_urls += 1
                    assert re.fullmatch(
                        r"postgresql://\w+:\$\(CB_\w+_DB_PASSWORD\)@[^?]+"
                        r"\?sslmode=verify-full&sslrootcert=\S+",
                        env["value"],
                    ), env
    assert seen_urls >= 10  # runtime and migration URLs of five apps
    assert not of_kind(docs, "Secret")


def test_the_apps_that_seal_personal_data_get_their_keys_from_secrets(docs: list[dict]) -> None:
    """Assessment and payments do not start without their keys (servicekit.crypto); the payment
    run's CronJob opens bank details too."""
    keyed = {}
    for name, spec in pod_specs(docs):
        for container in spec["containers"]:
            names = {env["name"]: env for env in container.get("env", [])}
            for prefix in ("ASSESSMENT_", "PAYMENTS_"):
                wanted = [f"{prefix}ENCRYPTION_KEYS", f"{prefix}ENCRYPTION_KEY_ID"]
                if all(w in names for w in [*wanted, f"{prefix}LOOKUP_KEY"]):
                    keyed[name] = prefix
                    assert all("secretKeyRef" in names[w]["valueFrom"] for w in wanted), name
    assert sorted(set(keyed.values())) == ["ASSESSMENT_", "PAYMENTS_"]
    assert any("payment" in n and "run" in n for n in keyed), keyed


def test_payments_reads_the_providers_bank_details_from_a_secret(docs: list[dict]) -> None:
    """In production payments does not start without the file; the payment run pays from it."""
    mounted = []
    for name, spec in pod_specs(docs):
        for container in spec["containers"]:
            env = {e["name"]: e.get("value") for e in container.get("env", [])}
            if "PAYMENTS_PROVIDER_PAYEES_FILE" not in env:
                continue
            mounts = {m["name"]: m["mountPath"] for m in container["volumeMounts"]}
            volumes = {v["name"]: v for v in spec["volumes"]}
            path = env["PAYMENTS_PROVIDER_PAYEES_FILE"]
            assert path.startswith(mounts["provider-payees"] + "/"), name
            secret = volumes["provider-payees"]["secret"]
            assert secret["secretName"] == "care-benefit-provider-payees", name
            assert [i["path"] for i in secret["items"]] == [path.rsplit("/", 1)[1]], name
            mounted.append(name)
    assert any("payment" in n and "run" in n for n in mounted), mounted
    assert len(mounted) >= 2, mounted  # the service and its payment run


def test_everything_is_denied_unless_allowed(docs: list[dict]) -> None:
    policies = of_kind(docs, "NetworkPolicy")
    deny = policies["cb-care-benefit-default-deny"]["spec"]
    assert deny["podSelector"]["matchLabels"] == {
        "app.kubernetes.io/name": "care-benefit",
        "app.kubernetes.io/instance": "cb",
    }
    assert deny["policyTypes"] == ["Ingress", "Egress"]
    assert "ingress" not in deny and "egress" not in deny
    payments = policies["cb-care-benefit-payments"]["spec"]
    peers = [peer for rule in payments["egress"] for peer in rule["to"]]
    assert {
        "podSelector": {"matchLabels": {"cnpg.io/cluster": "cb-care-benefit-payments-db"}}
    } in peers
    assert not any("cnpg.io/cluster" in str(p) and "payments" not in str(p) for p in peers)
    for app in ("assessment", "payments", "care-plans", "notifications", "portal"):
        assert f"cb-care-benefit-{app}-db" in policies  # who may reach each database


class _Receiver(http.server.BaseHTTPRequestHandler):
    status = 200
    calls: list[tuple[str, str, str]] = []

    def do_POST(self) -> None:
        type(self).calls.append(("POST", self.path, self.headers.get("Authorization", "")))
        self.send_response(type(self).status)
        self.end_headers()
        self.wfile.write(b'{"due": [], "overdue": []}')

    def log_message(self, *args: object) -> None:
        pass


@pytest.mark.parametrize(("status", "succeeds"), [(200, True), (503, False)])
def test_the_review_sweep_job_posts_with_a_token_and_fails_on_an_error(
    infra, status: int, succeeds: bool
) -> None:
    docs = rendered("production")
    care_plans = of_kind(docs, "StatefulSet")["cb-care-benefit-care-plans"]
    env = care_plans["spec"]["template"]["spec"]["containers"][0]["env"]
    assert {"name": "CARE_PLANS_REVIEW_INTERVAL_SECONDS", "value": "0"} in env  # the job sweeps
    cronjobs = of_kind(docs, "CronJob")
    container = cronjobs["cb-care-benefit-review-sweep"]["spec"]["jobTemplate"]["spec"]["template"][
        "spec"
    ]["containers"][0]
    python, flag, module, method, url, *options = container["command"]
    assert (python, flag, module, method) == ("python", "-m", "servicekit.call", "POST")
    assert url.endswith("/ops/reviews/run") and options[:2] == ["--scope", "care-plans:write"]
    names = {e["name"]: e for e in container["env"]}
    assert names["AUTH_AUDIENCE"]["value"] == "urn:carebenefit:api:care-plans"
    assert "secretKeyRef" in names["AUTH_CLIENT_SECRET"]["valueFrom"]
    _Receiver.status, _Receiver.calls = status, []
    server = http.server.HTTPServer(("127.0.0.1", 0), _Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    provider = infra.oidc  # the session's real provider stands for the SSO
    job_env = {
        **os.environ,
        "AUTH_ISSUER": provider.issuer,
        "AUTH_AUDIENCE": names["AUTH_AUDIENCE"]["value"],
        "AUTH_CLIENT_ID": "care-plans",
        "AUTH_CLIENT_SECRET": provider.service_secrets["care-plans"],
    }
    try:
        local = f"http://127.0.0.1:{server.server_port}/ops/reviews/run"
        result = subprocess.run(
            [sys.executable, "-m", module, method, local, *options],
            capture_output=True,
            text=True,
            timeout=60,
            env=job_env,
        )
    finally:
        server.shutdown()
        server.server_close()
    [(called, path, authorization)] = _Receiver.calls
    assert (called, path) == ("POST", "/ops/reviews/run")
    validator = TokenValidator(
        provider.issuer, provider.resources["care-plans"], JwksCache(issuer=provider.issuer)
    )
    principal = asyncio.run(validator.principal(authorization.removeprefix("Bearer ")))
    assert principal.is_service and principal.has_scope("care-plans:write")
    assert (result.returncode == 0) is succeeds, result.stderr
