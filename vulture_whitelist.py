"""Uses of our code that no tool can see (scripts/deadcode.py runs vulture with this).

Each line names something and says who uses it.
"""

# tests/core/test_api.py defines a view that overrides get_queryset only to prove that
# the scoped API base refuses it when the class is created.
Unsafe
