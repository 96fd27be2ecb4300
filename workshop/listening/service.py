"""Listenings and their responses: creating, reading, answering, moderating (CONTRACT.md §7).

Respondents have no token: a code names one listening and one silo, and the respondent's own `rid`
(a UUID kept on its device) is the only key to its response. The rid is stored to find the response
again and appears in no answer, result, event or export. No IP address nor user agent is stored.
"""

from __future__ import annotations

import secrets
import uuid
from typing import Any

from pydantic import ValidationError
from sqlalchemy import bindparam, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..auth import normal_join_code
from ..db import Database
from ..errors import OpError, from_validation
from ..models import Listening, ListeningAnswer, ListeningResponse, Map, Stage, Step, Workshop, iso, new_id, utcnow
from ..ops.base import Actor
from . import counters
from . import results as agg
from .schemas import ListeningCreate, ListeningUpdate, ResponseBody, VerbatimModeration

# Codes are read from a link or a QR code, rarely typed: 12 characters of the join codes' alphabet (60 bits).
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12


def new_code() -> str:
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(CODE_LENGTH))


def validate(model: Any, body: Any) -> Any:
    if not isinstance(body, dict):
        raise OpError("invalid", "the body must be a JSON object")
    try:
        return model.model_validate(body)
    except ValidationError as exc:
        raise from_validation(exc) from None


# -- shapes -----------------------------------------------------------------------------------------


def listening_shape(li: Listening, viewer: Actor | None, base_url: str) -> dict[str, Any]:
    """§7 `listening`; the codes and links are secrets: the facilitator's only."""
    secret = viewer is not None and viewer.is_facilitator
    codes = {"customer": li.code_customer, "employee": li.code_employee} if secret else None
    return {
        "id": li.id,
        "map_id": li.map_id,
        "title": li.title,
        "status": li.status,
        "invited": {"customer": li.invited_customer, "employee": li.invited_employee},
        "codes": codes,
        "urls": {silo: f"{base_url}/listen/{code}" for silo, code in codes.items()} if codes else None,
        "created_at": iso(li.created_at),
    }


# Built once (constructing a statement costs more than running its cached compiled form); plain
# rows: the results are read by every open Mirror panel, and nothing here is changed.
_STAGES = select(Stage.id, Stage.title).where(Stage.map_id == bindparam("p_map")).order_by(Stage.position)
_STEPS = (
    select(Step.id, Step.title, Step.stage_id, Step.position)
    .where(Step.map_id == bindparam("p_map"))
    .order_by(Step.position)
)


def ordered_steps(session: Session, map_id: str) -> list[dict[str, Any]]:
    """The map's steps in board order (stage, then position), each with its stage's title."""
    stages = session.execute(_STAGES, {"p_map": map_id}).all()
    order = {s.id: i for i, s in enumerate(stages)}
    titles = {s.id: s.title for s in stages}
    steps = sorted(
        session.execute(_STEPS, {"p_map": map_id}).all(),
        key=lambda s: (order.get(s.stage_id, len(stages)), s.position),
    )
    return [{"id": s.id, "title": s.title, "stage": titles.get(s.stage_id)} for s in steps]


def _response_shape(r: ListeningResponse, answers: list[ListeningAnswer]) -> dict[str, Any]:
    """§7 `response`: its id is the response's own, never the rid."""
    return {
        "id": r.id,
        "silo": r.silo,
        "answers": [
            {"step_id": a.step_id, "score": a.score, "important": a.important, "verbatim": a.verbatim} for a in answers
        ],
        "updated_at": iso(r.updated_at),
    }


# -- the facilitator's side -------------------------------------------------------------------------


def _map_of(session: Session, actor: Actor, map_id: str) -> Map:
    m = session.get(Map, map_id)
    if m is None or m.workshop_id != actor.workshop_id:
        raise OpError("not_found", "no such map")
    return m


def _listening_of(session: Session, actor: Actor, lid: str) -> Listening:
    li = session.get(Listening, lid)
    if li is None or li.workshop_id != actor.workshop_id:
        raise OpError("not_found", "no such listening")
    return li


_BUMP = update(Listening).where(Listening.id == bindparam("p_listening")).values(version=Listening.version + 1)


def bump(session: Session, listening_id: str) -> None:
    """A change to this listening's results, in the transaction that makes it: the results that any
    process computed under the previous version are no longer served (results.cached)."""
    session.connection().execute(_BUMP, {"p_listening": listening_id})


def _facilitator(actor: Actor) -> None:
    if not actor.is_facilitator:
        raise OpError("forbidden", "only the facilitator may do this")


def create(db: Database, actor: Actor, map_id: str, body: Any, base_url: str) -> dict[str, Any]:
    req = validate(ListeningCreate, body)
    with db.write() as s:
        m = _map_of(s, actor, map_id)
        _facilitator(actor)
        invited = req.invited
        li = Listening(
            map_id=m.id,
            workshop_id=m.workshop_id,
            title=req.title,
            status="open",
            invited_customer=invited.customer if invited else None,
            invited_employee=invited.employee if invited else None,
            code_customer=new_code(),
            code_employee=new_code(),
        )
        s.add(li)
        s.flush()
        return listening_shape(li, actor, base_url)


