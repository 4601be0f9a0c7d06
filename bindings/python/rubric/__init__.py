"""Rubric in Python: compile partner-program rules and evaluate partners.

    import datetime, rubric
    rules = rubric.Rules.standard()
    for result in rules.evaluate(partner_dict, datetime.date(2026, 11, 22)):
        print(result.program.id, result.eligible_tier)

See help(rubric.Rules) and help(rubric.Result).
"""
from rubric._rubric import (  # noqa: F401
    LIBRARY_VERSION,
    Category,
    CompileError,
    DataError,
    Diagnostic,
    FileResults,
    Item,
    LimitError,
    Partner,
    Program,
    Requirement,
    Result,
    ResultWithheld,
    RubricError,
    Rules,
    View,
)

__all__ = [
    "Category", "CompileError", "DataError", "Diagnostic", "FileResults", "Item",
    "LimitError", "Partner", "Program", "Requirement", "Result", "ResultWithheld",
    "RubricError", "Rules", "View",
]
