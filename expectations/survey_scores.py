"""Suite `survey_scores`: survey responses have a known type, an in-range score and a unique id.

A score outside its scale or an unknown survey type would distort CSAT and NPS, and a repeated
response_id would count one answer twice, so these failures are critical. A missing score is a
completeness warning.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from expectations import SuiteSpec

if TYPE_CHECKING:
    import great_expectations as gx

CSAT_SURVEY_TYPE = "csat"
NPS_SURVEY_TYPE = "nps"
# A CSAT score rates satisfaction on a five-point scale from 1 (very dissatisfied) to 5 (very
# satisfied).
CSAT_SCORE_MIN = 1
CSAT_SCORE_MAX = 5
# An NPS score rates the likelihood to recommend from 0 (not at all likely) to 10 (extremely
# likely).
NPS_SCORE_MIN = 0
NPS_SCORE_MAX = 10


def build_suite() -> gx.ExpectationSuite:
    import great_expectations as gx
    from great_expectations.expectations.metadata_types import FailureSeverity
    from great_expectations.expectations.row_conditions import Column

    critical = FailureSeverity.CRITICAL
    survey_type = Column("survey_type")
    return gx.ExpectationSuite(
        name=SUITE.name,
        expectations=[
            gx.expectations.ExpectColumnValuesToNotBeNull(column="response_id", severity=critical),
            gx.expectations.ExpectColumnValuesToBeUnique(column="response_id", severity=critical),
            gx.expectations.ExpectColumnValuesToNotBeNull(column="survey_type", severity=critical),
            gx.expectations.ExpectColumnValuesToBeInSet(
                column="survey_type",
                value_set=[CSAT_SURVEY_TYPE, NPS_SURVEY_TYPE],
                severity=critical,
            ),
            gx.expectations.ExpectColumnValuesToNotBeNull(
                column="score", severity=FailureSeverity.WARNING
            ),
            gx.expectations.ExpectColumnValuesToBeBetween(
                column="score",
                min_value=CSAT_SCORE_MIN,
                max_value=CSAT_SCORE_MAX,
                row_condition=survey_type == CSAT_SURVEY_TYPE,
                severity=critical,
            ),
            gx.expectations.ExpectColumnValuesToBeBetween(
                column="score",
                min_value=NPS_SCORE_MIN,
                max_value=NPS_SCORE_MAX,
                row_condition=survey_type == NPS_SURVEY_TYPE,
                severity=critical,
            ),
        ],
    )


SUITE = SuiteSpec(
    name="survey_scores",
    schema="staging",
    table="stg_surveys__responses",
    columns=("response_id", "survey_type", "score"),
    id_column="response_id",
    build_suite=build_suite,
    description=(
        f"survey_type is {CSAT_SURVEY_TYPE} or {NPS_SURVEY_TYPE}. "
        f"CSAT scores lie in {CSAT_SCORE_MIN}..{CSAT_SCORE_MAX} and "
        f"NPS scores in {NPS_SCORE_MIN}..{NPS_SCORE_MAX}. response_id is unique."
    ),
)
