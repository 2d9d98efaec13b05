"""Who may do what on which page: the declared permission policy, as data.

Every named URL the project resolves has an entry here, keyed by its namespaced name
("boards:meeting"). The views do not read this module: each has its own checks (see
``accounts.permissions`` and ``schools.access.visible_schools``). ``tests/test_permission_matrix.py``
walks every URL pattern and proves that the views and this policy agree, for anonymous visitors and
every role; a URL without an entry here fails that test.

What an entry says:

- ``get``: the roles that may open the page. Anyone else signed in gets 403 (a page their role never
  offers) or 404 (something outside what they may see). Empty for a URL that only takes POST: a GET
  answers 405.
- ``post``: the roles that may submit to it; ``None`` when the URL takes no POST (it changes nothing).
  A POST without a CSRF token is refused (403) for everyone, whatever this says.
- ``school``: the page is about one school or something belonging to one (a visit, a plan, a letter,
  a notice, an agenda item). Priority partners, headteachers and board members may use it only for
  the schools they may see (``visible_schools``); another school's object answers 404.
- ``refused``: how a signed-in role the entry does not list is answered. ``FORBIDDEN`` (403: the page
  is not part of their role, said before the school is looked up) is the default. ``BY_SCHOOL``, on the
  pages partners and heads work in: 403 if they may see the school, 404 if not, as if it did not exist.
  ``NOT_FOUND``: 404 for every refused role, hiding even that the page exists for the school.
- ``public``: anonymous visitors may use it too (the sign-in pages, the accessibility statement, the
  privacy notice and the cookies page). Every other page sends an anonymous visitor to sign in.
- ``admin_site``: a page of the Django administration, which turns away people who are not staff by
  sending them to its own sign-in page rather than with a 403.
- ``api``: an endpoint of the read-only API (``api/``), which answers JSON rather than pages: anyone
  without a valid token or session gets 401 (or 403), never a redirect to sign in. It takes no POST;
  a POST from a signed-in session without a CSRF token is refused (403) by its session
  authentication, one without credentials answers 401.

The roles are ``accounts.models.Role`` values. "Own" objects are what the role's assignments give
it: a partner's or headteacher's schools, a board member's listed and agenda schools.
"""

from __future__ import annotations

from dataclasses import dataclass

from accounts.models import Role

OFFICER = Role.LA_OFFICER.value
ADMIN = Role.ADMIN.value
PARTNER = Role.PRIORITY_PARTNER.value
HEAD = Role.HEADTEACHER.value
BOARD = Role.BOARD_MEMBER.value
COMMISSIONER = Role.COMMISSIONER.value

ROLES = frozenset(Role.values)
OFFICERS = frozenset({OFFICER, ADMIN})
NOBODY: frozenset[str] = frozenset()
# Roles whose schools come from assignments or the board's list: they may open only their own.
SCOPED_ROLES = frozenset({PARTNER, HEAD, BOARD})


def roles(*names: str) -> frozenset[str]:
    return frozenset(names)


FORBIDDEN = "forbidden"
NOT_FOUND = "not found"
BY_SCHOOL = "by school"


@dataclass(frozen=True)
class Access:
    get: frozenset[str]
    post: frozenset[str] | None = None
    school: bool = False
    public: bool = False
    admin_site: bool = False
    api: bool = False
    note: str = ""
    refused: str = FORBIDDEN  # or NOT_FOUND, BY_SCHOOL: how a role the entry does not list is answered

    @property
    def takes_post(self) -> bool:
        return self.post is not None


def page(*who: str, school: bool = False, note: str = "", refused: str = FORBIDDEN) -> Access:
    """A page that is read only: GET for these roles, no POST."""
    return Access(get=frozenset(who), school=school, note=note, refused=refused)


def form(
    *who: str, post: frozenset[str] | None = None, school: bool = False, note: str = "", refused: str = FORBIDDEN
) -> Access:
    """A page with a form: GET and POST for these roles (POST for ``post`` when it differs)."""
    posters = frozenset(who) if post is None else post
    return Access(get=frozenset(who), post=posters, school=school, note=note, refused=refused)


def action(*who: str, school: bool = False, note: str = "", refused: str = FORBIDDEN) -> Access:
    """A step that only takes POST (a button): GET answers 405."""
    return Access(get=NOBODY, post=frozenset(who), school=school, note=note, refused=refused)


