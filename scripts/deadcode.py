#!/usr/bin/env python3
"""Dead code check for `make lint`: vulture over the project, taught Django's ways.

vulture finds functions, classes, methods, properties and imports that nothing uses.
On its own it cannot see three kinds of use, so this script supplies them:

* templates: every attribute a template reads (`{{ row.n_submitted }}`,
  `{% if access.can_review %}`) counts as used;
* dotted paths in settings (middleware, adapters, form renderers, context
  processors): their last component counts as used;
* Django's, DRF's and Celery's hooks, which the frameworks call by name
  (`FRAMEWORK_NAMES`, `FRAMEWORK_DECORATORS`).

Class-level and module-level variables are not reported: in a Django project they
are model fields, Meta and admin options, serializer fields and settings, which the
frameworks read by introspection. What remains after all that and is still used in
a way no tool can see goes into `vulture_whitelist.py`, with a comment saying why.
Exits 1 and lists the findings when there are any.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import vulture

ROOT = Path(__file__).resolve().parent.parent

#: The project's Python code (tests included: a helper only the tests use is not dead).
PATHS = [
    "accounts",
    "assessments",
    "benchmarks",
    "certificates",
    "collaboratives",
    "config",
    "core",
    "dashboards",
    "demo",
    "learning_sessions",
    "measures",
    "pdsa",
    "resources",
    "scripts",
    "teams",
    "tests",
    "manage.py",
    "vulture_whitelist.py",
]
EXCLUDE = ["*/migrations/*"]

#: Names the frameworks call, so that nothing in our code does.
FRAMEWORK_NAMES = [
    # Django: apps, models, forms, views, admin, management commands, checks, middleware
    "ready",
    "save",
    "delete",
    "clean",
    "clean_*",
    "get_absolute_url",
    "natural_key",
    "get_by_natural_key",
    "create_user",
    "create_superuser",
    "get_full_name",
    "get_short_name",
    "has_*_permission",
    "get_readonly_fields",
    "handle",
    "add_arguments",
    "Command",
    "Migration",
    "*Config",
    "get_queryset",
    "process_*",
    "get_context_data",
    "get_template_names",
    "format_value",
    "get_context",
    "render",
    "value_from_datadict",
    "to_python",
    "validate",
    "prepare_value",
    "has_changed",
    "label_from_instance",
    "deconstruct",
    # DRF: views, serializers, permissions, pagination, exception handler
    "get",
    "post",
    "put",
    "patch",
    "list",
    "retrieve",
    "create",
    "update",
    "partial_update",
    "destroy",
    "perform_*",
    "get_serializer_class",
    "get_serializer_context",
    "get_paginated_response",
    "get_paginated_response_schema",
    "get_permissions",
    "has_permission",
    "has_object_permission",
    "to_representation",
    "to_internal_value",
    "validate_*",
    "get_schema_operation_parameters",
    "map_serializer_field",
    # allauth adapters and forms
    "send_mail",
    "is_open_for_signup",
    "signup",
    "get_login_redirect_url",
    # pytest
    "pytest_*",
]

#: Decorators that register a function with a framework or one of our registries.
FRAMEWORK_DECORATORS = [
    "@register.filter",
    "@register.simple_tag",
    "@register.inclusion_tag",
    "@register",
    "@shared_task",
    "@app.task",
    "@receiver",
    "@pytest.fixture",
    "@factory.post_generation",
    "@admin.register",
    "@admin.action",
    "@admin.display",
    "@copy_step",
    "@register_due_provider",
    "@extend_schema_field",
]

#: Kinds of findings reported (see the module docstring for why variables are not).
REPORTED = ("function", "class", "method", "property", "import")

_TEMPLATE_LOOKUP = re.compile(r"\.([A-Za-z_]\w*)")
_TEMPLATE_TAG = re.compile(r"{{.*?}}|{%.*?%}", re.S)
_DOTTED = re.compile(r"""["']([a-z_]+(?:\.[A-Za-z_]\w*)+)["']""")


def template_names() -> set[str]:
    """Attribute names read by the templates (`x.name` inside `{{ }}` and `{% %}`)."""
    names: set[str] = set()
    for path in (ROOT / "templates").rglob("*"):
        if path.is_file():
            for tag in _TEMPLATE_TAG.findall(path.read_text(encoding="utf-8")):
                names.update(_TEMPLATE_LOOKUP.findall(tag))
    return names


def dotted_setting_names() -> set[str]:
    """Last components of dotted paths in settings ("core.forms.USWDSFormRenderer")."""
    names: set[str] = set()
    for path in (ROOT / "config").glob("*.py"):
        for dotted in _DOTTED.findall(path.read_text(encoding="utf-8")):
            names.add(dotted.rsplit(".", 1)[-1])
    return names


def serializer_method_hook(item) -> bool:
    """`get_<field>` of a DRF serializer: SerializerMethodField calls it by name."""
    return item.filename.name == "serializers.py" and item.name.startswith("get_")


def main() -> int:
    ignore = FRAMEWORK_NAMES + sorted(template_names() | dotted_setting_names())
    scanner = vulture.Vulture(ignore_names=ignore, ignore_decorators=FRAMEWORK_DECORATORS)
    scanner.scavenge([str(ROOT / p) for p in PATHS if (ROOT / p).exists()], exclude=EXCLUDE)
    findings = [
        item
        for item in scanner.get_unused_code(min_confidence=60)
        if item.typ in REPORTED and not serializer_method_hook(item)
    ]
    for item in findings:
        print(item.get_report(add_size=False))
    if findings:
        print(
            f"\n{len(findings)} unused name(s). Delete the code, or, if something uses it in a "
            "way no tool can see, add it to vulture_whitelist.py with a comment saying what."
        )
        return 1
    print("deadcode: nothing unused")
    return 0


if __name__ == "__main__":
    sys.exit(main())
