"""Data-quality layer: Great Expectations suites run as Dagster asset checks, a summary, and
the operations report on recording completeness.
"""
