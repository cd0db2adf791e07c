"""Data-quality layer: Great Expectations suites run as Dagster asset checks, with a summary."""
