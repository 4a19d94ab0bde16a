"""Contract checks for the fake Loomio: what it is asked and what it answers, against Loomio's own OpenAPI.

``../shared/reference/loomio/openapi.yaml`` (``COTECHBOT_SHARED_DIR`` overrides ``../shared``) is read at run
time, never copied. For each request the fake serves, :meth:`LoomioContract.check`:

1. validates each query parameter the OpenAPI operation declares (``group_id`` required and an integer,
   ``limit`` ≥ 1, ``offset`` ≥ 0, ``status`` one of the enum) — so a client sending a bad page fails here;
2. validates a JSON request body against the operation's request schema (``PollInput`` refuses unknown keys);
3. validates the reply against the operation's success schema, then against our own record schema written
   from API-NOTES §2 and §4 (the OpenAPI's ``RecordResponse`` allows anything): a root array named by
   ``meta.root``, side-loads as arrays, a show holding exactly one record, and the poll fields the bot reads.

Without the reference :func:`load_loomio_contract` returns None and the fake serves unchecked.
"""

from __future__ import annotations

import functools
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

REFERENCE = Path("reference") / "loomio" / "openapi.yaml"
SHOW_OPERATIONS = frozenset({"getPoll", "createPoll"})

_TIME = {
    "type": ["string", "null"],
    "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$",
}
POLL_RECORD = {
    "type": "object",
    "required": ["id", "key", "poll_type", "title", "group_id", "created_at", "closing_at", "closed_at"],
    "properties": {
        "id": {"type": "integer"},
        "key": {"type": "string", "pattern": "^[A-Za-z0-9]{8}$"},
        "poll_type": {"type": "string"},
        "title": {"type": ["string", "null"]},
        "group_id": {"type": ["integer", "null"]},
        "created_at": _TIME,
        "closing_at": _TIME,
        "closed_at": _TIME,
        "hide_results": {"enum": ["off", "until_vote", "until_closed"]},
        "current_outcome_id": {"type": "integer"},
        "results": {"type": "array", "items": {"type": "object", "required": ["id", "name", "voter_count"]}},
        "stance_counts": {"type": "array", "items": {"type": "number"}},
    },
}
RECORDS_RESPONSE = {
    "type": "object",
    "required": ["meta"],
    "properties": {
        "meta": {
            "type": "object",
            "required": ["root"],
            "properties": {"root": {"type": "string"}, "total": {"type": ["integer", "null"]}},
        },
        "polls": {"type": "array", "items": POLL_RECORD},
        "outcomes": {
            "type": "array",
            "items": {"type": "object", "required": ["id", "poll_id", "statement", "latest"]},
        },
    },
    "additionalProperties": {"type": "array", "items": {"type": "object"}},
}


def find_shared_dir() -> Path | None:
    env = os.environ.get("COTECHBOT_SHARED_DIR")
    candidate = Path(env) if env else Path(__file__).resolve().parents[2].parent / "shared"
    return candidate if (candidate / REFERENCE).is_file() else None


def load_loomio_contract(shared_dir: Path | None = None) -> LoomioContract | None:
    shared = shared_dir or find_shared_dir()
    if shared is None or not (shared / REFERENCE).is_file():
        return None
    return _load(shared / REFERENCE)


@functools.lru_cache(maxsize=4)
def _load(path: Path) -> LoomioContract:
    import yaml  # the sandbox extra; only needed when checking

    return LoomioContract(yaml.safe_load(path.read_text()))


@dataclass
class LoomioContract:
    document: dict[str, Any]

    def __post_init__(self) -> None:
        self.operations: dict[str, tuple[list[dict[str, Any]], dict[str, Any]]] = {}
        for item in self.document["paths"].values():
            shared_parameters = item.get("parameters", [])
            for operation in item.values():
                if isinstance(operation, dict) and "operationId" in operation:
                    parameters = [
                        self._resolve(p) for p in shared_parameters + operation.get("parameters", [])
                    ]
                    self.operations[operation["operationId"]] = (parameters, operation)

    def _resolve(self, node: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in node:
            target: Any = self.document
            for part in node["$ref"].lstrip("#/").split("/"):
                target = target[part]
            node = target
        return node

    def _validator(self, schema: dict[str, Any]) -> Draft202012Validator:
        return Draft202012Validator({**schema, "components": self.document["components"]})

    def check(self, operation_id: str, request: Any, status: int, body: Any) -> list[str]:
        """Every way this exchange breaks the contract, each as one line ([] when it conforms)."""
        if operation_id not in self.operations:
            return [f"{operation_id}: not an operation of the Loomio OpenAPI"]
        parameters, operation = self.operations[operation_id]
        problems = [f"{operation_id} request: {p}" for p in self._check_query(parameters, request.args)]
        if request.method in ("POST", "PATCH", "PUT"):
            problems += [f"{operation_id} request body: {p}" for p in self._check_body(operation, request)]
        response = operation.get("responses", {}).get(str(status)) or operation.get("responses", {}).get(
            "default"
        )
        if response is not None:
            schema = self._resolve(response).get("content", {}).get("application/json", {}).get("schema")
            if schema is not None:
                problems += [
                    f"{operation_id} {status}: {error.message}"
                    for error in self._validator(schema).iter_errors(body)
                ]
        if 200 <= status < 300 and operation_id.endswith(("Poll", "Polls")):
            problems += [f"{operation_id} {status}: {p}" for p in _check_records(operation_id, body)]
        return problems

    def _check_query(self, parameters: list[dict[str, Any]], args: Any) -> list[str]:
        problems = []
        for parameter in parameters:
            if parameter.get("in") != "query":
                continue
            name = parameter["name"]
            if name not in args:
                if parameter.get("required"):
                    problems.append(f"query parameter {name} is required")
                continue
            value: Any = args.get(name)
            schema = parameter.get("schema", {})
            if schema.get("type") == "integer":
                try:
                    value = int(value)
                except ValueError:
                    problems.append(f"query parameter {name}={value!r} is not an integer")
                    continue
            problems += [
                f"query parameter {name}: {e.message}" for e in self._validator(schema).iter_errors(value)
            ]
        return problems

    def _check_body(self, operation: dict[str, Any], request: Any) -> list[str]:
        content = operation.get("requestBody", {}).get("content", {}).get("application/json")
        if content is None:
            return []
        try:
            data = json.loads(request.get_data(as_text=True) or "null")
        except ValueError:
            return ["not JSON"]
        return [e.message for e in self._validator(content["schema"]).iter_errors(data)]


def _check_records(operation_id: str, body: Any) -> list[str]:
    problems = [e.message for e in Draft202012Validator(RECORDS_RESPONSE).iter_errors(body)]
    if problems or not isinstance(body, dict):
        return problems
    root = body["meta"]["root"]
    if not isinstance(body.get(root), list):
        problems.append(f"meta.root names {root!r} but there is no such array")
    elif operation_id in SHOW_OPERATIONS and len(body[root]) != 1:
        problems.append(f"a show must hold one record, not {len(body[root])}")
    outcome_ids = {row["id"] for row in body.get("outcomes", [])}
    for poll in body.get("polls", []):
        wanted = poll.get("current_outcome_id")
        if wanted is not None and wanted not in outcome_ids:
            problems.append(f"poll {poll['id']} names outcome {wanted} which is not side-loaded")
    return problems
