"""Team pages. Thin: selectors in, services for writes, templates out.

Every page finds its team with `teams.selectors.team_or_404`, so a team the person
may not see is a 404 exactly like one that does not exist; `team_access` then
decides what they may change, and a refusal there is a 403.
"""
