"""The authorization matrix: for every operation of the API (method and path template as the OpenAPI document
has them, under /api/v1), what each role and an API client get when they call it on the test's records.

Outcome classes:
- OK: allowed past every permission check (2xx or 304; an entry may name a business answer that also counts,
  e.g. 409 `pdf_unavailable` where the server has no LibreOffice);
- EMPTY: allowed, and a list whose filter shows this caller nothing (`{"items": []}`): permissions in the query;
- HIDDEN: 404 although the record exists: the caller's scope hides it ("what the caller may not see answers 404");
- INVALID: 422 on a field of the body that names a record the caller may not use (a unit not theirs, a campaign
  they do not see): the same rule, said about a reference instead of the path;
- FORBIDDEN: 403: the caller sees the record (or the role may never do this) but may not do it;
- UNAUTHENTICATED: 401, what an anonymous caller gets everywhere but on the public operations.

The records are those of `calls.World`: the 2024 campaign (issued, in progress), its records in Chi Lăng and about
HTX Đồng Bành, the 2026 draft, and what the operations need made. The callers are one demo user per role, whom
the records concern (the inspector is in the 2024 campaign's team, the local officer's district is Chi Lăng, the
producer is Đồng Bành), and three who hold a scoped role but whom they do not concern (`STRANGERS`): they must not
reach the records. Each entry names the callers that get OK, EMPTY, HIDDEN and INVALID; all others get FORBIDDEN.

`roles` are the roles that may use the operation at all, as its route declares them (`core.caller.requires`): a
caller of any other role who sends a body that does not parse or validate gets 403, not 422 (test_forbidden_first.py);
with a valid body the services answer as the entry says (404 first for a record the caller may not see). None where
the route declares no such rule.

`client` is the scope an API client needs (`ANY` for any scope; None: refused to clients with 403
`not_for_clients`, as api.CLIENT_ROUTES says); a client holding it gets `client_outcome`, one holding every other
scope 403 `insufficient_scope`.
"""
from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from ocop.core.caller import ROLES

OK, EMPTY, HIDDEN, INVALID = "ok", "empty", "hidden (404)", "invalid (422)"
FORBIDDEN, UNAUTHENTICATED = "forbidden (403)", "unauthenticated (401)"

ADMIN, COORDINATOR, LEADER, INSPECTOR = "admin", "coordinator", "leader", "inspector"
LOCAL, PRODUCER, VIEWER = "local_officer", "producer", "viewer"
# Scoped roles whom the records do not concern.
INSPECTOR_OUT = "inspector outside the team"  # in no campaign's team
LOCAL_OUT = "local_officer of another unit"  # Lộc Bình's: the 2024 campaign is theirs too, Chi Lăng's records not
PRODUCER_OUT = "producer of another cooperative"  # HTX Lúa Vy's: visited by the 2024 campaign too

# Who plays each: the seed's demo users, and two users the test makes (test_matrix.tokens).
USERS = {ADMIN: "admin", COORDINATOR: "coordinator", LEADER: "leader", INSPECTOR: "inspector1",
         LOCAL: "local_chilang", PRODUCER: "producer_dongbanh", VIEWER: "viewer", INSPECTOR_OUT: "authz.inspector",
         LOCAL_OUT: "local_locbinh", PRODUCER_OUT: "authz.producer"}
assert set(ROLES) <= set(USERS)
CALLERS = tuple(USERS)
# The role each caller holds.
ROLE = {**{role: role for role in ROLES}, INSPECTOR_OUT: INSPECTOR, LOCAL_OUT: LOCAL, PRODUCER_OUT: PRODUCER}

