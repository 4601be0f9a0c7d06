# Type stubs of the rubric package (the extension module rubric._rubric).
import datetime
import decimal
import os
from typing import Any, Iterable, Iterator, Literal, Mapping, Optional, Sequence, Union

LIBRARY_VERSION: str

_Path = Union[str, bytes, os.PathLike[str], os.PathLike[bytes]]
_Date = Union[datetime.date, str]
_Value = Union[None, bool, int, decimal.Decimal, datetime.date, str]
_Status = Literal["met", "not_met", "at_risk", "grace", "not_applicable"]
_Limits = Mapping[Literal["max_instructions", "max_memory", "max_input_bytes", "max_depth"], int]

class RubricError(Exception):
    status: str
    message: str
    partner_id: Optional[str]
    file: Optional[str]
    line: Optional[int]
    column: Optional[int]
    path: Optional[str]
    offset: Optional[int]

class CompileError(RubricError):
    hint: Optional[str]
    diagnostics: list[Diagnostic]

class DataError(RubricError): ...
class LimitError(RubricError): ...
class ResultWithheld(UserWarning): ...

class Diagnostic:
    severity: Literal["error", "warning", "note"]
    file: str
    line: int
    column: int
    length: int
    message: str
    hint: Optional[str]

class Partner:
    id: str
    name: Optional[str]

class Program:
    id: str
    title: str
    version: str

class Requirement:
    id: str
    name: str
    category: str
    index: int
    status: _Status
    time_bound: bool
    unit: Literal["count", "usd", "months", "bool", "choice"]
    comparison: Literal["at_least", "at_most", "true"]
    actual: _Value
    required: _Value
    gap: Optional[str]
    parts: list[Requirement]

class Category:
    name: str
    requirements: list[Requirement]

class View:
    kind: Literal["rolling", "renewal", "upgrade"]
    tier: str
    tier_index: int
    status: _Status
    satisfied: bool
    eligible: bool
    review_date: Optional[datetime.date]
    requirements: list[Requirement]
    categories: list[Category]
    def requirement(self, path: str, /) -> Optional[Requirement]: ...

class Item:
    label: _Value
    status: Literal["ready", "not_ready"]
    requirements: list[Requirement]
    categories: list[Category]
    def requirement(self, path: str, /) -> Optional[Requirement]: ...

class Result:
    partner: Partner
    program: Program
    as_of: datetime.date
    kind: Literal["tiered", "per_item"]
    current_tier: Optional[str]
    eligible_tier: Optional[str]
    renewal: Optional[View]
    upgrade: Optional[View]
    tiers: list[View]
    items_name: Optional[str]
    item_label_name: Optional[str]
    items: list[Item]
    lists: dict[str, list[dict[str, _Value]]]
    def to_dict(self) -> dict[str, Any]: ...

class FileResults(Iterator[Result]):
    errors: list[RubricError]
    def __iter__(self) -> FileResults: ...
    def __next__(self) -> Result: ...

class Rules:
    programs: tuple[str, ...]
    @classmethod
    def standard(cls, *, limits: Optional[_Limits] = None) -> Rules: ...
    @classmethod
    def compile(cls, paths: Union[_Path, Sequence[_Path]], with_standard: bool = True, *,
                limits: Optional[_Limits] = None) -> Rules: ...
    @classmethod
    def load(cls, bytecode: Union[bytes, bytearray, memoryview], *,
             limits: Optional[_Limits] = None) -> Rules: ...
    def bytecode(self) -> bytes: ...
    def evaluate(self, partner: Union[Mapping[str, Any], str, bytes], as_of: _Date,
                 programs: Optional[Iterable[str]] = None, *,
                 strict: bool = False) -> list[Result]: ...
    def evaluate_file(self, path: _Path, as_of: _Date, jobs: Optional[int] = None,
                      programs: Optional[Iterable[str]] = None, *, strict: bool = False,
                      errors: Literal["raise", "skip"] = "raise") -> FileResults: ...
