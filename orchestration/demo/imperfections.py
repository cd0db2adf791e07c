"""Deliberately malformed records in the demo landing files, each an imperfection real feeds contain.

1. queue_log: the last line of the first day's rotated file is cut off in its third field with no
   newline: the collector's copy of that file stopped early (its disk filled that night), and the
   file was never copied again.
2. queue_log: two CONNECT lines carry a holdtime with a unit suffix (`34s`) instead of a number,
   as a patched queue module or a hand-edited log can leave.
3. Master.csv: the last record of the first day's file stops after its ninth field (lastdata)
   with no newline, for the same reason as the cut queue_log line. cdr_csv always writes at least
   16 fields.
4. surveys: two CSAT responses have the score `4.5` (a two-question form the survey tool averaged)
   and two NPS responses have `11` (a form built with the wrong scale).
5. Amazon Connect: the last line of the first contact record file stops in the middle of its
   JSON object with no newline, because the same night's copy was cut short.
6. CRM leads: one line has the lead score `72.5` instead of a whole number, because the CRM's
   scoring add-on wrote one unrounded score.

Each flaw sits in the first day that has such a file, so delivering more days of the same
simulation adds files without moving it. With a very short period there may be fewer records to
spoil, so the functions return what they changed, for the caller to count what it delivers.
"""

import random

from orchestration.demo.asterisk_files import CdrRow, format_cdr_line
from orchestration.demo.surveys import SurveyResponse

CUT_CDR_FIELD_COUNT = 9

MALFORMED_HOLDTIME_LINE_COUNT = 2
MALFORMED_SURVEY_SCORES = (("csat", "4.5"), ("csat", "4.5"), ("nps", "11"), ("nps", "11"))
MALFORMED_LEAD_SCORE = "72.5"


def truncate_last_line(lines: list[str]) -> str:
    """Join queue_log lines into file text whose last line stops inside its third field."""
    if not lines:
        return ""
    last = lines[-1]
    fields = last.split("|")
    cut_line = "|".join(fields[:2]) + "|" + fields[2][:3]
    return "".join(line + "\n" for line in lines[:-1]) + cut_line


def cut_last_cdr_record(rows: list[CdrRow]) -> str:
    """Join CDR rows into Master.csv text whose last record keeps only its first nine fields."""
    if not rows:
        return ""
    complete = "".join(format_cdr_line(row.fields) + "\n" for row in rows[:-1])
    return complete + format_cdr_line(rows[-1].fields[:CUT_CDR_FIELD_COUNT])


def cut_last_json_line(lines: list[str]) -> str:
    """Join JSON lines into file text whose last line stops halfway through its object."""
    if not lines:
        return ""
    last = lines[-1]
    return "".join(line + "\n" for line in lines[:-1]) + last[: len(last) // 2]


def spoil_lead_score(rng: random.Random, lead_files: dict[str, list[tuple[str, ...]]], score_index: int) -> list[str]:
    """Replace the score of one scored lead line with a decimal and return the files changed, one per line."""
    candidates = [(file_name, index) for file_name in sorted(lead_files) for index, row in enumerate(lead_files[file_name]) if row[score_index].isdigit()]
    if not candidates:
        return []
    file_name, index = rng.choice(candidates)
    row = list(lead_files[file_name][index])
    row[score_index] = MALFORMED_LEAD_SCORE
    lead_files[file_name][index] = tuple(row)
    return [file_name]


def spoil_hold_times(rng: random.Random, files: dict[str, list[str]], cut_file: str | None) -> list[str]:
    """Give some CONNECT lines a holdtime with a unit suffix and return the files changed, one per line.

    The last line of `cut_file` is left alone because `truncate_last_line` cuts it.
    """
    candidates: list[tuple[str, int]] = []
    for file_name in sorted(files):
        lines = files[file_name]
        last_index = len(lines) - 1 if file_name == cut_file else len(lines)
        candidates.extend((file_name, index) for index, line in enumerate(lines[:last_index]) if line.split("|")[4] == "CONNECT")
    chosen = rng.sample(candidates, min(MALFORMED_HOLDTIME_LINE_COUNT, len(candidates)))
    for file_name, index in sorted(chosen):
        fields = files[file_name][index].split("|")
        fields[5] = fields[5] + "s"
        files[file_name][index] = "|".join(fields)
    return [file_name for file_name, _ in sorted(chosen)]


def spoil_survey_scores(rng: random.Random, responses: list[SurveyResponse]) -> list[SurveyResponse]:
    """Replace some scores with values outside their scale and return the responses changed."""
    used: list[SurveyResponse] = []
    for survey_type, bad_score in MALFORMED_SURVEY_SCORES:
        candidates = [response for response in responses if response.survey_type == survey_type and response not in used]
        if not candidates:
            continue
        response = rng.choice(candidates)
        response.score = bad_score
        used.append(response)
    return used
