"""The Kubernetes manifests (deploy/kubernetes) are valid for the cluster and keep the production topology's rules.

Offline: every document is checked against the Kubernetes API schemas that kubernetes-validate ships, then read
for what the schemas cannot know (non-root pods, probes, public routes, replicas, placeholder secrets).
"""

from __future__ import annotations

import base64
import copy
from pathlib import Path
from typing import Any, Iterator

import kubernetes_validate
import pytest
import yaml

from bot.settings import MIN_SECRET_CHARS, BadSetting
from bot.store.sealing import Keyring

MANIFESTS = Path(__file__).resolve().parents[2] / "deploy" / "kubernetes"
NAMESPACE = "scope-coach"
# The newest schemas kubernetes-validate 1.28.3 ships; its later releases need jsonschema>=4.18, and the coach
# keeps jsonschema 3.2 (pyproject.toml).
KUBERNETES_VERSION = "1.28"
NAME = "app.kubernetes.io/name"

# deploy/nginx.conf's public routes, as (path, pathType).
PUBLIC_ROUTES = {
    ("/webhooks/web/", "Prefix"),  # the chat page and its files, plan documents and share links
    ("/webhooks/web/session", "Exact"),  # session tokens, at a slower rate
    ("/socket.io/", "ImplementationSpecific"),  # the chat connection (a dot: ingress.yaml says why not Prefix)
    ("/webhooks/teams/webhook", "Exact"),  # Microsoft Teams activities
}
PUBLIC_REQUESTS = [
    "/webhooks/web/",
    "/webhooks/web/widget.js",
    "/webhooks/web/session",
    "/webhooks/web/documents/abcdefghijklmnopqrstuvwx.pdf",
    "/socket.io/",
    "/webhooks/teams/webhook",
]
# The REST channel, Rasa's HTTP API and anything unknown: reachable inside the cluster only.
PRIVATE_REQUESTS = [
    "/",
    "/webhooks/rest/webhook",
    "/webhooks/rest/",
    "/webhooks/teams/other",
    "/webhooks/webx",
    "/status",
    "/version",
    "/conversations/web:abc/tracker",
    "/conversations/web:abc/messages",
    "/model",
    "/model/parse",
    "/socket.iox",
]


def load_documents() -> list[tuple[str, dict[str, Any]]]:
    """Every document in deploy/kubernetes/*.yaml, named "file: Kind/name" for readable test ids."""
    documents = []
    for path in sorted(MANIFESTS.glob("*.yaml")):
        for document in yaml.safe_load_all(path.read_text(encoding="utf-8")):
            if document is not None:
                label = f"{path.name}: {document.get('kind')}/{document.get('metadata', {}).get('name')}"
                documents.append((label, document))
    return documents


DOCUMENTS = load_documents()


def of_kind(kind: str) -> list[dict[str, Any]]:
    return [document for _, document in DOCUMENTS if document["kind"] == kind]


def named(kind: str, name: str) -> dict[str, Any]:
    matching = [document for document in of_kind(kind) if document["metadata"]["name"] == name]
    assert len(matching) == 1, f"expected one {kind} named {name}, found {len(matching)}"
    return matching[0]


