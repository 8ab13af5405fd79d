"""What the OpenAPI document says about request bodies and errors, from the payload models.

``ErrorOut`` is the one shape of every error (``besa.api.app``). ``entry_union_schema`` is the
body of ``POST /api/contracts/{ocid}/entries`` as the document describes it: a union of one
schema per entry kind, told apart by ``kind``, each with its payload model's fields (titles,
hints, types) — the same models that validate the payload when the entry is appended. The
endpoint itself keeps receiving the payload as an object and validating it in ``append``, so
that a rejected payload answers with the domain's field path and message, as before.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, Union

from ninja import Field, Schema
from pydantic import AwareDatetime, BaseModel, TypeAdapter, create_model
from pydantic import Field as PydanticField

from besa.logbook.kinds.audit import AUDIT_KINDS
from besa.logbook.kinds.payloads import MODELS, AttachedDocument


class ErrorOut(Schema):
    """An error: ``detail`` says what went wrong (Spanish / English); ``field`` names the
    culprit (``payload.amount``, ``contract.signing_date``) for rejected input (422) and an
    idempotency key reused for another request (409)."""

    detail: str
    field: str | None = Field(None, description="Dotted path of the rejected field.")
    errors: list[dict[str, Any]] | None = Field(
        None, description="Every problem found when the request did not even parse."
    )


#: The error answers an endpoint that reads a contract and may reject input declares.
ERRORS: dict[int, type[Schema]] = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}

#: What each error status means, as the document says it (docs/api.md, "Errors").
ERROR_MEANINGS: dict[int, str] = {
    400: "The request body could not be read (not JSON, or not the form it should be).",
    401: "No valid credentials: send `Authorization: Bearer <token>` or sign in.",
    403: "Your role may read this but not do it (an oversight body writes nothing).",
    404: "It does not exist or is outside your scope (the two look the same on purpose).",
    409: "An idempotency key already used for a different request.",
    413: "The request body is larger than the server accepts.",
    422: "Rejected input: `field` names the first culprit; nothing was written.",
}

#: The methods that change something: a session needs its CSRF token for them.
UNSAFE_METHODS = frozenset({"post", "put", "patch", "delete"})


def declare_errors(document: dict[str, Any]) -> None:
    """Declare, on every operation of ``document``, the error answers the framework itself
    may give: 401 where credentials are required, 403 on a write that requires them (a
    signed-in browser without its CSRF token, or a role that may not write), 422 where there
    is any parameter or body to reject, 404 where the path names something, 400 and 413
    where there is a body. What an endpoint's own rules add (a 403 on a read, 409) is
    declared on the endpoint. Each error answer refers to the one ``ErrorOut`` schema and
    carries its status's meaning."""
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
    for path, operations in document.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            statuses = {int(code) for code in responses if int(code) >= 400}
            if operation.get("security"):
                statuses.add(401)
                if method.lower() in UNSAFE_METHODS:
                    statuses.add(403)
            if operation.get("parameters") or operation.get("requestBody"):
                statuses.add(422)
            if "{" in path:
                statuses.add(404)
            if operation.get("requestBody"):
                statuses |= {400, 413}
            for status in sorted(statuses):
                responses[str(status)] = {"description": ERROR_MEANINGS[status], "content": error}


def _entry_model(kind: str, payload: type[BaseModel]) -> type[BaseModel]:
    """``<Kind>Entry``: an append request for one kind (as ``EntryIn``, its payload typed)."""
    return create_model(
        f"{payload.__name__}Entry",
        __doc__=f"Append a `{kind}` entry: {(payload.__doc__ or '').strip().splitlines()[0]}",
        kind=(Literal[kind], ...),  # type: ignore[arg-type]
        payload=(payload, ...),
        occurred_at=(
            AwareDatetime | None,
            PydanticField(
                None,
                description="When it happened in the world; defaults to the time of recording.",
            ),
        ),
        documents=(
            list[AttachedDocument],
            PydanticField(
                default_factory=list, description="Attached documents, each with its SHA-256."
            ),
        ),
        idempotency_key=(
            str | None,
            PydanticField(None, max_length=200, description="Makes retries safe."),
        ),
    )


#: One append request model per kind, in the order of a contract's life (audit steps are
#: recorded from their case, never appended through this API).
ENTRY_MODELS: dict[str, type[BaseModel]] = {
    kind: _entry_model(kind, model) for kind, model in MODELS.items() if kind not in AUDIT_KINDS
}


def entry_union_schema() -> tuple[dict[str, Any], dict[str, Any]]:
    """The append body's JSON schema (a ``oneOf`` with a ``kind`` discriminator) and the
    component schemas it refers to (to add under ``components.schemas``)."""
    members: Any = Union[tuple(ENTRY_MODELS.values())]  # noqa: UP007 - built at run time
    union: Any = Annotated[members, PydanticField(discriminator="kind")]
    adapter: TypeAdapter[Any] = TypeAdapter(union)
    schema = adapter.json_schema(ref_template="#/components/schemas/{model}")
    definitions = schema.pop("$defs", {})
    return schema, definitions


def registration_schema() -> tuple[dict[str, Any], dict[str, Any]]:
    """The registration body's schema (a reference) and the component schemas it needs."""
    from besa.registering import RegistrationRequest

    schema = RegistrationRequest.model_json_schema(ref_template="#/components/schemas/{model}")
    definitions = schema.pop("$defs", {})
    definitions["RegistrationRequest"] = schema
    return {"$ref": "#/components/schemas/RegistrationRequest"}, definitions
