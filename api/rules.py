"""/api/v1/rules: staff read the rules in the order they run; admins create, change, switch, order and delete them."""

from __future__ import annotations

from fastapi import APIRouter, Response

from . import pagination
from .deps import DEFAULT_LIMIT, CurrentUser, Cursor, DeskDep, IdPath, Limit
from .documented import errors
from .errors import COMMON, ApiRoute
from .schemas import Page
from .schemas_rules import RuleIn, RuleOrderIn, RuleOut, RulePatch

router = APIRouter(prefix='/rules', tags=['rules'], route_class=ApiRoute, responses=COMMON)
SIGN_IN = {401: 'Sign in first: send an access token.'}
STAFF = SIGN_IN | {403: 'Only staff can see the rules.'}
ADMINS = SIGN_IN | {403: 'Only admins can change the rules.'}
GONE = {404: 'This rule does not exist any more.'}
INVALID = {422: ('Choose an active agent.', 'action-0')}
# Actions leave out what their type does not use (an assign action has no `text`).
SHOWN = {'response_model_exclude_unset': True}
# {rule_id:int}: /rules/order is no rule id, so its other methods are a 405 naming POST, not a 422 about an id.


@router.get('', summary='List the rules in the order they run', responses=errors(STAFF), **SHOWN)
async def list_rules(user: CurrentUser, desk: DeskDep, cursor: Cursor = None,
                     limit: Limit = DEFAULT_LIMIT) -> Page[RuleOut]:
    """Every rule, first to run first, users shown by id and username (staff)."""
    view = await desk.rules.named(actor_id=user.id)
    page, next_cursor = pagination.offset_page(view.rules, cursor, limit)
    return Page(items=[RuleOut.of(rule, view.usernames) for rule in page], next_cursor=next_cursor)


@router.post('', status_code=201, summary='Create a rule', responses=errors(ADMINS | INVALID), **SHOWN)
async def create_rule(body: RuleIn, user: CurrentUser, desk: DeskDep) -> RuleOut:
    """A new rule, last in order, checked as the Rules page checks it: `field` names the part at fault (admins)."""
    rule_id = await desk.rules.create(actor_id=user.id, draft=body.draft())
    return RuleOut.only(await desk.rules.named(actor_id=user.id, rule_id=rule_id))


@router.post('/order', status_code=204, response_class=Response, summary='Put the rules in order',
             responses=errors(ADMINS | {422: ('List every rule once, in the order they should run.', 'rule_ids')}))
async def reorder_rules(body: RuleOrderIn, user: CurrentUser, desk: DeskDep) -> None:
    """Every rule id once, in the order they should run (admins)."""
    await desk.rules.reorder(actor_id=user.id, rule_ids=body.rule_ids)


@router.get('/{rule_id:int}', summary='Read a rule', responses=errors(STAFF | GONE), **SHOWN)
async def get_rule(rule_id: IdPath, user: CurrentUser, desk: DeskDep) -> RuleOut:
    """One rule (staff)."""
    return RuleOut.only(await desk.rules.named(actor_id=user.id, rule_id=rule_id))


@router.patch('/{rule_id:int}', summary='Change a rule', responses=errors(ADMINS | GONE | INVALID), **SHOWN)
async def change_rule(rule_id: IdPath, body: RulePatch, user: CurrentUser, desk: DeskDep) -> RuleOut:
    """Change the parts given and keep the others; the whole rule is checked again (admins)."""
    await desk.rules.change(actor_id=user.id, rule_id=rule_id, **body.changes())
    return RuleOut.only(await desk.rules.named(actor_id=user.id, rule_id=rule_id))


@router.post('/{rule_id:int}/enable', summary='Switch a rule on', responses=errors(ADMINS | GONE), **SHOWN)
async def enable_rule(rule_id: IdPath, user: CurrentUser, desk: DeskDep) -> RuleOut:
    """The rule runs again from now on (admins)."""
    await desk.rules.set_enabled(actor_id=user.id, rule_id=rule_id, enabled=True)
    return RuleOut.only(await desk.rules.named(actor_id=user.id, rule_id=rule_id))


@router.post('/{rule_id:int}/disable', summary='Switch a rule off', responses=errors(ADMINS | GONE), **SHOWN)
async def disable_rule(rule_id: IdPath, user: CurrentUser, desk: DeskDep) -> RuleOut:
    """The rule stops at once and keeps its place (admins)."""
    await desk.rules.set_enabled(actor_id=user.id, rule_id=rule_id, enabled=False)
    return RuleOut.only(await desk.rules.named(actor_id=user.id, rule_id=rule_id))


@router.delete('/{rule_id:int}', status_code=204, response_class=Response, summary='Delete a rule',
               responses=errors(ADMINS | GONE))
async def delete_rule(rule_id: IdPath, user: CurrentUser, desk: DeskDep) -> None:
    """The rule stops at once; the audit log keeps what it was (admins)."""
    await desk.rules.delete(actor_id=user.id, rule_id=rule_id)
