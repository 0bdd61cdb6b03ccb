# ruff: noqa: E501  (a table: one line per route)
"""The route policy matrix (docs/security.md items 7 and 8): every URL pattern and every API operation, with the
outcome each demo persona gets on a case of the Shillong centre (source AHTU East Khasi Hills, every place in
Meghalaya, its survivor referred to the Shakti Sadan Shillong shelter; see tests/security/routes_probe.py).

Outcome classes: allowed (2xx), redirect (3xx), 403, 404, 405 (the method is not offered), 401.
Scopes covered by the personas: own organisation (cm.meghalaya), assigned (ahtu.ekh), referred
(shelter.shillong), state (nodal.meghalaya), same state other organisation (ahtu.wjh), other state
(ahtu.kamrup, nodal.assam), other country (partner.nepal), no case access (media, analyst, admin).

A new route fails tests/security/test_route_policy.py until it is classified here. Write operations of the API
(API_WRITES) and the case pages' POSTs are driven with empty bodies: never a 500, never a success.
"""

from __future__ import annotations

from tests.security.routes_probe import PERSONAS

# "GET <route>" -> the outcome per persona, in the order of PERSONAS.
GET_ROUTES: dict[str, str] = {
    'GET /': "allowed allowed allowed allowed allowed allowed allowed allowed allowed allowed allowed",
    'GET /account/membership/': "405 405 405 405 405 405 405 405 405 405 405",
    'GET /account/mfa/enrol/': "redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect",
    'GET /account/mfa/step-up/': "allowed allowed allowed allowed allowed allowed allowed allowed allowed allowed allowed",
    'GET /account/mfa/verify/': "redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect",
    'GET /account/tokens/': "allowed allowed allowed allowed allowed allowed allowed allowed allowed allowed allowed",
    'GET /account/tokens/<uuid:token_id>/revoke/': "405 405 405 405 405 405 405 405 405 405 405",
    'GET /admin/': "redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect allowed",
    'GET /admin/(?P<url>.*)$': "redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect 404",
    'GET /admin/^(?P<app_label>accounts|sync)/$': "redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect allowed",
    'GET /admin/accounts/jurisdiction/': "redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect allowed",
    'GET /admin/accounts/jurisdiction/<path:object_id>/': "redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect",
    'GET /admin/accounts/jurisdiction/<path:object_id>/change/': "redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect",
    'GET /admin/accounts/jurisdiction/<path:object_id>/delete/': "redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect 403",
    'GET /admin/accounts/jurisdiction/<path:object_id>/history/': "redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect",
    'GET /admin/accounts/jurisdiction/add/': "redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect 403",
    'GET /admin/accounts/membership/': "redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect allowed",
    'GET /admin/accounts/membership/<path:object_id>/': "redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect",
    'GET /admin/accounts/membership/<path:object_id>/change/': "redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect",
    'GET /admin/accounts/membership/<path:object_id>/delete/': "redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect 403",
    'GET /admin/accounts/membership/<path:object_id>/history/': "redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect",
    'GET /admin/accounts/membership/add/': "redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect allowed",
    'GET /admin/accounts/organisation/': "redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect allowed",
    'GET /admin/accounts/organisation/<path:object_id>/': "redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect",
    'GET /admin/accounts/organisation/<path:object_id>/change/': "redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect allowed",
    'GET /admin/accounts/organisation/<path:object_id>/delete/': "redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect 403",
    'GET /admin/accounts/organisation/<path:object_id>/history/': "redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect allowed",
    'GET /admin/accounts/organisation/add/': "redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect allowed",
    'GET /admin/accounts/user/': "redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect allowed",
    'GET /admin/accounts/user/<path:object_id>/': "redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect",
    'GET /admin/accounts/user/<path:object_id>/change/': "redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect",
    'GET /admin/accounts/user/<path:object_id>/delete/': "redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect 403",
    'GET /admin/accounts/user/<path:object_id>/history/': "redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect",
    'GET /admin/accounts/user/add/': "redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect allowed",
    'GET /admin/autocomplete/': "redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect 403",
    'GET /admin/jsi18n/': "redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect allowed",
    'GET /admin/login/': "allowed allowed allowed allowed allowed allowed allowed allowed allowed allowed redirect",
    'GET /admin/logout/': "redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect 405",
    'GET /admin/password_change/': "redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect allowed",
    'GET /admin/password_change/done/': "redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect allowed",
    'GET /admin/r/<path:content_type_id>/<path:object_id>/': "redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect 404",
    'GET /admin/sync/node/': "redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect allowed",
    'GET /admin/sync/node/<path:object_id>/': "redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect",
    'GET /admin/sync/node/<path:object_id>/change/': "redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect",
    'GET /admin/sync/node/<path:object_id>/delete/': "redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect 403",
    'GET /admin/sync/node/<path:object_id>/history/': "redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect",
    'GET /admin/sync/node/add/': "redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect 403",
    'GET /cases/': "allowed allowed allowed allowed allowed allowed allowed allowed allowed allowed allowed",
    'GET /cases/<uuid:case_id>/': "allowed allowed 404 404 allowed allowed 404 404 404 404 404",
    'GET /cases/<uuid:case_id>/closure/': "allowed 403 404 404 403 403 404 404 404 404 404",
    'GET /cases/<uuid:case_id>/consents/new/': "allowed allowed 404 404 403 403 404 404 404 404 404",
    'GET /cases/<uuid:case_id>/fir/': "allowed allowed 404 404 403 403 404 404 404 404 404",
    'GET /cases/<uuid:case_id>/notes/': "405 405 405 405 405 405 405 405 405 405 405",
    'GET /cases/<uuid:case_id>/pathway/<slug:kind>/': "allowed 403 404 404 403 403 404 404 404 404 404",
    'GET /cases/<uuid:case_id>/pathway/<slug:kind>/<uuid:record_id>/': "404 403 404 404 403 403 404 404 404 404 404",
    'GET /cases/<uuid:case_id>/people/add/': "allowed allowed 404 404 403 403 404 404 404 404 404",
    'GET /cases/<uuid:case_id>/prosecution/<slug:kind>/': "allowed allowed 404 404 403 403 404 404 404 404 404",
    'GET /cases/<uuid:case_id>/prosecution/<slug:kind>/<uuid:record_id>/': "404 404 404 404 403 403 404 404 404 404 404",
    'GET /cases/<uuid:case_id>/referrals/new/': "allowed allowed 404 404 403 403 404 404 404 404 404",
    'GET /cases/<uuid:case_id>/survivors/<uuid:party_id>/stage/': "405 405 405 405 405 405 405 405 405 405 405",
    'GET /cases/new/': "allowed 403 403 403 403 403 403 403 403 403 403",
    'GET /emergency/': "allowed allowed allowed allowed 403 allowed allowed 403 403 403 403",
    'GET /emergency/<uuid:grant_id>/reviewed/': "405 405 405 405 405 405 405 405 405 405 405",
    'GET /emergency/review/': "allowed 403 403 403 403 allowed allowed 403 403 403 403",
    'GET /login/': "redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect",
    'GET /logout/': "405 405 405 405 405 405 405 405 405 405 405",
    'GET /node/sync/': "404 404 404 404 404 404 404 404 404 404 404",  # a field node's page (tests/fieldnode)
    'GET /node/sync/now/': "405 405 405 405 405 405 405 405 405 405 405",
    'GET /notifications/': "allowed allowed allowed allowed allowed allowed allowed allowed allowed allowed allowed",
    'GET /notifications/<uuid:notification_id>/read/': "405 405 405 405 405 405 405 405 405 405 405",
    'GET /persons/search/': "allowed allowed allowed allowed allowed allowed allowed 403 403 allowed 403",
    'GET /referrals/<uuid:referral_id>/': "allowed allowed 404 404 allowed allowed 404 404 404 404 404",
    'GET /referrals/<uuid:referral_id>/<slug:verb>/': "allowed allowed 404 404 allowed allowed 404 404 404 404 404",
    'GET /referrals/received/': "allowed allowed allowed allowed allowed allowed allowed allowed allowed allowed allowed",
    'GET /tasks/': "allowed allowed allowed allowed allowed allowed allowed allowed allowed allowed allowed",
    'GET /tasks/<uuid:task_id>/complete/': "405 405 405 405 405 405 405 405 405 405 405",
    'GET /tasks/mine/': "allowed allowed allowed allowed allowed allowed allowed allowed allowed allowed allowed",
    'GET /tasks/overdue/': "allowed allowed allowed allowed allowed allowed allowed allowed allowed allowed allowed",
    'GET /api/v1/cases': "allowed allowed allowed allowed allowed allowed allowed allowed allowed allowed allowed",
    'GET /api/v1/cases/{case_id}': "allowed allowed 404 404 allowed allowed 404 404 404 404 404",
    'GET /api/v1/cases/{case_id}/consents': "allowed allowed 404 404 403 403 404 404 404 404 404",
    'GET /api/v1/cases/{case_id}/coordination': "allowed allowed 404 404 404 allowed 404 404 404 404 404",
    'GET /api/v1/cases/{case_id}/pathway': "allowed allowed 404 404 allowed allowed 404 404 404 404 404",
    'GET /api/v1/cases/{case_id}/prosecution': "allowed allowed 404 404 404 allowed 404 404 404 404 404",
    'GET /api/v1/cases/{case_id}/referrals': "allowed allowed 404 404 allowed allowed 404 404 404 404 404",
    'GET /api/v1/cases/{case_id}/timeline': "allowed allowed 404 404 allowed allowed 404 404 404 404 404",
    'GET /api/v1/emergency-access': "allowed allowed allowed allowed allowed allowed allowed allowed allowed allowed allowed",
    'GET /api/v1/me': "allowed allowed allowed allowed allowed allowed allowed allowed allowed allowed allowed",
    'GET /api/v1/notifications': "allowed allowed allowed allowed allowed allowed allowed allowed allowed allowed allowed",
    'GET /api/v1/offences': "allowed allowed allowed allowed allowed allowed allowed allowed allowed allowed allowed",
    'GET /api/v1/persons/{person_id}': "allowed allowed 404 404 allowed allowed 404 404 404 404 404",
    'GET /api/v1/reference/codes': "allowed allowed allowed allowed allowed allowed allowed allowed allowed allowed allowed",
    'GET /api/v1/reference/jurisdictions': "allowed allowed allowed allowed allowed allowed allowed allowed allowed allowed allowed",
    'GET /api/v1/reference/organisations': "allowed allowed allowed allowed allowed allowed allowed allowed allowed allowed allowed",
    'GET /api/v1/referrals/received': "allowed allowed allowed allowed allowed allowed allowed allowed allowed allowed allowed",
    'GET /api/v1/referrals/{referral_id}': "allowed allowed 404 404 allowed allowed 404 404 404 404 404",
    'GET /api/v1/sync/feed': "401 401 401 401 401 401 401 401 401 401 401",
    'GET /api/v1/tasks': "allowed allowed allowed allowed allowed allowed allowed allowed allowed allowed allowed",
}

