"""Named permission predicates, asked alike by views, templates and tests."""

from django.conf import settings

from accounts.models import Authority, Role

_OFFICERS = (Role.LA_OFFICER, Role.ADMIN)


def is_officer(user) -> bool:
    """LA officers and administrators: the people who run the service and see everything."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.role in _OFFICERS)


def can_import_data(user) -> bool:
    return is_officer(user)


def can_view_school_list(user) -> bool:
    """Everyone who may open at least some school pages; commissioners read aggregates only."""
    return bool(getattr(user, "is_authenticated", False) and user.role != Role.COMMISSIONER)


def can_add_intelligence(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.role in (*_OFFICERS, Role.PRIORITY_PARTNER))


def can_change_categories(user) -> bool:
    """Agree or override a school's category (the board's decisions come later, through the board)."""
    return is_officer(user)


def can_see_category_pages(user) -> bool:
    """The overview, the queue, job runs, frameworks and what-if analyses."""
    return is_officer(user)


def can_see_categorisation_steps(user) -> bool:
    """A Welsh school's standards group and capacity to improve: officers, its challenge adviser
    (priority partner) and its headteacher."""
    return is_officer(user) or is_partner(user) or is_head(user)


def can_manage_frameworks(user) -> bool:
    """Create, edit and adopt framework versions, switch the active framework, set intervals."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.role == Role.ADMIN)


def can_manage_support(user) -> bool:
    """Packages, entitlements, allocations, brokered and traded support, partners, QA."""
    return is_officer(user)


def is_partner(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.role == Role.PRIORITY_PARTNER)


def is_head(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.role == Role.HEADTEACHER)


def can_visit(user) -> bool:
    """Schedule visits and write visit reports and plans (for schools the user may see)."""
    return is_officer(user) or is_partner(user)


def is_board(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.role == Role.BOARD_MEMBER)


def can_see_board(user) -> bool:
    """The priority list, board meetings, agendas, packs and decisions."""
    return is_officer(user) or is_board(user)


def can_decide(user) -> bool:
    """Record the board's decisions: board members, and officers recording them for the board."""
    return is_officer(user) or is_board(user)


def can_manage_board(user) -> bool:
    """Schedule meetings, shape agendas, build packs, propose and carry forward the list, letters."""
    return is_officer(user)


def can_see_notices(user) -> bool:
    """Warning notices: officers act on them; board members follow the ones they recommended."""
    return is_officer(user) or is_board(user)


def sees_shared_reports_only(user) -> bool:
    """Headteachers and board members read visit reports once shared with the school, never drafts."""
    return is_head(user) or is_board(user)


def can_comment_on_plans(user) -> bool:
    """Officers, the school's partner and its headteacher (for schools they may see)."""
    return is_officer(user) or is_partner(user) or is_head(user)


def can_see_reports(user) -> bool:
    """The monthly commissioner reports and the dashboards: officers, administrators and commissioners."""
    return bool(
        getattr(user, "is_authenticated", False) and user.is_active and user.role in (*_OFFICERS, Role.COMMISSIONER)
    )


def can_read_quarterly_figures(user) -> bool:
    """The authority's own quarterly counts (permanent exclusions, part-time placements): officers,
    administrators, commissioners and advisory board members (seed 004)."""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.role in (*_OFFICERS, Role.COMMISSIONER, Role.BOARD_MEMBER)
    )


def can_record_quarterly_figures(user) -> bool:
    """Record or correct the authority's quarterly counts: officers and administrators."""
    return is_officer(user)


def can_generate_reports(user) -> bool:
    """Run a month's report on demand, and read the impact of support school by school."""
    return is_officer(user)


def must_use_two_factor(user) -> bool:
    """Officers, administrators and board members (``TWO_FACTOR_REQUIRED_ROLES``) must set up an
    authenticator app and enter its code at every sign-in, while ``TWO_FACTOR_ENFORCED``."""
    return bool(
        getattr(user, "is_authenticated", False)
        and settings.TWO_FACTOR_ENFORCED
        and user.role in settings.TWO_FACTOR_REQUIRED_ROLES
    )


def can_turn_off_two_factor(user) -> bool:
    """Anyone who chose two-factor authentication may turn it off again; the required roles may not."""
    return bool(getattr(user, "is_authenticated", False) and not must_use_two_factor(user))


def can_see_school_history(user) -> bool:
    """A school's History page: every change to its records, restricted intelligence and unshared
    reports included, so officers and administrators only."""
    return is_officer(user)


def can_search_audit(user) -> bool:
    """The audit search across every record and person: administrators only."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.role == Role.ADMIN)


def can_run_welsh_processes(user) -> bool:
    """A Welsh authority's informal warning notices, risk management conferences, target reviews and
    consultant governors (seed 001): the officers of an authority in Wales (the one they work in now,
    loaded with the person at sign-in, so asking costs no query: the navigation may ask it)."""
    authority = getattr(user, "authority", None) if is_officer(user) else None
    return authority is not None and authority.nation == Authority.Nation.WALES


def can_review_targets(user) -> bool:
    """The termly target review of a Welsh school: officers and its challenge adviser (priority partner)."""
    return is_officer(user) or is_partner(user)