def pod_spec(document: dict[str, Any]) -> dict[str, Any] | None:
    """The pod template's spec of a workload, else None."""
    if document["kind"] in ("Deployment", "Job"):
        return document["spec"]["template"]["spec"]
    if document["kind"] == "CronJob":
        return document["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    return None


def workload_containers(kinds: tuple[str, ...]) -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    """(label, pod spec, container) for every container, init containers included, of the given kinds."""
    found = []
    for label, document in DOCUMENTS:
        spec = pod_spec(document)
        if spec is None or document["kind"] not in kinds:
            continue
        for container in spec.get("initContainers", []) + spec["containers"]:
            found.append((f"{label} [{container['name']}]", spec, container))
    return found


WORKLOADS = ("Deployment", "Job", "CronJob")
ALL_CONTAINERS = workload_containers(WORKLOADS)
DEPLOYMENT_CONTAINERS = workload_containers(("Deployment",))


def selects(selector: dict[str, Any], labels: dict[str, str]) -> bool:
    """Whether a label selector (matchLabels, matchExpressions with In) selects pods with these labels."""
    if any(labels.get(key) != value for key, value in selector.get("matchLabels", {}).items()):
        return False
    for expression in selector.get("matchExpressions", []):
        assert expression["operator"] == "In", "only In is understood here"
        if labels.get(expression["key"]) not in expression["values"]:
            return False
    return True


def template_labels(deployment: dict[str, Any]) -> dict[str, str]:
    return deployment["spec"]["template"]["metadata"]["labels"]


def ingress_paths() -> Iterator[tuple[dict[str, Any], str, dict[str, Any]]]:
    """(Ingress, host, path rule) for every path every Ingress routes."""
    for ingress in of_kind("Ingress"):
        for rule in ingress["spec"].get("rules", []):
            for path in rule.get("http", {}).get("paths", []):
                yield ingress, rule.get("host", "*"), path


def routed(request_path: str) -> bool:
    """Whether any Ingress sends this path to the coach, by Kubernetes' Exact and Prefix matching."""
    for _, _, rule in ingress_paths():
        if rule["pathType"] == "Exact":
            if request_path == rule["path"]:
                return True
            continue
        # Prefix matches whole path elements; ImplementationSpecific, on ingress-nginx, as a string prefix.
        # Either reading counts, the wider one.
        elements = [part for part in rule["path"].split("/") if part]
        if [part for part in request_path.split("/") if part][: len(elements)] == elements:
            return True
        if rule["pathType"] == "ImplementationSpecific" and request_path.startswith(rule["path"]):
            return True
    return False


def mebibytes(quantity: str) -> float:
    units = {"Ki": 1 / 1024, "Mi": 1, "Gi": 1024, "Ti": 1024 * 1024}
    for suffix, factor in units.items():
        if quantity.endswith(suffix):
            return float(quantity[: -len(suffix)]) * factor
    return float(quantity) / (1024 * 1024)


def test_every_concern_has_its_manifest() -> None:
    kinds = {document["kind"] for _, document in DOCUMENTS}
    assert {"Namespace", "Secret", "ConfigMap", "PersistentVolumeClaim", "Deployment", "Service", "Ingress", "Job",
            "CronJob", "PodDisruptionBudget", "NetworkPolicy"} <= kinds
    assert {d["metadata"]["name"] for d in of_kind("Deployment")} == {"coach-rasa", "coach-actions", "coach-redis"}


@pytest.mark.parametrize("document", [document for _, document in DOCUMENTS],
                         ids=[label for label, _ in DOCUMENTS])
def test_manifest_is_valid_for_kubernetes(document: dict[str, Any]) -> None:
    problem = None
    try:
        kubernetes_validate.validate(document, KUBERNETES_VERSION, strict=True)
    except kubernetes_validate.ValidationError as error:
        problem = f"at {'.'.join(str(part) for part in error.path) or 'the top'}: {error.message}"
    except kubernetes_validate.SchemaNotFoundError as error:
        problem = error.message
    if problem:  # failed outside the except block: the chained schema dump runs to a thousand lines
        pytest.fail(problem)


def test_the_validator_rejects_a_misspelt_field() -> None:
    # So a pass above means something: strict validation refuses fields Kubernetes would silently drop.
    deployment = copy.deepcopy(named("Deployment", "coach-rasa"))
    deployment["spec"]["template"]["spec"]["containers"][0]["readinesProbe"] = {"httpGet": {"path": "/"}}
    with pytest.raises(kubernetes_validate.ValidationError, match="readinesProbe"):
        kubernetes_validate.validate(deployment, KUBERNETES_VERSION, strict=True)


@pytest.mark.parametrize("label", [label for label, _ in DOCUMENTS if not label.split(": ")[1].startswith("Namespace")])
def test_every_resource_lives_in_the_coach_namespace(label: str) -> None:
    document = dict(DOCUMENTS)[label]
    assert document["metadata"].get("namespace") == NAMESPACE


@pytest.mark.parametrize(("pod", "container"), [(pod, container) for _, pod, container in ALL_CONTAINERS],
                         ids=[label for label, _, _ in ALL_CONTAINERS])
def test_every_container_runs_as_non_root_without_privilege_escalation(pod: dict[str, Any],
                                                                        container: dict[str, Any]) -> None:
    own = container.get("securityContext", {})
    effective = {**pod.get("securityContext", {}), **own}  # a container's settings override the pod's
    assert effective.get("runAsNonRoot") is True
    assert effective.get("runAsUser") == 10001
    assert effective.get("seccompProfile", {}).get("type") == "RuntimeDefault"
    assert own.get("allowPrivilegeEscalation") is False
    assert own.get("capabilities", {}).get("drop") == ["ALL"]
    assert not own.get("capabilities", {}).get("add")
    assert own.get("privileged") is not True
    assert own.get("readOnlyRootFilesystem") is True
    assert pod.get("automountServiceAccountToken") is False


@pytest.mark.parametrize("container", [container for _, _, container in DEPLOYMENT_CONTAINERS],
                         ids=[label for label, _, _ in DEPLOYMENT_CONTAINERS])
def test_every_deployment_container_has_probes_and_memory_bounds(container: dict[str, Any]) -> None:
    assert container.get("readinessProbe"), "no readiness probe: traffic would reach a server still loading"
    assert container.get("livenessProbe"), "no liveness probe: a stuck server would never be restarted"
    requests = container.get("resources", {}).get("requests", {})
    limits = container.get("resources", {}).get("limits", {})
    assert "memory" in requests and "memory" in limits
    assert mebibytes(requests["memory"]) <= mebibytes(limits["memory"])


def test_the_rasa_server_has_minutes_to_load_its_model() -> None:
    # Start-up took 278 s on the development machine: liveness must not kill it while TensorFlow loads.
    rasa = named("Deployment", "coach-rasa")["spec"]["template"]["spec"]["containers"][0]
    startup = rasa["startupProbe"]
    assert startup["httpGet"]["path"] == "/"
    assert startup.get("periodSeconds", 10) * startup.get("failureThreshold", 3) >= 300


def test_the_rasa_http_api_needs_the_token_from_the_secret() -> None:
    rasa = named("Deployment", "coach-rasa")["spec"]["template"]["spec"]["containers"][0]
    command = rasa["command"]
    assert command[command.index("--auth-token") + 1] == "$(COACH_API_TOKEN)"
    token = next(variable for variable in rasa["env"] if variable["name"] == "COACH_API_TOKEN")
    assert token["valueFrom"]["secretKeyRef"] == {"name": "coach-secrets", "key": "COACH_API_TOKEN"}


def test_the_ingress_routes_exactly_the_public_paths() -> None:
    routes = {(rule["path"], rule["pathType"]) for _, _, rule in ingress_paths()}
    assert routes == PUBLIC_ROUTES
    for ingress, host, rule in ingress_paths():
        assert host == "coach.example.nhs.uk"
        assert rule["backend"]["service"]["name"] in ("coach-rasa", "coach-rasa-chat")
        assert "defaultBackend" not in ingress["spec"], "a default backend would publish every other path"
        assert ingress["spec"]["tls"], "every route is served over TLS"


@pytest.mark.parametrize("path", PUBLIC_REQUESTS)
def test_the_ingress_publishes_the_chat_documents_and_teams(path: str) -> None:
    assert routed(path)


@pytest.mark.parametrize("path", PRIVATE_REQUESTS)
def test_the_ingress_never_routes_the_rest_channel_or_the_http_api(path: str) -> None:
    assert not routed(path)


@pytest.mark.parametrize("ingress", of_kind("Ingress"), ids=lambda ingress: ingress["metadata"]["name"])
def test_every_ingress_limits_body_size_and_rate(ingress: dict[str, Any]) -> None:
    annotations = ingress["metadata"].get("annotations", {})
    assert annotations.get("nginx.ingress.kubernetes.io/proxy-body-size") == "256k"
    assert int(annotations.get("nginx.ingress.kubernetes.io/limit-rps", "0")) > 0
    assert ingress["spec"]["ingressClassName"] == "nginx"
    # use-regex on any Ingress turns every path of the host into a regular expression.
    assert annotations.get("nginx.ingress.kubernetes.io/use-regex", "false") == "false"


def test_socket_io_keeps_to_one_rasa_server_by_the_pages_route() -> None:
    chat = [(ingress, rule) for ingress, _, rule in ingress_paths() if rule["path"] == "/socket.io/"]
    assert len(chat) == 1
    ingress, rule = chat[0]
    assert ingress["metadata"]["annotations"]["nginx.ingress.kubernetes.io/upstream-hash-by"] == "$arg_route"
    # ingress-nginx applies hashing to every route to the same Service: the chat needs a Service of its own.
    chat_service = rule["backend"]["service"]["name"]
    others = {r["backend"]["service"]["name"] for _, _, r in ingress_paths() if r["path"] != "/socket.io/"}
    assert chat_service not in others
    hashed = [i for i in of_kind("Ingress") if "nginx.ingress.kubernetes.io/upstream-hash-by" in
              i["metadata"].get("annotations", {})]
    assert hashed == [ingress]


@pytest.mark.parametrize("name", ["coach-rasa", "coach-actions"])
def test_two_replicas_serve_and_a_disruption_budget_covers_them(name: str) -> None:
    deployment = named("Deployment", name)
    assert deployment["spec"]["replicas"] == 2
    budgets = [budget for budget in of_kind("PodDisruptionBudget")
               if selects(budget["spec"]["selector"], template_labels(deployment))]
    assert len(budgets) == 1, f"no disruption budget selects {name}'s pods"
    assert budgets[0]["spec"].get("minAvailable") == 1


def test_secrets_hold_only_obvious_placeholders() -> None:
    secrets = of_kind("Secret")
    assert secrets, "the example Secret documents the keys the pods read"
    for secret in secrets:
        values = dict(secret.get("stringData", {}))
        values.update({key: base64.b64decode(value).decode() for key, value in secret.get("data", {}).items()})
        for key, value in values.items():
            assert "replace" in value.lower(), f"{secret['metadata']['name']}.{key} is not an obvious placeholder"
        for key in ("COACH_TOKEN_SECRET", "COACH_API_TOKEN"):
            # Too short for the coach to accept: applied by mistake, it stops the servers instead of serving.
            assert len(values.get(key, "")) < MIN_SECRET_CHARS
        with pytest.raises(BadSetting):  # not a key: applied by mistake, it stops the servers too
            Keyring.parse(values["COACH_DATA_KEYS"])


def test_every_secret_setting_and_volume_a_pod_reads_is_declared() -> None:
    secret_keys = {key for secret in of_kind("Secret") for key in secret.get("stringData", {})}
    config_maps = {config["metadata"]["name"] for config in of_kind("ConfigMap")}
    claims = {claim["metadata"]["name"] for claim in of_kind("PersistentVolumeClaim")}
    for label, _, container in ALL_CONTAINERS:
        for variable in container.get("env", []):
            reference = variable.get("valueFrom", {}).get("secretKeyRef")
            if reference:
                assert reference["name"] == "coach-secrets" and reference["key"] in secret_keys, label
        for source in container.get("envFrom", []):
            assert source["configMapRef"]["name"] in config_maps, label
    for _, document in DOCUMENTS:
        for volume in (pod_spec(document) or {}).get("volumes", []):
            if "persistentVolumeClaim" in volume:
                assert volume["persistentVolumeClaim"]["claimName"] in claims


def test_every_service_and_route_reaches_pods() -> None:
    deployments = of_kind("Deployment")
    services = {service["metadata"]["name"]: service for service in of_kind("Service")}
    for name, service in services.items():
        assert any(selects({"matchLabels": service["spec"]["selector"]}, template_labels(d)) for d in deployments), name
    for _, _, rule in ingress_paths():
        backend = rule["backend"]["service"]
        assert backend["name"] in services
        assert backend["port"]["name"] in {port["name"] for port in services[backend["name"]]["spec"]["ports"]}


def admitted(target: str) -> list[dict[str, Any]]:
    """The ingress rules of every NetworkPolicy that applies to the named Deployment's pods."""
    labels = template_labels(named("Deployment", target))
    return [rule for policy in of_kind("NetworkPolicy") if selects(policy["spec"]["podSelector"], labels)
            for rule in policy["spec"].get("ingress", [])]


def test_network_policies_deny_by_default() -> None:
    assert any(policy["spec"]["podSelector"] == {} and policy["spec"].get("policyTypes") == ["Ingress"]
               and not policy["spec"].get("ingress") for policy in of_kind("NetworkPolicy"))


def test_only_the_ingress_controller_reaches_the_rasa_servers() -> None:
    rules = admitted("coach-rasa")
    assert rules
    for rule in rules:
        assert [port["port"] for port in rule["ports"]] == [5005]
        for peer in rule["from"]:
            assert peer["namespaceSelector"] == {"matchLabels": {"kubernetes.io/metadata.name": "ingress-nginx"}}


def test_only_the_rasa_servers_reach_the_action_servers() -> None:
    rules = admitted("coach-actions")
    assert rules
    for rule in rules:
        assert [port["port"] for port in rule["ports"]] == [5055]
        assert rule["from"] == [{"podSelector": {"matchLabels": {NAME: "coach-rasa"}}}]


def test_only_coach_pods_reach_redis() -> None:
    rules = admitted("coach-redis")
    assert rules
    coach_pods = {"coach-rasa", "coach-actions", "coach-scheduled"}
    for rule in rules:
        assert [port["port"] for port in rule["ports"]] == [6379]
        for peer in rule["from"]:
            assert set(peer) == {"podSelector"}, "pods of this namespace only"
            selector = peer["podSelector"]
            names = {selector["matchLabels"][NAME]} if NAME in selector.get("matchLabels", {}) else set()
            names |= {value for expression in selector.get("matchExpressions", []) if expression["key"] == NAME
                      for value in expression["values"]}
            assert names and names <= coach_pods, f"admits {sorted(names - coach_pods) or 'every pod'}"


def test_the_scheduled_job_runs_retention_nightly_with_the_data_keys_and_the_documents() -> None:
    scheduled = named("CronJob", "coach-scheduled")
    assert scheduled["spec"]["suspend"] is False
    [container] = pod_spec(scheduled)["containers"]
    assert container["command"] == ["coach", "retention", "run"]
    secrets = {e["name"]: e["valueFrom"]["secretKeyRef"]["key"] for e in container["env"] if "valueFrom" in e}
    assert secrets == {"DATABASE_URL": "DATABASE_URL", "COACH_DATA_KEYS": "COACH_DATA_KEYS"}
    assert {"configMapRef": {"name": "coach-config"}} in container["envFrom"]
    actions = named("Deployment", "coach-actions")["spec"]["template"]["spec"]["containers"][0]
    assert [m["mountPath"] for m in container["volumeMounts"] if m["name"] == "documents"] == \
        [m["mountPath"] for m in actions["volumeMounts"] if m["name"] == "documents"]
