"""A class: CSV and roster reading, grading, gradebook and report."""
