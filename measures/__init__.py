"""Measure library, data points, imports, run and control charts."""
