"""Plain-language explanations and low-volume guidance returned beside the numbers."""

import datetime as dt

from measures.spc import analyze

MONTHS = [dt.date(2025 + (6 + k) // 12, (6 + k) % 12 + 1, 1) for k in range(24)]  # from 07/2025


def shift_series():
    # 8 alternating points, then 9 in a row above the mean (13.06); the 9th point is March 2026
    return [16, 8, 16, 8, 16, 8, 16, 8] + [14] * 9


def test_shift_explained_with_monthly_dates():
    res = analyze(shift_series(), chart="i", x=MONTHS[:17])
    assert MONTHS[8] == dt.date(2026, 3, 1)
    assert [s["text"] for s in res["summary"]["signals"]] == [
        "9 points in a row above the centre line from March 2026: a shift"
    ]
    sig = res["summary"]["signals"][0]
    assert (sig["kind"], sig["start"], sig["end"]) == ("shift", 8, 16)
    assert res["per_point"]["signal_kinds"][8] == ["shift"]
    assert res["per_point"]["signal_kinds"][7] == []


def test_shift_explained_by_position_without_labels():
    res = analyze(shift_series(), chart="i")
    assert res["summary"]["signals"][0]["text"] == (
        "9 points in a row above the centre line from point 9: a shift"
    )


def test_a_finished_shift_names_its_end():
    values = [16, 8, 16, 8, 16, 8, 16, 8] + [14] * 9 + [8, 16, 8]
    res = analyze(values, chart="i", x=MONTHS[:20])
    assert res["summary"]["signals"][0]["text"] == (
        "9 points in a row above the centre line from March 2026 to November 2026: a shift"
    )


def test_point_outside_the_limits_in_june():
    values = [10, 12, 10, 8] * 4 + [10, 30]
    x = [dt.date(2025, 1, 1) + dt.timedelta(days=31 * k) for k in range(18)]
    x = [d.replace(day=1) for d in x]
    res = analyze(values, chart="i", x=x)
    assert x[17] == dt.date(2026, 6, 1)
    texts = [s["text"] for s in res["summary"]["signals"]]
    assert "A point above the upper limit in June 2026: an unusual value" in texts


def test_daily_dates_and_text_labels():
    days = [dt.date(2026, 3, 1) + dt.timedelta(days=k) for k in range(18)]
    values = [10, 12, 10, 8] * 4 + [10, 30]
    res = analyze(values, chart="i", x=days)
    assert res["summary"]["signals"][-1]["text"].endswith("in 18 March 2026: an unusual value")
    labels = [f"week {k + 1}" for k in range(18)]
    res = analyze(values, chart="i", x=labels)
    assert res["summary"]["signals"][-1]["text"].endswith("in week 18: an unusual value")


def test_categorical_labels_read_for_unit():
    res = analyze([5, 6, 5, 30, 6], [50] * 5, chart="p", x=list("ABCDE"), categorical_x=True)
    assert res["summary"]["signals"][0]["text"] == (
        "A point above the upper limit for D: an unusual value"
    )


def test_crossings_signal_is_explained():
    values = [1] * 6 + [9] * 6 + [1] * 6 + [9] * 6
    res = analyze(values)
    texts = [s["text"] for s in res["summary"]["signals"] if s["kind"] == "crossings"]
    assert texts == [
        "The data cross the median only 3 times in 24 points, where at least 8 crossings are "
        "expected by chance: the process has shifted"
    ]


def test_signals_are_in_time_order():
    res = analyze([10, 12, 10, 8] * 4 + [10, 30, 10, -10], chart="i")
    starts = [s["start"] for s in res["summary"]["signals"]]
    assert starts == sorted(starts)


def test_too_few_points_to_judge():
    res = analyze([3, 5, 4, 6, 5, 4])
    assert res["summary"]["low_volume"] is True
    assert res["summary"]["warnings"] == [
        "Too few points to judge: only 6 useful points (the runs rules need at least 10)"
    ]
    assert analyze(list(range(10)))["summary"]["low_volume"] is False


def test_too_few_points_counts_useful_points_per_phase():
    values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] + [5, 6, 7]
    res = analyze(values, parts=[12])
    assert res["summary"]["warnings"] == [
        "Too few points to judge in phase 2: only 2 useful points (the runs rules need at least 10)"
    ]


def test_denominators_under_ten_are_flagged():
    res = analyze([2, 3, 1, 20], [8, 9, 40, 50], chart="p", x=["Jan", "Feb", "Mar", "Apr"])
    assert any(
        w.startswith("2 points have denominators under 10 (Jan, Feb)")
        for w in res["summary"]["warnings"]
    )


def test_trial_limits():
    short = analyze(list(range(12)), chart="i")
    assert short["summary"]["trial_limits"] is True
    assert any(w.startswith("Trial limits: the limits rest on only 12 points")
               for w in short["summary"]["warnings"])  # fmt: skip
    full = analyze([10, 12, 10, 8] * 5, chart="i")
    assert full["summary"]["trial_limits"] is False
    frozen = analyze([10, 12, 10, 8] * 5, chart="i", freeze=12)
    assert frozen["per_part"][0]["n_base"] == 12
    assert frozen["summary"]["trial_limits"] is True
    assert analyze([10, 12, 10, 8] * 5)["summary"]["trial_limits"] is False  # run chart


def test_limits_that_cannot_be_computed_are_reported():
    res = analyze([5] * 12, chart="i")  # no variation: every moving range screened away
    assert res["per_point"]["ucl"] == [None] * 12
    assert any(w.startswith("No control limits could be computed")
               for w in res["summary"]["warnings"])  # fmt: skip


def test_mdc_warns_about_short_groups_and_names_direction():
    res = analyze([10, 11, 9, 10, 11, 9, 10, 11, 9, 10, 11, 9, 2], chart="i", rules="mdc",
                  improvement_direction="decrease", x=MONTHS[:13])  # fmt: skip
    assert res["summary"]["signals"][0]["text"] == (
        "A point below the lower limit in July 2026: an unusual value (improvement)"
    )
    assert res["summary"]["trial_limits"] is False
    short = analyze([1, 2, 3], chart="i", rules="mdc")
    assert any("Trial limits" in w for w in short["summary"]["warnings"])


def test_summary_flags():
    res = analyze(shift_series(), chart="i")
    summary = res["summary"]
    assert summary["special_cause"] is True
    assert summary["runs_signal"] is True
    assert summary["sigma_signals"] == 0
    assert (summary["chart"], summary["rules"], summary["n_points"]) == ("i", "anhoej", 17)