Callers = frozenset[str]
NOBODY: Callers = frozenset()
EVERYONE: Callers = frozenset(CALLERS)  # every signed-in user
STRANGERS: Callers = frozenset({INSPECTOR_OUT, LOCAL_OUT, PRODUCER_OUT})
CONCERNED: Callers = EVERYONE - STRANGERS  # the seven demo roles
STAFF: Callers = frozenset({ADMIN, COORDINATOR, LEADER, INSPECTOR, VIEWER})  # province-wide readers
RUNNERS: Callers = frozenset({ADMIN, COORDINATOR, LEADER})  # see every campaign, run them
EDITORS: Callers = frozenset({ADMIN, COORDINATOR})  # change the registry and campaigns
REGISTRARS: Callers = EDITORS | {LOCAL}  # register producers and their products (a local officer in its unit)
# The 2024 campaign's team: the leader heads it, the coordinator is its secretary, inspector1 a member.
TEAM: Callers = frozenset({COORDINATOR, LEADER, INSPECTOR})
REPORT_WRITERS: Callers = frozenset({ADMIN, COORDINATOR, LOCAL})  # a unit's report: its officer (or the dept.)
# Roles (not callers): who may be in a campaign's team (any user but a producer's), who may answer an action.
TEAM_ROLES: Callers = frozenset(ROLES) - {PRODUCER}
OWNER_ROLES: Callers = frozenset({PRODUCER, LOCAL})
PRODUCERS: Callers = frozenset({PRODUCER, PRODUCER_OUT})
OUTSIDERS: Callers = frozenset({LOCAL, PRODUCER, LOCAL_OUT, PRODUCER_OUT})  # never the team's working record
# Who sees the 2024 campaign: all but the inspector who is in no team.
SEE_2024: Callers = EVERYONE - {INSPECTOR_OUT}
# Registry records of Đồng Bành in Chi Lăng: the registry is province-wide for the inspector.
REGISTRY_STRANGERS: Callers = frozenset({LOCAL_OUT, PRODUCER_OUT})

ANY = "*"  # any scope (api.ANY_SCOPE)


def _set(callers: Collection[str]) -> Callers:
    """A caller or a collection of callers."""
    return frozenset({callers}) if isinstance(callers, str) else frozenset(callers)


@dataclass(frozen=True)
class Op:
    ok: Callers
    empty: Callers = NOBODY
    hidden: Callers = NOBODY
    invalid: Callers = NOBODY
    client: str | None = None
    client_outcome: str = OK
    public: bool = False
    also_ok: frozenset[int] = frozenset()
    roles: frozenset[str] | None = None

    def refuses(self, caller: str) -> bool:
        """The caller's role may never use the operation, as its route declares."""
        return self.roles is not None and ROLE[caller] not in self.roles

    def expected(self, caller: str) -> str:
        if self.public or caller in self.ok:
            return OK
        for outcome, callers in ((EMPTY, self.empty), (HIDDEN, self.hidden), (INVALID, self.invalid)):
            if caller in callers:
                return outcome
        return FORBIDDEN


MATRIX: dict[tuple[str, str], Op] = {}


def op(key: str, ok: Collection[str] = NOBODY, *, empty: Collection[str] = NOBODY,
       hidden: Collection[str] = NOBODY, invalid: Collection[str] = NOBODY, client: str | None = None,
       client_outcome: str = OK, public: bool = False, also_ok: tuple[int, ...] = (),
       roles: Collection[str] | None = None) -> None:
    method, path = key.split(" ", 1)
    assert (method, path) not in MATRIX, f"{key} is listed twice"
    entry = Op(_set(ok), _set(empty), _set(hidden), _set(invalid), client, client_outcome, public,
               frozenset(also_ok), None if roles is None else _set(roles))
    groups = (entry.ok, entry.empty, entry.hidden, entry.invalid)
    assert sum(len(g) for g in groups) == len(frozenset().union(*groups)), f"{key}: a caller is listed twice"
    assert frozenset().union(*groups) <= EVERYONE, key
    assert entry.roles is None or entry.roles <= set(ROLES), f"{key}: roles are role names"
    # a role the operation is never for is refused (403), or told 404 about a record it may not see: never more
    past = sorted(c for c in entry.ok | entry.empty | entry.invalid if entry.refuses(c))
    assert not past, f"{key}: {', '.join(past)} hold no role the operation is for"
    MATRIX[(method, path)] = entry


