"""Schemathesis against the running server's own OpenAPI document: for every operation,
generated requests, valid and invalid, never get a 5xx, and every response matches what
the document says (status code, content type, body schema, headers)."""

import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

EXAMPLES = 12  # per operation and mode: 43 operations x 2 modes
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          response_headers_conformance]
LONGEST_DELAY = 0.2  # a run delayed by a year would, correctly, keep /wait waiting a year


def test_generated_requests_never_get_a_5xx_and_are_answered_as_documented(server) -> None:
    schema = schemathesis.openapi.from_url(f"{server.url}/docs/openapi.json")
    sent, failures = [], []
    for found in schema.get_all_operations():
        operation = found.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            @given(operation.as_strategy(generation_mode=mode))
            @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                      suppress_health_check=list(HealthCheck))
            def exercise(case) -> None:
                if isinstance(case.body, dict) and isinstance(case.body.get("after_seconds"), int | float):
                    case.body["after_seconds"] = min(case.body["after_seconds"], LONGEST_DELAY)
                response = case.call(timeout=30)
                sent.append(response.status_code)
                try:
                    case.validate_response(response, checks=CHECKS)
                except (AssertionError, BaseExceptionGroup) as e:  # all collected, reported below
                    failures.append(f"{operation.label} ({mode.value}): {e}")

            try:
                exercise()
            except Unsatisfiable:  # nothing in this operation's request can be made invalid
                assert mode is GenerationMode.NEGATIVE, operation.label
    print(f"\n{len(sent)} generated requests; statuses: {sorted(set(sent))}")
    assert len(sent) >= len(list(schema.get_all_operations())) * 2, "too few requests were generated"
    assert not failures, "\n\n".join(failures[:10])
