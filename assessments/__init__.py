"""Gap-analysis survey templates, waves, responses and scoring."""