def public(key: str) -> None:
    """No sign-in: anyone, with or without a token (the token is not looked at)."""
    op(key, EVERYONE, public=True)


# ---- sign-in, the caller ------------------------------------------------------------------------------------------

public("POST /auth/token")
public("POST /auth/refresh")
public("POST /auth/logout")
public("GET /public/certificates/{certificate_number}")
op("GET /me", EVERYONE, client=ANY)
op("POST /me/password", EVERYONE)

# ---- API clients: the administrator's ------------------------------------------------------------------------------

op("GET /api-clients", ADMIN, roles=ADMIN)
op("POST /api-clients", ADMIN, roles=ADMIN)
op("GET /api-clients/{client_pk}", ADMIN, roles=ADMIN)
op("PATCH /api-clients/{client_pk}", ADMIN, roles=ADMIN)
op("POST /api-clients/{client_pk}/rotate", ADMIN, roles=ADMIN)
op("POST /api-clients/{client_pk}/revoke", ADMIN, roles=ADMIN)

# ---- organisation: reference data everyone reads; the administrator changes it ----------------------------------

op("GET /admin-units", EVERYONE)
op("POST /admin-units", ADMIN, roles=ADMIN)
op("GET /admin-units/{unit_id}", EVERYONE)
op("PATCH /admin-units/{unit_id}", ADMIN, roles=ADMIN)
op("GET /agencies", EVERYONE)
op("POST /agencies", ADMIN, roles=ADMIN)
op("GET /agencies/{agency_id}", EVERYONE)
op("PATCH /agencies/{agency_id}", ADMIN, roles=ADMIN)
op("GET /users", EVERYONE)  # admin, coordinator, leader: all; a local officer: its unit's; others: themselves
op("GET /users/{user_id}", RUNNERS, hidden=EVERYONE - RUNNERS)  # inspector2 (Sở Y tế): in no local unit
op("POST /users", ADMIN, roles=ADMIN)
op("PATCH /users/{user_id}", ADMIN, roles=ADMIN)
op("POST /users/{user_id}/password", ADMIN, roles=ADMIN)

# ---- OCOP registry: province-wide roles see all, a local officer its unit, a producer its own --------------------
# (the records: HTX Đồng Bành in Chi Lăng, its product Na Chi Lăng and that product's certificate)

op("GET /taxonomy", EVERYONE, client="registry:read")
op("GET /producers", EVERYONE, client="registry:read")
# A local officer registers producers in its own unit; another unit is refused on the field.
op("POST /producers", {ADMIN, COORDINATOR, LOCAL}, invalid=LOCAL_OUT, roles=REGISTRARS)
op("GET /producers/{producer_id}", EVERYONE - REGISTRY_STRANGERS, hidden=REGISTRY_STRANGERS, client="registry:read")
op("PATCH /producers/{producer_id}", EDITORS, hidden=REGISTRY_STRANGERS, roles=EDITORS)
op("GET /products", EVERYONE, client="registry:read")
op("POST /products", {ADMIN, COORDINATOR, LOCAL}, hidden=REGISTRY_STRANGERS, roles=REGISTRARS)  # … and their products
op("GET /products/{product_id}", EVERYONE - REGISTRY_STRANGERS, hidden=REGISTRY_STRANGERS, client="registry:read")
op("PATCH /products/{product_id}", EDITORS, hidden=REGISTRY_STRANGERS, roles=EDITORS)
op("GET /products/{product_id}/stamp-issues", EVERYONE - REGISTRY_STRANGERS, hidden=REGISTRY_STRANGERS,
   client="registry:read")
op("POST /products/{product_id}/stamp-issues", EDITORS, hidden=REGISTRY_STRANGERS, roles=EDITORS)
op("GET /certificates", EVERYONE, client="registry:read")
op("POST /certificates", EDITORS, hidden=REGISTRY_STRANGERS, roles=EDITORS)
op("GET /certificates/{certificate_id}", EVERYONE - REGISTRY_STRANGERS, hidden=REGISTRY_STRANGERS,
   client="registry:read")