def list_for_map(db: Database, actor: Actor, map_id: str, base_url: str) -> list[dict[str, Any]]:
    with db.read() as s:
        _map_of(s, actor, map_id)
        rows = s.scalars(select(Listening).where(Listening.map_id == map_id).order_by(Listening.created_at))
        return [listening_shape(li, actor, base_url) for li in rows]


def get(db: Database, actor: Actor, lid: str, base_url: str, *, moderation: bool = False) -> dict[str, Any]:
    with db.read() as s:
        li = _listening_of(s, actor, lid)
        steps = [st["id"] for st in ordered_steps(s, li.map_id)]
        answer = {"listening": listening_shape(li, actor, base_url), "results": agg.cached(s, li, steps)}
        if moderation and actor.is_facilitator:
            answer["hidden_verbatims"] = agg.verbatims(s, li, steps, hidden=True)
        return answer


def update(db: Database, actor: Actor, lid: str, body: Any, base_url: str) -> dict[str, Any]:
    req = validate(ListeningUpdate, body)
    with db.write() as s:
        li = _listening_of(s, actor, lid)
        _facilitator(actor)
        if req.title is not None:
            li.title = req.title
        if req.status is not None:
            li.status = req.status
        if req.invited is not None:
            fields = req.invited.model_fields_set
            if "customer" in fields:
                li.invited_customer = req.invited.customer
            if "employee" in fields:
                li.invited_employee = req.invited.employee
        s.flush()
        bump(s, li.id)
        return listening_shape(li, actor, base_url)


def moderate(db: Database, actor: Actor, lid: str, verbatim_id: str, body: Any) -> tuple[dict[str, Any], str]:
    """Hide (or show again) one verbatim; a hidden one leaves the results and the exports.
    Answers the verbatim's new state and the listening's map id."""
    req = validate(VerbatimModeration, body)
    with db.write() as s:
        li = _listening_of(s, actor, lid)
        _facilitator(actor)
        a = s.get(ListeningAnswer, verbatim_id)
        if a is None or a.listening_id != li.id or a.verbatim is None:
            raise OpError("not_found", "no such verbatim")
        a.hidden = req.hidden
        bump(s, li.id)
        return {"id": a.id, "hidden": a.hidden}, li.map_id


# -- the respondent's side ----------------------------------------------------------------------------


def _by_code(session: Session, code: str) -> tuple[Listening, str]:
    normal = normal_join_code(code) if isinstance(code, str) and len(code) <= 64 else ""
    li = (
        session.scalar(
            select(Listening).where(or_(Listening.code_customer == normal, Listening.code_employee == normal))
        )
        if normal
        else None
    )
    if li is None:
        raise OpError("not_found", "no listening has this code", "code")
    return li, "customer" if li.code_customer == normal else "employee"


def _rid(rid: str) -> str:
    try:
        return str(uuid.UUID(rid))
    except (ValueError, TypeError, AttributeError):
        raise OpError("invalid", "rid: must be a UUID", "rid") from None


def public_view(db: Database, code: str) -> dict[str, Any]:
    """What the respondent's page shows: the title, the silo, the status, the steps. Nobody's answers."""
    with db.read() as s:
        li, silo = _by_code(s, code)
        w = s.get(Workshop, li.workshop_id)
        return {
            "listening": {
                "title": li.title or (s.get(Map, li.map_id).title),
                "silo": silo,
                "status": li.status,
                "locale": w.locale if w else "fr",
            },
            "steps": ordered_steps(s, li.map_id),
        }


def code_info(db: Database, code: str) -> tuple[str, str, str, str] | None:
    """(listening id, map id, silo, locale) of a code, or None."""
    try:
        with db.read() as s:
            li, silo = _by_code(s, code)
            w = s.get(Workshop, li.workshop_id)
            return li.id, li.map_id, silo, w.locale if w else "fr"
    except OpError:
        return None


def get_response(db: Database, code: str, rid: str) -> dict[str, Any]:
    rid = _rid(rid)
    with db.read() as s:
        li, silo = _by_code(s, code)
        r = s.scalar(
            select(ListeningResponse).where(ListeningResponse.listening_id == li.id, ListeningResponse.rid == rid)
        )
        if r is None or r.silo != silo:
            raise OpError("not_found", "no response with this key here")
        answers = _answers_of(s, r, li.map_id)
        return {"response": _response_shape(r, answers)}


def _answers_of(s: Session, r: ListeningResponse, map_id: str) -> list[ListeningAnswer]:
    """The response's answers on existing steps, in board order."""
    order = {st["id"]: i for i, st in enumerate(ordered_steps(s, map_id))}
    rows = s.scalars(select(ListeningAnswer).where(ListeningAnswer.response_id == r.id))
    return sorted((a for a in rows if a.step_id in order), key=lambda a: order[a.step_id])


