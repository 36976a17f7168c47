"""Uses of our code that no tool can see (scripts/deadcode.py runs vulture with this).

Each line names something and says who uses it. Empty today: keep it that way when
you can, by deleting what is unused instead.
"""