op("POST /certificates/{certificate_id}/revocation", EDITORS, hidden=REGISTRY_STRANGERS, roles=EDITORS)
# the leader reads everything (API.md): imports and visit suggestions too, though only editors make them
op("POST /imports", EDITORS, roles=EDITORS)
op("GET /imports", EDITORS | {LEADER})
op("GET /imports/{import_id}", EDITORS | {LEADER})
op("POST /imports/{import_id}/commit", EDITORS)

# ---- campaigns: the 2024 campaign, seen by all but the inspector outside its team; the 2026 draft only by the
# runners and its team (the leader heads it, the coordinator is its secretary) ------------------------------------

op("GET /campaigns", EVERYONE - {INSPECTOR_OUT}, empty=INSPECTOR_OUT, client="campaigns:read")
op("POST /campaigns", EDITORS, roles=EDITORS)
op("GET /campaigns/{campaign_id}", SEE_2024, hidden=INSPECTOR_OUT, client="campaigns:read")
op("PATCH /campaigns/{campaign_id}", EDITORS, hidden={INSPECTOR, LOCAL, PRODUCER, VIEWER} | STRANGERS,
   roles=EDITORS)  # the draft
op("POST /campaigns/{campaign_id}/transitions", RUNNERS, hidden=INSPECTOR_OUT,
   roles=RUNNERS)  # in_progress → reporting
op("POST /campaigns/{campaign_id}/amendments", {ADMIN, LEADER}, hidden=INSPECTOR_OUT,
   roles={ADMIN, LEADER})  # the leader amends
op("GET /campaigns/{campaign_id}/revisions", SEE_2024, hidden=INSPECTOR_OUT, client="campaigns:read")
op("GET /campaigns/{campaign_id}/revisions/{revision}", SEE_2024, hidden=INSPECTOR_OUT, client="campaigns:read")
op("GET /campaigns/{campaign_id}/warnings", STAFF, hidden=OUTSIDERS | {INSPECTOR_OUT})  # the department's aids
op("GET /campaigns/{campaign_id}/suggestions", EDITORS | {LEADER}, hidden=INSPECTOR_OUT)
op("GET /campaigns/{campaign_id}/notices", SEE_2024 - PRODUCERS, hidden=PRODUCERS | {INSPECTOR_OUT},
   client="campaigns:read")  # a local officer gets its units'
op("GET /campaigns/{campaign_id}/units", SEE_2024 - PRODUCERS, empty=PRODUCERS, hidden=INSPECTOR_OUT,
   client="campaigns:read")
