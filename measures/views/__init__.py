"""Pages of the measures feature: team data entry and charts, collaborative views,
the library, imports and exports."""
