"""Scoped reads of measures, periods, data, submissions and the series behind the charts.

Visibility follows the team (teams.selectors.teams_visible_to): a team's own data is
seen by its members, its assigned coaches and the program's staff. Views find the team
(or collaborative) first through the user's selectors, answering 404 when it is not
visible, and then read its rows through the functions here, which always filter by the
program too. `teams.selectors.team_access` says who may change what (403 for the rest).

Collaborative views show aggregates to everyone who sees the collaborative, and each
team's own series only to those who see that team (`teams_visible_to`).

Query counts do not grow with the number of teams, measures or periods: the pooled
chart and the per-team summaries read all the data they need in one query each and
analyse it in Python (see tests/measures/test_query_counts.py).

Import from `measures.selectors`; the modules are its sections.
"""

from .access import (
    CollaborativeAccess,
    collaborative_access,
    collaborative_for,
    collaborative_teams_for,
    collaborative_teams_query_for,
)
from .comparisons import (
    benchmark_consent_of,
    benchmark_named_team_ids,
    funnel_inputs,
)
from .definitions import (
    TeamMeasureRow,
    custom_measures_of,
    library_measure_for,
    library_of,
    measure_in_set,
    measure_set_of,
    measure_sets_of,
    measures_visible_to,
    team_measure_get,
    team_measure_rows,
)
from .pooled import (
    PooledPeriod,
    coverage_words,
    pooled_left_out,
    pooled_periods,
    pooled_series,
    pooled_series_many,
    pooled_version,
)
from .reporting import (
    PeriodStatus,
    StatusGrid,
    oldest_open_period,
    period_get,
    period_owed,
    periods_of,
    periods_of_teams,
    previous_period,
    reviews_waiting_for,
    submission_grid,
    submission_of,
    submissions_of_team,
    team_period_statuses,
)
from .series import (
    PeriodAxis,
    Series,
    collaborative_team_series,
    series_from_points,
    team_chart_settings,
    team_series,
    teams_chart_settings,
    teams_series,
)
from .values import (
    current_data_points,
    data_point_get,
    data_points_of_team,
    deleted_data_points,
    import_batch_get,
    measure_history,
    period_data_points,
    point_words,
    team_points_of,
)

__all__ = [
    "CollaborativeAccess",
    "PeriodAxis",
    "PeriodStatus",
    "PooledPeriod",
    "Series",
    "StatusGrid",
    "TeamMeasureRow",
    "benchmark_consent_of",
    "benchmark_named_team_ids",
    "collaborative_access",
    "collaborative_for",
    "collaborative_team_series",
    "collaborative_teams_for",
    "collaborative_teams_query_for",
    "coverage_words",
    "current_data_points",
    "custom_measures_of",
    "data_point_get",
    "data_points_of_team",
    "deleted_data_points",
    "funnel_inputs",
    "import_batch_get",
    "library_measure_for",
    "library_of",
    "measure_history",
    "measure_in_set",
    "measure_set_of",
    "measure_sets_of",
    "measures_visible_to",
    "oldest_open_period",
    "period_data_points",
    "period_get",
    "period_owed",
    "periods_of",
    "periods_of_teams",
    "point_words",
    "pooled_left_out",
    "pooled_periods",
    "pooled_series",
    "pooled_series_many",
    "pooled_version",
    "previous_period",
    "reviews_waiting_for",
    "series_from_points",
    "submission_grid",
    "submission_of",
    "submissions_of_team",
    "team_chart_settings",
    "team_measure_get",
    "team_measure_rows",
    "team_period_statuses",
    "team_points_of",
    "team_series",
    "teams_chart_settings",
    "teams_series",
]