op("POST /campaigns/{campaign_id}/units", EDITORS, hidden=INSPECTOR_OUT, roles=EDITORS)
op("DELETE /campaigns/{campaign_id}/units/{unit_id}", EDITORS, hidden=INSPECTOR_OUT)
op("GET /campaigns/{campaign_id}/checklist", SEE_2024 - PRODUCERS, hidden=PRODUCERS | {INSPECTOR_OUT})
# The draft's checklist: the editor role is checked before the campaign is looked up, so other roles get 403 for
# any campaign id (which tells nothing about the draft), where PATCH of the draft itself answers them 404.
op("POST /campaigns/{campaign_id}/checklist/items", EDITORS, roles=EDITORS)
op("PATCH /campaigns/{campaign_id}/checklist/items/{code}", EDITORS, roles=EDITORS)
op("DELETE /campaigns/{campaign_id}/checklist/items/{code}", EDITORS)
op("GET /checklist-templates", STAFF | {INSPECTOR_OUT}, hidden=OUTSIDERS)
op("GET /checklist-templates/{template_id}", STAFF | {INSPECTOR_OUT}, hidden=OUTSIDERS)
op("POST /checklist-templates/{template_id}/versions", EDITORS)
op("POST /checklist-templates/{template_id}/publish", EDITORS)
op("POST /checklist-templates/{template_id}/items", EDITORS, roles=EDITORS)
op("PATCH /checklist-templates/{template_id}/items/{code}", EDITORS, roles=EDITORS)
op("DELETE /checklist-templates/{template_id}/items/{code}", EDITORS)
op("GET /campaigns/{campaign_id}/team", SEE_2024 - PRODUCERS, empty=PRODUCERS, hidden=INSPECTOR_OUT)
op("POST /campaigns/{campaign_id}/team", EDITORS, hidden=INSPECTOR_OUT, roles=EDITORS)
op("PATCH /campaigns/{campaign_id}/team/{member_id}", EDITORS, hidden=INSPECTOR_OUT, roles=EDITORS)
op("DELETE /campaigns/{campaign_id}/team/{member_id}", EDITORS, hidden=INSPECTOR_OUT)
# the schedule: a local officer sees its units' visits, a producer those to it
op("GET /campaigns/{campaign_id}/visits", SEE_2024, hidden=INSPECTOR_OUT, client="campaigns:read")
op("POST /campaigns/{campaign_id}/visits", EDITORS, hidden=INSPECTOR_OUT, roles=EDITORS)
op("GET /visits/{visit_id}", CONCERNED, hidden=STRANGERS, client="campaigns:read")  # to Đồng Bành, in Chi Lăng
op("PATCH /visits/{visit_id}", EDITORS, hidden=STRANGERS, roles=EDITORS)  # a planned visit to Đồng Bành
op("DELETE /visits/{visit_id}", EDITORS, hidden=STRANGERS)
op("GET /campaigns/{campaign_id}/tasks", SEE_2024 - PRODUCERS, empty=PRODUCERS, hidden=INSPECTOR_OUT)
op("POST /campaigns/{campaign_id}/tasks", EDITORS, hidden=INSPECTOR_OUT, roles=EDITORS)
op("GET /campaigns/{campaign_id}/tasks/{task_id}", CONCERNED - {PRODUCER}, hidden=STRANGERS | {PRODUCER})  # Chi Lăng's
op("PATCH /campaigns/{campaign_id}/tasks/{task_id}", REPORT_WRITERS, hidden=STRANGERS | {PRODUCER})  # report task
op("GET /campaigns/{campaign_id}/local-reports", SEE_2024 - PRODUCERS, empty=PRODUCERS, hidden=INSPECTOR_OUT)
# Xã Chi Lăng's report (within the local officer's district); another unit's officer is refused on the field
op("POST /campaigns/{campaign_id}/local-reports", REPORT_WRITERS, invalid=LOCAL_OUT, hidden=INSPECTOR_OUT,
   roles=REPORT_WRITERS)
op("GET /campaigns/{campaign_id}/local-reports/{report_id}", CONCERNED - {PRODUCER}, hidden=STRANGERS | {PRODUCER})
op("PATCH /campaigns/{campaign_id}/local-reports/{report_id}", REPORT_WRITERS, hidden=STRANGERS | {PRODUCER},
   roles=REPORT_WRITERS)
op("POST /campaigns/{campaign_id}/local-reports/{report_id}/transitions", REPORT_WRITERS,
   hidden=STRANGERS | {PRODUCER}, roles=REPORT_WRITERS | {LEADER})  # draft → submitted
op("POST /campaigns/{campaign_id}/local-reports/{report_id}/attachments", REPORT_WRITERS,
   hidden=STRANGERS | {PRODUCER}, roles=REPORT_WRITERS)
op("GET /campaigns/{campaign_id}/local-reports/{report_id}/attachments/{attachment_id}", CONCERNED - {PRODUCER},
   hidden=STRANGERS | {PRODUCER})

# ---- inspection work: recorded by the campaign's team (the administrator is not in it); the records are about
# Đồng Bành in Chi Lăng, so the strangers never see them ----------------------------------------------------------

op("GET /visits/{visit_id}/record", CONCERNED, hidden=STRANGERS)
op("PATCH /visits/{visit_id}/record", TEAM, hidden=STRANGERS, roles=TEAM_ROLES)  # a visit being recorded
op("POST /visits/{visit_id}/transitions", TEAM, hidden=STRANGERS,
   roles=TEAM_ROLES)  # planned → in_progress: any member
