"""Pages of the gap analysis, split by subject: `templates` (the library and the
builder), `waves` (a collaborative's surveys, their report and CSV) and `responses`
(a team's survey form, its gap report and PDF, reopening).

Thin: each page finds its object through a selector (404 when the person may not see
it), checks the role (403), calls a service and renders.
"""