# API operations that change state: sent with an empty JSON body by every persona, never a 2xx or a 500.
API_WRITES: frozenset[str] = frozenset({
    'POST /api/v1/cases',
    'POST /api/v1/cases/{case_id}/close',
    'POST /api/v1/cases/{case_id}/consents',
    'POST /api/v1/cases/{case_id}/notes',
    'POST /api/v1/cases/{case_id}/parties',
    'POST /api/v1/cases/{case_id}/pathway/{kind}',
    'POST /api/v1/cases/{case_id}/prosecution/{kind}',
    'POST /api/v1/cases/{case_id}/referrals',
    'POST /api/v1/cases/{case_id}/reopen',
    'POST /api/v1/cases/{case_id}/survivors/{party_id}/stage',
    'POST /api/v1/emergency-access/{grant_id}/reviewed',
    'POST /api/v1/notifications/{notification_id}/read',
    'POST /api/v1/persons/search',
    'POST /api/v1/referrals/{referral_id}/{verb}',
    'POST /api/v1/sync/push',
    'POST /api/v1/tasks/{task_id}/complete',
    'PUT /api/v1/cases/{case_id}/fir',
    'PUT /api/v1/cases/{case_id}/pathway/{kind}/{record_id}',
    'PUT /api/v1/cases/{case_id}/prosecution/{kind}/{record_id}',
})


def expected(route: str) -> dict[str, str]:
    return dict(zip(PERSONAS, GET_ROUTES[route].split(), strict=True))