op("GET /visits/{visit_id}/answers", STAFF, hidden=OUTSIDERS | STRANGERS)  # the team's working record
op("PUT /visits/{visit_id}/answers", TEAM, hidden=STRANGERS, roles=TEAM_ROLES)
op("GET /visits/{visit_id}/evidence", STAFF, hidden=OUTSIDERS | STRANGERS)
op("POST /visits/{visit_id}/evidence", TEAM, hidden=STRANGERS, roles=TEAM_ROLES)
op("GET /me/visits/offline", EVERYONE - PRODUCERS, roles=TEAM_ROLES)  # the caller's own visits (none: empty)
op("GET /findings", EVERYONE - {INSPECTOR_OUT}, empty=INSPECTOR_OUT,
   client="findings:read")  # outsiders: their unit's / about them
op("POST /findings", TEAM, invalid=INSPECTOR_OUT,
   roles=TEAM_ROLES)  # a campaign the caller does not see is refused on the field
op("GET /findings/{finding_id}", CONCERNED, hidden=STRANGERS,
   client="findings:read")  # an open finding about Đồng Bành in Chi Lăng
op("PATCH /findings/{finding_id}", TEAM, hidden=STRANGERS, roles=TEAM_ROLES)
op("POST /findings/{finding_id}/transitions", TEAM, hidden=STRANGERS, roles=TEAM_ROLES)  # open → action_required
op("GET /findings/{finding_id}/timeline", CONCERNED, hidden=STRANGERS)
op("GET /actions", EVERYONE - {INSPECTOR_OUT}, empty=INSPECTOR_OUT)
op("GET /findings/{finding_id}/actions", CONCERNED, hidden=STRANGERS, client="findings:read")
op("POST /findings/{finding_id}/actions", TEAM, hidden=STRANGERS, roles=TEAM_ROLES)
op("GET /findings/{finding_id}/actions/{action_id}", CONCERNED, hidden=STRANGERS, client="findings:read")
op("PATCH /findings/{finding_id}/actions/{action_id}", TEAM, hidden=STRANGERS, roles=TEAM_ROLES)
op("POST /findings/{finding_id}/actions/{action_id}/response", PRODUCER, hidden=STRANGERS,
   roles=OWNER_ROLES)  # only its owner
op("POST /findings/{finding_id}/actions/{action_id}/verification", TEAM, hidden=STRANGERS, roles=TEAM_ROLES)
op("GET /findings/{finding_id}/evidence", CONCERNED, hidden=STRANGERS, client="findings:read")
op("POST /findings/{finding_id}/evidence", TEAM | {PRODUCER}, hidden=STRANGERS)  # the team, an action's owner
op("GET /evidence/{evidence_id}", CONCERNED, hidden=STRANGERS)  # a photo attached to the finding
op("GET /evidence/{evidence_id}/thumbnail", STAFF, hidden=OUTSIDERS | STRANGERS)  # a photo of the visit only

# ---- webhooks: the administrator's; an API client manages its own (the admin's subscription is hidden to it) ----
# Not an operation, so not in the table: a client's subscription is sent only events about records its scopes and
# unit limit let it read (integrations/policies.may_receive; tests/integrations/test_webhooks.py).

op("GET /webhooks", ADMIN, client="webhooks:manage", client_outcome=EMPTY, roles=ADMIN)
op("POST /webhooks", ADMIN, client="webhooks:manage", roles=ADMIN)
op("GET /webhooks/{webhook_id}", ADMIN, client="webhooks:manage", client_outcome=HIDDEN, roles=ADMIN)
op("PATCH /webhooks/{webhook_id}", ADMIN, client="webhooks:manage", client_outcome=HIDDEN, roles=ADMIN)
op("DELETE /webhooks/{webhook_id}", ADMIN, client="webhooks:manage", client_outcome=HIDDEN, roles=ADMIN)
op("GET /webhooks/{webhook_id}/deliveries", ADMIN, client="webhooks:manage", client_outcome=HIDDEN, roles=ADMIN)
op("POST /webhooks/{webhook_id}/deliveries/{delivery_id}/replay", ADMIN, client="webhooks:manage",
   client_outcome=HIDDEN, roles=ADMIN)

