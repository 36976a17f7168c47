"""Aims, driver diagrams, change ideas, PDSA cycles and ramps."""
