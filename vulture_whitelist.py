"""Uses of our code that no tool can see (scripts/deadcode.py runs vulture with this).

Each line names something and says who uses it. Keep it short: delete what is unused
instead of listing it here.
"""

# measures.api.serializers.MeasureSerializer reads Measure.is_custom by field name.
is_custom

# scripts/fault_drill.py names it in EMAIL_BACKEND for its Celery worker.
SlowFileBackend
# tests/pdsa/conftest.py's full_disk fixture names it in STORAGES; Django calls _save.
FullDiskStorage
_save

# core.api.throttling: DRF's SimpleRateThrottle calls them on our throttle classes.
get_rate
get_cache_key

# benchmarks/load/locustfile.py: locust finds the simulated people (User classes) and
# runs their @task methods itself.
TeamLead
pdsa_list
log_a_cycle
enter_data
Coach
coach_home
measure_chart
Staff
measures_view
pooled_measure
ApiClient
Trivial

# config/gunicorn.conf.py: gunicorn calls its server hooks by name.
when_ready

# resources/community/text.py: Django's Urlizer calls is_email_simple (overridden: no mailto links).
is_email_simple