# ---- e-office exchange ----------------------------------------------------------------------------------------------

op("POST /eoffice/inbound", ADMIN, client="eoffice:write", roles=ADMIN)
# packaging records the document as sent to the e-office: the department's office (or the e-office system) only;
# whoever sees the campaign reads the Word file itself
op("GET /campaigns/{campaign_id}/documents/{kind}.edxml", RUNNERS, hidden=INSPECTOR_OUT, client="campaigns:read")
# the e-office inbox and outbox: the department's office reads it (and its leaders); coordinators route what waits
op("GET /eoffice/documents", RUNNERS)
op("GET /eoffice/documents/{document_id}", RUNNERS)
op("GET /eoffice/documents/{document_id}/attachments/{n}", RUNNERS)
op("POST /eoffice/documents/{document_id}/transitions", EDITORS, roles=EDITORS)

# ---- notifications: one's own ---------------------------------------------------------------------------------------

op("GET /notifications", EVERYONE)
op("GET /notifications/unread-count", EVERYONE)
op("POST /notifications/read-all", EVERYONE)
op("POST /notifications/{notification_id}/read", COORDINATOR, hidden=EVERYONE - {COORDINATOR})  # the coordinator's

# ---- documents and their templates ----------------------------------------------------------------------------------

op("GET /campaigns/{campaign_id}/documents", SEE_2024, hidden=INSPECTOR_OUT)
# the results report covers every unit: not for local officers and producers
op("GET /campaigns/{campaign_id}/documents/{kind}.docx", STAFF, hidden=INSPECTOR_OUT)
# the notices: not for producers (a local officer gets its units'); 409 pdf_unavailable: no LibreOffice here
op("GET /campaigns/{campaign_id}/documents/{kind}.pdf", SEE_2024 - PRODUCERS, hidden=PRODUCERS | {INSPECTOR_OUT},
   also_ok=(409,))
# issuing a notice or the report with the register's number: the campaign's runners (a correction: a new version)
op("POST /campaigns/{campaign_id}/documents/{kind}/issue", RUNNERS, hidden=INSPECTOR_OUT, roles=RUNNERS)
op("GET /visits/{visit_id}/documents/minutes.docx", CONCERNED, hidden=STRANGERS)  # the visited sign the minutes
op("GET /visits/{visit_id}/documents/minutes.pdf", CONCERNED, hidden=STRANGERS, also_ok=(409,))
op("GET /document-templates", RUNNERS)
op("GET /document-templates/kinds", RUNNERS)
op("GET /document-templates/defaults/{kind}.docx", RUNNERS)
op("POST /document-templates/preview", RUNNERS, roles=RUNNERS)
op("POST /document-templates/{kind}", ADMIN, roles=ADMIN)
op("POST /document-templates/{kind}/use-default", ADMIN)
op("GET /document-templates/{template_id}", RUNNERS)
op("GET /document-templates/{template_id}/file", RUNNERS)
op("POST /document-templates/{template_id}/activate", ADMIN)
op("GET /dashboard", EVERYONE)  # counts over what each caller sees

# ---- audit trail ----------------------------------------------------------------------------------------------------

op("GET /audit-events", {ADMIN, LEADER})

# ---- compliance read API (the registry's visibility) ------------------------------------------------------------

op("GET /compliance/products", EVERYONE, client="compliance:read")
op("GET /compliance/statuses", EVERYONE, client="compliance:read")
op("GET /compliance/products/{product_id}", EVERYONE - REGISTRY_STRANGERS, hidden=REGISTRY_STRANGERS,
   client="compliance:read")
op("GET /compliance/producers/{producer_id}", EVERYONE - REGISTRY_STRANGERS, hidden=REGISTRY_STRANGERS,
   client="compliance:read")
