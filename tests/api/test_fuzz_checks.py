"""The fuzz run's own checks can fail: a leak and a lying schema are reported.

tests/api/test_schema_fuzz.py passes when nothing is reported, so these prove that
the tenancy check and the schema checks it relies on do report what they must.
"""

from django.test import override_settings

from .fuzz import TENANCY_CHECK, Persona, load_schema, run_persona, tenant_ids


@override_settings(API_THROTTLE_ENABLED=False)
def test_the_tenancy_check_reports_a_forbidden_string(tenant_a):
    """Tenant A's lead sees its own team's name: told it must not, the check says so."""
    schema = load_schema().include(path="/api/v1/teams/", method="GET")
    persona = Persona("A lead", tenant_a.lead, [tenant_a.team.name])
    result = run_persona(schema, persona, [tenant_ids(tenant_a)], examples=2)
    assert result.requests >= 1
    assert result.failures[TENANCY_CHECK] >= 1


@override_settings(API_THROTTLE_ENABLED=False)
def test_an_undocumented_answer_is_reported(tenant_a):
    """With the error answers removed from the schema, anonymous 401s are reported."""
    schema = load_schema()
    for methods in schema.raw_schema["paths"].values():
        for operation in methods.values():
            operation["responses"].pop("401", None)
    schema = schema.include(path="/api/v1/me/")
    result = run_persona(schema, Persona("anonymous", None, []), [], examples=1)
    assert result.failures["status_code_conformance"] == result.requests >= 1