def endpoint(*who: str, school: bool = False, note: str = "") -> Access:
    """An endpoint of the read-only API: GET for these roles (as their pages allow), no POST."""
    return Access(get=frozenset(who), school=school, api=True, note=note)


# Everyone who opens school pages: commissioners read aggregate reports only.
SCHOOL_READERS = (OFFICER, ADMIN, PARTNER, HEAD, BOARD)
BOARD_READERS = (OFFICER, ADMIN, BOARD)
REPORT_READERS = (OFFICER, ADMIN, COMMISSIONER)

POLICY: dict[str, Access] = {
    # Home, sign-in and sign-out ---------------------------------------------------------------
    "home": page(*ROLES),
    "accounts:sign-in": Access(get=ROLES, post=ROLES, public=True, note="signed-in people are sent home"),
    "accounts:sign-out": action(*ROLES),
    # "Forgotten your password?": the same answer whether or not the address has an account.
    "accounts:password-reset": Access(
        get=ROLES, post=ROLES, public=True, note="emails a one-time link; limited per address and network"
    ),
    "accounts:password-reset-sent": Access(get=ROLES, public=True, note="the same page for every address"),
    "accounts:password-reset-confirm": Access(
        get=ROLES, post=ROLES, public=True, note="the emailed link: a new password, twice; ends every session"
    ),
    "accounts:password-reset-complete": Access(get=ROLES, public=True),
    # Your account, two-factor authentication and the session warning ----------------------------
    "accounts:account": page(*ROLES),
    "accounts:two-factor-setup": form(*ROLES, note="required roles are sent here until they set one up"),
    "accounts:two-factor-verify": form(*ROLES, note="without an authenticator app: sent on to the page asked for"),
    "accounts:recovery-codes": form(*ROLES, note="without an authenticator app: sent to Your account"),
    "accounts:two-factor-turn-off": action(
        *ROLES, note="refused with a message for TWO_FACTOR_REQUIRED_ROLES while TWO_FACTOR_ENFORCED"
    ),
    "accounts:api-access": form(*ROLES, note="POST creates the person's own API token, shown once"),
    "accounts:api-access-revoke": action(*ROLES, note="revokes the person's own API token"),
    # Notifications: each person's own (another person's answers 404) ----------------------------------
    "accounts:notifications": form(*ROLES, note="the person's own, newest first; POST marks them all read"),
    "accounts:notification": page(*ROLES, note="marks the person's own read and sends on to its page; others' 404"),
    "accounts:notification-settings": form(*ROLES, note="POST chooses which kinds come by email"),
    "accounts:switch-authority": action(*ROLES, note="to another authority the person belongs to; others refused"),
    "accounts:set-language": action(*ROLES, note="the header's Cymraeg / English switch: Welsh only in Wales"),
    "accounts:session": Access(
        get=ROLES, post=ROLES, public=True, note="the timeout warning's status and keep-alive; anonymous: signed out"
    ),
    # The accessibility statement, privacy notice and cookies page: for anyone, signed in or not.
    "accessibility": Access(get=ROLES, public=True, note="the footer's link; WCAG 2.2 AA and how to report a problem"),
    "privacy": Access(get=ROLES, public=True, note="the footer's link; what personal data the portal holds, and why"),
    "cookies": Access(get=ROLES, public=True, note="the footer's link; essential cookies only, no analytics"),
    # The header's search: the schools the person may see; people too for officers and administrators.
    "search": page(*SCHOOL_READERS, note="an exact URN opens the school; people for officers and administrators"),
    # Operations: the health check for monitoring probes, which says only whether each part is up.
    "health": Access(get=ROLES, public=True, note="JSON: the database, broker and worker, ok or unavailable"),
    # schools: the register, a school's page, intelligence, imports ----------------------------
    "schools:list": page(*SCHOOL_READERS, note="each sees only the schools visible_schools gives them"),
    "schools:list-csv": page(*SCHOOL_READERS),
    "schools:detail": page(*SCHOOL_READERS, school=True, refused=BY_SCHOOL),
    "schools:note-create": form(OFFICER, ADMIN, PARTNER, school=True, refused=NOT_FOUND),
    "schools:imports": form(*OFFICERS),
    "schools:import-detail": page(*OFFICERS),
    "schools:authority-results": form(
        *OFFICERS, note="the template of EYFS and KS1 results (?export=) and its upload, the authority's own schools"
    ),
    "schools:import-now": action(*OFFICERS, note="imports a checked dry run's stored file"),
    "schools:import-retry": action(*OFFICERS, note="checks or imports a failed run's stored file again"),
    "schools:import-confirm": action(*OFFICERS, note="imports a file imported before, with a reason"),
    "schools:import-cancel": action(*OFFICERS, note="drops a file imported before instead"),
    "schools:import-undo": form(*OFFICERS, note="POST puts back what the import created or changed"),
    "schools:import-problems": page(*OFFICERS, note="CSV of every problem the import found"),
    "schools:history": page(*OFFICERS, school=True, note="the audit trail holds restricted intelligence"),
    "schools:estyn-create": form(*OFFICERS, school=True, note="a Welsh school's; an English school's redirects"),
    # schools: the chair and clerk of a school's board, personal data kept by the authority's officers
    "schools:governance": form(*OFFICERS, school=True),
    "schools:governance-review": form(*OFFICERS, school=True),
    # schools: consortia of schools (seed 002, 7.4): the board that oversees them reads them
    "schools:consortia": form(*BOARD_READERS, post=OFFICERS, note="POST sets up a consortium"),
    "schools:consortium": page(*BOARD_READERS),
    "schools:consortium-add-school": form(*OFFICERS),
    "schools:consortium-remove-school": action(*OFFICERS),
    "schools:consortium-add-lead": form(*OFFICERS),
    "schools:consortium-remove-lead": action(*OFFICERS),
    # categorisation: officers read; administrators change frameworks ---------------------------
    "categorisation:overview": page(*OFFICERS),
    "categorisation:welsh-steps": form(
        OFFICER,
        ADMIN,
        PARTNER,
        HEAD,
        post=roles(OFFICER, ADMIN, PARTNER),
        school=True,
        refused=NOT_FOUND,
        note="Welsh schools only; the partner records the capacity to improve, officers the group and the agreement",
    ),
    "categorisation:queue": form(*OFFICERS),
    "categorisation:runs": form(*OFFICERS),
    "categorisation:windows": page(*OFFICERS),
    "categorisation:funding": page(*OFFICERS, note="funding per school: the category's amount per pupil × pupils"),
    "categorisation:frameworks": form(*OFFICERS, post=roles(ADMIN), note="POST switches the active framework"),
    "categorisation:version": page(*OFFICERS),
    "categorisation:what-if": page(*OFFICERS),
    "categorisation:version-action": action(ADMIN),
    "categorisation:edit-trigger": form(ADMIN),
    "categorisation:edit-rule": form(ADMIN),
    "categorisation:edit-support": form(ADMIN, note="a draft category's days, meetings, visit pattern and funding"),
    "categorisation:edit-matrix": form(ADMIN),
    "categorisation:decide": form(*OFFICERS, school=True, refused=NOT_FOUND),
    # support: caseload, partners, packages, visits and reports, plans, meetings ----------------
    "support:caseload": page(PARTNER),
    "support:partners": page(*OFFICERS),
    "support:add-partner": form(*OFFICERS),
    "support:partner": form(*OFFICERS, note="POST assigns the partner to a school"),
    "support:edit-partner": form(*OFFICERS),
    "support:declare-interest": form(*OFFICERS),
    "support:quality-assurance": form(*OFFICERS, note="POST draws the moderation sample"),
    "support:partner-quality-list": page(*OFFICERS),
    "support:partner-quality": page(
        *OFFICERS, PARTNER, note="a partner reads their own record only (404 for another's)"
    ),
    "support:edit-partner-quality": form(*OFFICERS),
    "support:add-partner-training": form(*OFFICERS),
    "support:moderations": page(*OFFICERS),
    "support:record-moderation": form(*OFFICERS),
    "support:self-referrals": page(*OFFICERS),
    "support:annual-reviews": page(*OFFICERS, note="seed 003: schools with no triggers have an annual review visit"),
    "support:consider-referral": form(*OFFICERS),
    "support:calendar": page(*OFFICERS),
    "support:support": page(
        *SCHOOL_READERS, school=True, note="heads and board see shared reports only", refused=BY_SCHOOL
    ),
    "support:assign-partner": form(*OFFICERS, school=True, note="?change= names the assignment a new partner replaces"),
    "support:unassign-partner": form(*OFFICERS, school=True, note="GET asks to confirm; POST removes the partner"),
    "support:create-package": action(*OFFICERS, school=True),
    "support:adjust": form(*OFFICERS, school=True),
    "support:allocate": form(*OFFICERS, school=True),
    "support:brokered": form(*OFFICERS, school=True),
    "support:traded": form(*OFFICERS, school=True),
    "support:overview-option": form(*OFFICERS, school=True),
    "support:new-head": form(*OFFICERS, school=True),
    "support:recruitment": form(*OFFICERS, school=True, note="seed 000: headteacher recruitment"),
    "support:schedule-meetings": action(OFFICER, ADMIN, PARTNER, school=True, refused=BY_SCHOOL),
    "support:new-visit": form(OFFICER, ADMIN, PARTNER, school=True, refused=BY_SCHOOL),
    "support:plan": page(*SCHOOL_READERS, school=True, refused=BY_SCHOOL),
    "support:add-priority": form(OFFICER, ADMIN, PARTNER, school=True, refused=BY_SCHOOL),
    "support:add-action": form(OFFICER, ADMIN, PARTNER, school=True, refused=BY_SCHOOL),
    "support:update-action": form(OFFICER, ADMIN, PARTNER, school=True, refused=BY_SCHOOL),
    "support:add-milestone": form(OFFICER, ADMIN, PARTNER, school=True, refused=BY_SCHOOL),
    "support:academy-order": form(*OFFICERS, school=True),
    "support:plan-step": action(
        OFFICER,
        ADMIN,
        PARTNER,
        HEAD,
        school=True,
        note="checked with the comment step",
        refused=BY_SCHOOL,
    ),
    "support:agree-plan": form(
        HEAD, school=True, note="the confirmation page; an agreed plan sends the head back to it", refused=BY_SCHOOL
    ),
    "support:self-referral": form(HEAD, school=True, refused=BY_SCHOOL),
    "support:visit": page(
        *SCHOOL_READERS, school=True, note="heads and board only once a report is shared", refused=BY_SCHOOL
    ),
    "support:report-edit": form(
        PARTNER, school=True, refused=NOT_FOUND, note="the report's author only: anyone else gets 404"
    ),
    "support:report-pdf": page(
        *SCHOOL_READERS, school=True, note="heads and board: the latest shared version", refused=BY_SCHOOL
    ),
    "support:respond": form(HEAD, school=True, refused=BY_SCHOOL),
    "support:quality": form(*OFFICERS, school=True),
    "support:visit-step": action(
        OFFICER,
        ADMIN,
        PARTNER,
        school=True,
        note="held, start, submit, share, revise; checked with held",
        refused=BY_SCHOOL,
    ),
    "support:meeting": form(OFFICER, ADMIN, PARTNER, school=True, refused=BY_SCHOOL),
    # Oxfordshire's processes (seed 003)
    "support:strategy-meetings": form(*OFFICERS, note="POST schedules the year's strategy meetings"),
    "support:arrange-strategy-meeting": form(*OFFICERS, school=True),
    "support:ri-to-good": page(*OFFICERS),
    "support:lowest-quartile": page(*OFFICERS, note="seed 004: secondary schools low on both P8 and A8"),
    "support:ri-review": form(OFFICER, ADMIN, PARTNER, school=True, refused=BY_SCHOOL),
    "support:network": page(*OFFICERS),
    "support:network-meeting-new": form(*OFFICERS),
    "support:network-meeting": form(*OFFICERS),
    "support:academy-conversations": page(*OFFICERS),
    "support:academy-conversation-new": form(*OFFICERS),
    # boards: the priority list, meetings, agendas, packs and decisions -------------------------
    "boards:list": page(*BOARD_READERS),
    "boards:propose": action(*OFFICERS),
    "boards:assign-partners": form(*OFFICERS, note="?school= the URNs ticked on the list; POST assigns one partner"),
    "boards:agree-list": form(*BOARD_READERS),
    "boards:carry-forward": form(*BOARD_READERS),
    "boards:meetings": form(*BOARD_READERS, post=OFFICERS, note="POST schedules the year's meetings"),
    "boards:meeting": page(*BOARD_READERS),
    "boards:generate-agenda": action(*OFFICERS),
    "boards:consent": action(*BOARD_READERS, note="agrees the meeting's routine reviews, pulling out those ticked"),
    "boards:add-item": form(*OFFICERS),
    "boards:record-meeting": form(*OFFICERS),
    "boards:build-pack": action(*OFFICERS),
    "boards:pack-pdf": page(*BOARD_READERS),
    "boards:drop-item": form(*OFFICERS, school=True),
    "boards:decide": form(*BOARD_READERS, school=True),
    # boards: the School Improvement Board (seed 002): its members, and decisions with their votes
    "boards:improvement-board": form(*BOARD_READERS, post=OFFICERS, note="POST says what the authority's board is"),
    "boards:vote": form(*BOARD_READERS, school=True, note="an advisory board's item redirects to boards:decide"),
    "boards:board-membership": form(*BOARD_READERS, post=OFFICERS, note="POST records a member's basis or the chair"),
    "boards:eig-meetings": form(*OFFICERS, note="POST records an Education Improvement Group meeting"),
    # boards: letters, warning notices, escalations, concern meetings, inspections ---------------
    "boards:letters": page(*OFFICERS),
    "boards:annual-letters": form(*OFFICERS),
    "boards:letter": form(OFFICER, ADMIN, HEAD, post=OFFICERS, school=True, note="heads: sent letters only"),
    "boards:letter-pdf": page(OFFICER, ADMIN, HEAD, school=True, note="heads: sent letters only"),
    "boards:letter-language": action(*OFFICERS, school=True, note="an unsent letter, in another language"),
    "boards:letter-templates": page(*OFFICERS),
    "boards:edit-template": form(*OFFICERS),
    "boards:notices": page(*BOARD_READERS, note="board members: notices about their schools only"),
    "boards:notice": page(*BOARD_READERS, school=True),
    "boards:notice-step": form(*OFFICERS, school=True),
    "boards:notice-recommendation-pdf": page(
        OFFICER, ADMIN, school=True, refused=NOT_FOUND, note="the recommendation to the DCS (or regional director)"
    ),
    "boards:notice-pdf": page(OFFICER, ADMIN, school=True, refused=NOT_FOUND, note="issued notices only"),
    "boards:escalations": page(*OFFICERS),
    "boards:escalation": form(*OFFICERS, school=True),
    "boards:escalation-notice": form(*OFFICERS, school=True),
    "boards:escalate": form(OFFICER, ADMIN, PARTNER, school=True),
    "boards:concern-meetings": page(*OFFICERS),
    "boards:vulnerability-visits": page(*OFFICERS),
    "boards:vulnerability-visit": form(*OFFICERS, school=True),
    "boards:academy-notifications": form(*OFFICERS),
    "boards:academy-notification": page(*OFFICERS, note="?format=pdf the letter; ?export=csv the academies"),
    "boards:new-concern-meeting": form(*OFFICERS),
    "boards:concern-meeting": page(*OFFICERS),
    "boards:inspections": page(*OFFICERS),
    "boards:new-inspection-notice": form(*OFFICERS, school=True),
    "boards:inspection": page(OFFICER, ADMIN, PARTNER, school=True),
    "boards:inspection-feedback": form(
        OFFICER, ADMIN, PARTNER, school=True, note="partners: only the one attending the inspection"
    ),
    "boards:inspection-outcome": form(*OFFICERS, school=True),
    # boards: a Welsh authority's processes (seed 001); an authority in England is sent home ----------
    "boards:wales": page(*OFFICERS),
    "boards:informal-notices": page(*OFFICERS),
    "boards:new-informal-notice": form(*OFFICERS, school=True, note="Welsh schools only"),
    "boards:informal-notice": page(*OFFICERS, school=True),
    "boards:informal-notice-step": form(*OFFICERS, school=True, note="lift, or escalate to a formal notice"),
    "boards:risk-conferences": page(*OFFICERS),
    "boards:new-risk-conference": form(*OFFICERS),
    "boards:risk-conference": page(*OFFICERS),
    "boards:conference-action-done": action(*OFFICERS),
    "boards:target-reviews": page(*OFFICERS, note="schools whose review for the current term is missing"),
    "boards:school-target-reviews": page(OFFICER, ADMIN, PARTNER, school=True, refused=BY_SCHOOL),
    "boards:new-target-review": form(
        OFFICER, ADMIN, PARTNER, school=True, refused=BY_SCHOOL, note="the challenge adviser (priority partner)"
    ),
    "boards:consultant-governors": page(*OFFICERS),
    "boards:new-consultant-governor": form(*OFFICERS, school=True, note="amber and red schools only"),
    "boards:governor-peer-review": form(*OFFICERS, school=True),
    # reporting: monthly reports and dashboards ------------------------------------------------
    "reporting:reports": form(*REPORT_READERS, post=OFFICERS, note="POST runs a month's report"),
    "reporting:report": page(*REPORT_READERS),
    "reporting:report-pdf": page(*REPORT_READERS),
    "reporting:report-xlsx": page(*REPORT_READERS),
    "reporting:report-csv": page(*REPORT_READERS),
    "reporting:dashboard": page(*REPORT_READERS),
    "reporting:impact": page(*OFFICERS),
    "reporting:published-figures": page(*OFFICERS, note="DfE's LA-level figures held for the LAs compared"),
    "reporting:published-figure-add": form(*OFFICERS, note="POST enters or corrects a figure from DfE's LAIT"),
    "reporting:quarterly": form(
        *REPORT_READERS, BOARD, post=OFFICERS, note="POST records or corrects a quarter's count (seed 004)"
    ),
    # The read-only API: the same readers as the pages it mirrors, JSON for a token or session --------
    "api:index": page(*ROLES, note="the page for people that explains the API"),
    "api:schema": endpoint(*ROLES, note="the OpenAPI schema: the same for everyone signed in"),
    "api:school-list": endpoint(*SCHOOL_READERS, note="each sees only the schools visible_schools gives them"),
    "api:school-detail": endpoint(*SCHOOL_READERS, school=True),
    "api:school-inspection-list": endpoint(*SCHOOL_READERS, school=True),
    "api:school-inspection-detail": endpoint(*SCHOOL_READERS, school=True),
    "api:category-list": endpoint(*SCHOOL_READERS, note="who agreed a category: officers only, as on the school page"),
    "api:category-detail": endpoint(*SCHOOL_READERS, school=True),
    "api:category-decision-list": endpoint(*OFFICERS, note="the category history: officers only, as on the page"),
    "api:category-decision-detail": endpoint(*OFFICERS, school=True),
    "api:priority-entry-list": endpoint(*BOARD_READERS, note="this academic year's list, as boards:list"),
    "api:priority-entry-detail": endpoint(*BOARD_READERS),
    "api:support-package-list": endpoint(*SCHOOL_READERS),
    "api:support-package-detail": endpoint(*SCHOOL_READERS, school=True),
    "api:visit-list": endpoint(*SCHOOL_READERS, note="heads and board: visits with a shared report only"),
    "api:visit-detail": endpoint(*SCHOOL_READERS, school=True, note="heads and board: the latest shared version"),
    # The audit trail: every change to every record, for administrators ------------------------
    "audit:search": page(ADMIN),
    "audit:downloads": page(ADMIN, note="who downloaded which file: personal data about staff"),
    # The Django administration: administrators (staff) only ------------------------------------
    "admin:login": Access(get=ROLES, post=ROLES, public=True, admin_site=True),
    "admin:logout": Access(get=NOBODY, post=roles(ADMIN), admin_site=True),
    # Every other admin: URL (the index, each model's list, add, change, delete and history pages).
    "admin:*": Access(get=roles(ADMIN), post=roles(ADMIN), admin_site=True),
}


def access_for(name: str) -> Access | None:
    """The entry for a URL name: its own, or its namespace's ``ns:*`` entry."""
    if name in POLICY:
        return POLICY[name]
    namespace, _, _ = name.rpartition(":")
    while namespace:
        if f"{namespace}:*" in POLICY:
            return POLICY[f"{namespace}:*"]
        namespace, _, _ = namespace.rpartition(":")
    return None
