"""The QBO query language: tokenize → parse → validate → execute (see README.md here).

``run_statement(company, "SELECT * FROM Customer WHERE ...")`` returns the response body's
``{"QueryResponse": {...}}`` part; every error is a 4000/4001 :class:`~qbo_sim.faults.QBOFault`.
"""

from __future__ import annotations

from typing import Any

from qbo_sim.clock import Clock, local_date
from qbo_sim.query.execute import QueryResult, execute
from qbo_sim.query.parser import parse
from qbo_sim.query.validate import validate
from qbo_sim.store import Company

__all__ = ["QueryResult", "run_query", "run_statement"]


def run_query(company: Company, statement: str, clock: Clock | None = None) -> QueryResult:
    """Parse (cached), validate and execute one statement against ``company``."""
    select = parse(statement)
    today = local_date(_clock(clock).now(), company.utc_offset_minutes)
    plan = validate(
        select, profile=company.fidelity, today=today, offset_minutes=company.utc_offset_minutes
    )
    return execute(plan, company)


def run_statement(company: Company, statement: str, clock: Clock | None = None) -> dict[str, Any]:
    """``{"QueryResponse": {...}}`` for one statement (also used by batch ``Query`` items).

    The rows are the stored objects themselves: serialize them, do not mutate them.
    """
    return {"QueryResponse": run_query(company, statement, clock).body()}


def _clock(clock: Clock | None) -> Clock:
    """The simulator's clock (CURRENT_DATE); inside a request the app's simulator has it."""
    if clock is not None:
        return clock
    from flask import current_app, has_app_context

    if has_app_context() and "qbo_sim" in current_app.extensions:
        app_clock: Clock = current_app.extensions["qbo_sim"].clock
        return app_clock
    return Clock()
