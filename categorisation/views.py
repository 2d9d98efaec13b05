"""Categorisation pages: overview, queue, decisions, runs, frameworks, what-if, inspection windows."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from accounts import permissions
from accounts.access import permission
from categorisation import selectors, services, windows
from categorisation.forms import (
    CapacityForm,
    DecisionForm,
    MatrixForm,
    RuleForm,
    ScopeForm,
    StandardsGroupForm,
    SupportForm,
    TriggerForm,
)
from categorisation.models import Category, Framework, MappingRule, RecategorisationRun, TriggerDefinition
from categorisation.rules import KINDS
from core import exports
from core.calendar import academic_year_label, academic_year_of
from core.concurrency import seen_version, with_version
from core.exports import Column
from core.pages import errors_to, form_page
from operations import jobs
from schools.access import get_for
from schools.filters import distinct_values
from schools.models import School


def _error_text(exc: ValidationError) -> str:
    return " ".join(m for messages_ in getattr(exc, "message_dict", {"": exc.messages}).values() for m in messages_)


@permission("categorisation:overview")
def overview(request):
    scope = ScopeForm(request.GET or None, phases=[p for p, _ in distinct_values("phase_name")[0]])
    la = phase = None
    if scope.is_valid():
        la, phase = scope.cleaned_data["la"], scope.cleaned_data["phase"]
    framework, counts, uncategorised = selectors.overview(la_id=la.pk if la else None, phase=phase or "")
    query = {k: v for k, v in (("la", la.pk if la else ""), ("phase", phase or "")) if v}
    context = {
        "framework": framework,
        "counts": counts,
        "uncategorised": uncategorised,
        "scope": scope,
        "query": "&".join(f"{k}={v}" for k, v in query.items()),
        "pending": selectors.queue().count(),
        "last_run": selectors.recent_runs(1).first(),
    }
    return render(request, "categorisation/overview.html", context)


def _why(standing) -> str:
    fired = standing.assessment.fired if standing.assessment else []
    return "; ".join(trigger.get("label", "") for trigger in fired) or "No trigger fired"


QUEUE_COLUMNS = [
    *exports.school_columns(),
    Column("Phase", lambda s: s.school.phase_name),
    Column("Agreed now", lambda s: s.category.label if s.category else None),
    Column("Proposed", lambda s: s.proposed.label if s.proposed else None),
    Column("Why", _why),
]


def _not_agreed(changed: list[str]) -> str:
    one = len(changed) == 1
    return (
        f"{len(changed)} proposal{'' if one else 's'} {'was' if one else 'were'} not agreed because "
        f"{'it' if one else 'they'} changed since you opened the page: {'; '.join(changed)}. "
        f"Review {'it' if one else 'them'} again."
    )


@permission("categorisation:queue")
def queue(request):
    if request.method == "POST":
        chosen = [int(pk) for pk in request.POST.getlist("school") if pk.isdigit()]
        if not chosen:
            messages.error(request, "Select at least one school to agree its proposal")
        else:
            seen = {pk: seen_version(request.POST.get(f"version-{pk}")) for pk in chosen}
            result = services.agree_proposals(school_ids=chosen, by=request.user, seen_versions=seen)
            messages.success(request, f"Agreed {result.agreed} proposal{'s' if result.agreed != 1 else ''}")
            if result.changed:
                messages.error(request, _not_agreed(result.changed))
        return redirect(request.get_full_path())
    version = selectors.active_version()
    scope = ScopeForm(
        request.GET or None,
        phases=[p for p, _ in distinct_values("phase_name")[0]],
        categories=list(version.categories.all()),
    )
    filters = scope.cleaned_data if scope.is_valid() else {}
    pending = selectors.queue(
        la_id=filters["la"].pk if filters.get("la") else None,
        phase=filters.get("phase", ""),
        proposed=filters.get("proposed", ""),
    )
    if exports.requested(request):
        return exports.download(request, pending, QUEUE_COLUMNS, name="category-proposals", title="Proposals to agree")
    page = Paginator(pending, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "categorisation/queue.html",
        {"page": page, "scope": scope, "query": query.urlencode(), "version": version},
    )


@permission("categorisation:decide")
def decide(request, urn: int):
    school = get_for(request.user, School, urn=urn)
    standing = selectors.standing_for_decision(school)
    version = standing.assessment.version if standing and standing.assessment else selectors.active_version()
    proposed = standing.proposed if standing and standing.assessment else None
    form = DecisionForm(request.POST or None, categories=list(version.categories.all()), proposed=proposed)
    with_version(form, standing)
    if request.method == "POST" and form.is_valid():
        try:
            services.agree_category(
                school=school,
                by=request.user,
                category_code=form.cleaned_data["category"],
                rationale=form.cleaned_data["rationale"],
                seen_version=seen_version(form.cleaned_data["version"]),
            )
        except ValidationError as exc:
            errors_to(form, exc)
        else:
            messages.success(request, f"Category saved for {school.name}")
            return redirect(f"{school.get_absolute_url()}#category")
    return render(
        request,
        "categorisation/decide.html",
        {"school": school, "standing": standing, "form": form, "proposed": proposed},
    )


@permission("categorisation:runs")
def runs(request):
    if request.method == "POST":
        queued = services.enqueue_recategorisation(
            trigger=RecategorisationRun.Trigger.MANUAL, started_by_id=request.user.pk
        )
        if queued.held:
            messages.info(request, "Recategorisation is saved; it will run when the background service is back.")
        else:
            messages.success(request, "Recategorisation started. It appears below when it has finished.")
        return redirect("categorisation:runs")
    context = {"runs": selectors.recent_runs(), "waiting": jobs.waiting_jobs()}
    return render(request, "categorisation/runs.html", context)


@permission("categorisation:frameworks")
def frameworks(request):
    if request.method == "POST":
        framework = get_object_or_404(Framework, code=request.POST.get("framework", ""))
        services.set_active_framework(framework=framework, by=request.user)
        messages.success(request, f"{framework.name} is now the active framework. Schools are being reassessed.")
        return redirect("categorisation:frameworks")
    return render(
        request,
        "categorisation/frameworks.html",
        {"frameworks": selectors.frameworks(), "can_manage": permissions.can_manage_frameworks(request.user)},
    )


@permission("categorisation:version")
def version(request, code: str, number: int):
    item = selectors.version_for(code, number)
    context = {
        "version": item,
        "categories": list(item.categories.all()),
        "triggers": list(item.triggers.all()),
        "rules": list(item.rules.all()),
        "cells": _matrix_rows(item),
        "can_manage": permissions.can_manage_frameworks(request.user),
        "problems": services.validate_version(item) if item.is_draft else [],
    }
    return render(request, "categorisation/version.html", context)


def _matrix_rows(item) -> list[tuple[str, list[str]]]:
    cells = item.matrix.get("cells", {})
    labels = {c.code: c for c in item.categories.all()}
    return [(group, [labels.get(cells.get(f"{group}{c}")) for c in "ABCD"]) for group in "1234"] if cells else []


@permission("categorisation:version-action")
def version_action(request, code: str, number: int, action: str):
    item = selectors.version_for(code, number)
    if action not in ("copy", "adopt", "discard"):
        raise Http404("No such action")
    try:
        if action == "copy":
            draft = services.create_draft(version=item, by=request.user)
            messages.success(request, f"Draft version {draft.number} created. Change it, then run a what-if.")
            return redirect(draft)
        if action == "adopt":
            services.adopt_draft(version=item, by=request.user)
            messages.success(request, f"Version {item.number} is now active. Schools are being reassessed.")
        elif action == "discard":
            services.discard_draft(version=item, by=request.user)
            messages.success(request, f"Draft version {number} discarded")
            return redirect("categorisation:frameworks")
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    return redirect(item)


EDIT = "categorisation/edit.html"


@permission("categorisation:edit-trigger")
def edit_trigger(request, code: str, number: int, pk: int):
    item = selectors.version_for(code, number)
    trigger = get_object_or_404(TriggerDefinition, pk=pk, version=item)

    def save(data):
        return services.update_trigger(
            trigger=trigger, by=request.user, severity=data["severity"], enabled=data["enabled"], params=data["params"]
        )

    return form_page(
        request,
        form=TriggerForm(request.POST or None, trigger=trigger, defaults=dict(KINDS[trigger.kind].defaults)),
        title=trigger.label,
        back=f"{item.get_absolute_url()}#triggers",
        save=save,
        success=f"Trigger '{trigger.label}' saved",
        template=EDIT,
        context={"version": item},
    )


@permission("categorisation:edit-support")
def edit_support(request, code: str, number: int, pk: int):
    item = selectors.version_for(code, number)
    category = get_object_or_404(Category, pk=pk, version=item)
    return form_page(
        request,
        form=SupportForm(request.POST or None, category=category),
        title=f"Change support: {category.label}",
        back=f"{item.get_absolute_url()}#categories",
        save=lambda data: services.update_support(category=category, by=request.user, values=data),
        success=f"Support for '{category.label}' saved",
        template=EDIT,
        context={"version": item},
    )


@permission("categorisation:edit-rule")
def edit_rule(request, code: str, number: int, pk: int):
    item = selectors.version_for(code, number)
    rule = get_object_or_404(MappingRule, pk=pk, version=item)
    initial = {
        "category_code": rule.category_code,
        "all_of": ", ".join(rule.all_of),
        "any_of": ", ".join(rule.any_of),
        "min_any": rule.min_any,
        "min_severity": rule.min_severity,
        "min_count": rule.min_count,
        "description": rule.description,
    }

    def save(data):
        return services.update_rule(
            rule=rule,
            by=request.user,
            category_code=data["category_code"],
            all_of=RuleForm.codes(data["all_of"]),
            any_of=RuleForm.codes(data["any_of"]),
            min_any=data["min_any"],
            min_severity=data["min_severity"],
            min_count=data["min_count"],
            description=data["description"],
        )

    return form_page(
        request,
        form=RuleForm(request.POST or None, initial=initial, categories=list(item.categories.all())),
        title=f"Rule {rule.order}",
        back=f"{item.get_absolute_url()}#mapping",
        save=save,
        success=f"Rule {rule.order} saved",
        template=EDIT,
        context={"version": item},
    )


@permission("categorisation:edit-matrix")
def edit_matrix(request, code: str, number: int):
    item = selectors.version_for(code, number)
    cells = item.matrix.get("cells", {})

    def save(data):
        version = item
        for cell, category_code in data.items():
            if cells.get(cell) != category_code:
                version = services.update_matrix_cell(
                    version=version, by=request.user, cell=cell, category_code=category_code
                )
        return version

    return form_page(
        request,
        form=MatrixForm(request.POST or None, cells=cells, categories=list(item.categories.all())),
        title="Support category matrix",
        back=f"{item.get_absolute_url()}#mapping",
        save=save,
        success="Matrix saved",
        then=lambda version: f"{version.get_absolute_url()}#mapping",
        template=EDIT,
        context={"version": item},
    )


@permission("categorisation:what-if")
def what_if(request, code: str, number: int):
    item = selectors.version_for(code, number)
    result = selectors.what_if(item)
    return render(request, "categorisation/what_if.html", {"version": item, "result": result})


FUNDING_COLUMNS = [
    *exports.school_columns(),
    Column("Category", lambda s: s.category_label),
    Column("Pupils on roll", lambda s: s.school.pupils_on_roll),
    Column("Amount per pupil (£)", lambda s: s.per_pupil),
    Column("Funding (£)", lambda s: s.funding),
]


@permission("categorisation:funding")
def funding(request):
    table = selectors.funding_table()
    if exports.requested(request):
        return exports.download(request, table.rows, FUNDING_COLUMNS, name="funding", title="Funding per school")
    page = Paginator(table.rows, 50).get_page(request.GET.get("page"))
    context = {"table": table, "page": page, "query": exports.links_query(request)}
    return render(request, "categorisation/funding.html", context)


WINDOWS_PAGE_SIZE = 50


@permission("categorisation:windows")
def inspection_windows(request):
    """One list at a time (``?list=``: the overdue, this term's or next term's), a page at a time."""
    today = timezone.localdate()
    terms = [windows.term_of(today), windows.next_term(today)]
    expected = selectors.expected_inspections(terms)
    lists = [("overdue", "Overdue", expected[selectors.OVERDUE])] + [
        (key, f"{name} term {start:%Y}", expected[name])
        for key, (name, start, _) in zip(("this-term", "next-term"), terms, strict=True)
    ]
    keys = [key for key, _, _ in lists]
    chosen = request.GET.get("list")
    if chosen not in keys:
        chosen = "overdue" if lists[0][2] else "this-term"
    key, label, rows = lists[keys.index(chosen)]
    page = Paginator(rows, WINDOWS_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"lists": lists, "chosen": key, "label": label, "page": page, "query": f"list={key}", "today": today}
    return render(request, "categorisation/windows.html", context)


@permission("categorisation:welsh-steps")
def welsh_steps(request, urn: int):
    """A Welsh school's standards group (step 1), the challenge adviser's capacity to improve and its
    agreement (step 2), and the support category they give (step 3)."""
    school = get_for(request.user, School, urn=urn)
    if not school.is_welsh:
        messages.info(request, "Only schools in Wales have a standards group and a capacity to improve.")
        return redirect(school.get_absolute_url())
    year = academic_year_of(timezone.localdate())
    steps = selectors.welsh_steps(school)
    step = request.POST.get("step") if request.method == "POST" else None
    group_form = StandardsGroupForm(request.POST if step == "group" else None)
    capacity_form = CapacityForm(request.POST if step == "capacity" else None)
    try:
        if step == "group" and group_form.is_valid():
            services.record_standards_group(
                school=school, year=year, group=group_form.cleaned_data["group"], by=request.user
            )
            messages.success(request, "Standards group saved")
            return redirect("categorisation:welsh-steps", urn)
        if step == "capacity" and capacity_form.is_valid():
            services.record_capacity_judgement(school=school, year=year, by=request.user, **capacity_form.cleaned_data)
            messages.success(request, "Capacity to improve saved: it counts once an LA officer agrees it")
            return redirect("categorisation:welsh-steps", urn)
        if step == "agree" and (judgement := steps.judgement_for(year)) is not None:
            services.agree_capacity_judgement(judgement=judgement, by=request.user)
            messages.success(request, "Capacity to improve agreed")
            return redirect("categorisation:welsh-steps", urn)
    except ValidationError as exc:
        errors_to(capacity_form if step == "capacity" else group_form, exc)
    context = {
        "school": school,
        "year_label": academic_year_label(year),
        "steps": steps,
        "group": steps.group_for(year),
        "judgement": steps.judgement_for(year),
        "group_form": group_form,
        "capacity_form": capacity_form,
        "is_officer": permissions.is_officer(request.user),
        "can_judge": permissions.is_officer(request.user) or permissions.is_partner(request.user),
    }
    return render(request, "categorisation/welsh_steps.html", context)