def _checked(body: ResponseBody, step_ids: set[str]) -> list[Any]:
    """§7: each step at most once, steps of the map only, one answer with a score or a verbatim."""
    seen: set[str] = set()
    for i, a in enumerate(body.answers):
        field = f"answers.{i}.step_id"
        if a.step_id not in step_ids:
            raise OpError("invalid", f"{field}: not a step of this map", field)
        if a.step_id in seen:
            raise OpError("invalid", f"{field}: this step is answered twice", field)
        seen.add(a.step_id)
    if not any(a.score is not None or a.verbatim for a in body.answers):
        raise OpError("invalid", "answers: at least one answer needs a score or a comment", "answers")
    return [a for a in body.answers if not a.empty]


def put_response(db: Database, code: str, rid: str, body: Any) -> tuple[dict[str, Any], bool, Listening]:
    """Create or replace a response; the same body again changes nothing (not even updated_at).
    Answers (created: bool, the listening)."""
    rid = _rid(rid)
    req = validate(ResponseBody, body)
    for attempt in range(3):
        try:
            return _put(db, code, rid, req)
        except IntegrityError:
            # Two first PUTs of one rid at once (PostgreSQL): the loser finds the winner's row.
            if attempt == 2:
                raise OpError("conflict", "this response is being saved by another request") from None
    raise AssertionError("unreachable")


def _step_order(s: Session, map_id: str) -> dict[str, int]:
    """The map's step ids with their board order (stage, then position), in one query."""
    rows = s.execute(
        select(Step.id, Stage.position, Step.position)
        .outerjoin(Stage, Stage.id == Step.stage_id)
        .where(Step.map_id == map_id)
    )
    ranked = sorted(rows, key=lambda r: (r[1] if r[1] is not None else 1 << 30, r[2]))
    return {r[0]: i for i, r in enumerate(ranked)}


def _put(db: Database, code: str, rid: str, req: ResponseBody) -> tuple[dict[str, Any], bool, Listening]:
    # The hot path of a survey sent to a customer base: a handful of statements, Core inserts, the
    # counters moved by one upsert, and the answer built from what was written rather than read back.
    with db.write() as s:
        li, silo = _by_code(s, code)
        if li.status != "open":
            raise OpError("closed", "this listening is closed")
        order = _step_order(s, li.map_id)
        wanted = sorted(_checked(req, set(order)), key=lambda a: order[a.step_id])
        # FOR UPDATE (PostgreSQL; SQLite's write lock is already the database's): two saves of one
        # response take turns, so each moves the counters from the answers the other left.
        r = s.scalar(
            select(ListeningResponse)
            .where(ListeningResponse.listening_id == li.id, ListeningResponse.rid == rid)
            .with_for_update()
        )
        now = utcnow()
        rows = [
            {"step_id": a.step_id, "score": a.score, "important": a.important, "verbatim": a.verbatim or None}
            for a in wanted
        ]
        new = {row["step_id"]: (row["score"], row["important"]) for row in rows}
        if r is None:
            # Core inserts on the session's connection: the ORM's bulk path cost more than the rows.
            response_id = new_id()
            connection = s.connection()
            connection.execute(
                insert(ListeningResponse.__table__),
                [
                    {
                        "id": response_id,
                        "listening_id": li.id,
                        "rid": rid,
                        "silo": silo,
                        "created_at": now,
                        "updated_at": now,
                    }
                ],
            )
            connection.execute(
                insert(ListeningAnswer.__table__),
                [
                    {
                        "id": new_id(),
                        "response_id": response_id,
                        "listening_id": li.id,
                        "silo": silo,
                        "hidden": False,
                        **row,
                    }
                    for row in rows
                ],
            )
            counters.apply(s, li.id, silo, {}, new)
            bump(s, li.id)
            return {"response": {"id": response_id, "silo": silo, "answers": rows, "updated_at": iso(now)}}, True, li
        if r.silo != silo:
            raise OpError("conflict", "this respondent key belongs to the other link", "rid")
        existing = {a.step_id: a for a in s.scalars(select(ListeningAnswer).where(ListeningAnswer.response_id == r.id))}
        old = {sid: (a.score, a.important) for sid, a in existing.items()}
        changed = set(existing) != {a.step_id for a in wanted}
        for row in rows:
            prior = existing.pop(row["step_id"], None)
            values = (row["score"], row["important"], row["verbatim"])
            if prior is None:
                s.add(ListeningAnswer(response_id=r.id, listening_id=li.id, silo=silo, **row))
                changed = True
            elif (prior.score, prior.important, prior.verbatim) != values:
                # The row (and its moderation) stays: a hidden verbatim stays hidden when edited.
                prior.score, prior.important, prior.verbatim = values
                changed = True
        for gone in existing.values():
            s.delete(gone)
        if changed:
            r.updated_at = now
            counters.apply(s, li.id, silo, old, new)
            bump(s, li.id)
        s.flush()
        # The stored answers are now exactly `rows` (a deleted step's are gone too), in board order.
        return {"response": {"id": r.id, "silo": silo, "answers": rows, "updated_at": iso(r.updated_at)}}, False, li
