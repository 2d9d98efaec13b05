"""What the data migrations that ship a built-in framework as a new version share (0012, 0014).

Not a migration (Django skips modules whose name starts with ``_``): plain functions over the
historical models ``apps`` gives, so a migration that calls them still writes the data it wrote
when it was made. 0010 keeps its own copy of these loops: it has run everywhere and is not edited.
"""

import importlib
from collections.abc import Callable

from accounts.authorities import current_authority_id, working_in

written = importlib.import_module("categorisation.migrations.0010_frameworks_as_written")

TRIGGER_FIELDS = ("label", "kind", "params", "severity", "passage")


def in_each_authority(apps, ship: Callable[[object, int], None]) -> None:
    """``ship`` for every authority, or (called by ``accounts.authorities.copy_as_shipped`` for a
    new authority, inside it) for the current authority only."""
    Authority = apps.get_model("accounts", "Authority")
    current = current_authority_id()
    for pk in [current] if current else Authority.objects.order_by("pk").values_list("pk", flat=True):
        with working_in(pk):
            ship(apps, pk)


def fill(apps, version, spec: dict, triggers: dict) -> None:
    """The version's categories and mapping rules as 0010 makes them, and its triggers, in the
    spec's order, from the migration's own ``triggers`` (code: label, kind, params, severity, passage)."""
    TriggerDefinition = apps.get_model("categorisation", "TriggerDefinition")
    written._fill(apps, version, {**spec, "triggers": []})
    TriggerDefinition.objects.bulk_create(
        TriggerDefinition(version=version, code=code, order=order, **dict(zip(TRIGGER_FIELDS, triggers[code])))
        for order, code in enumerate(spec["triggers"])
    )


def ship_version(
    apps, authority_id: int, spec: dict, *, notes: str, triggers: dict, replaces: frozenset[str] = frozenset()
) -> None:
    """A new version of the authority's framework ``spec["code"]`` (the framework made first from
    ``spec["new"]`` where the spec has it and the authority has none), once: made active where no
    version is in use or the one in use has notes in ``replaces`` (the old one is retired, its
    assessments kept); otherwise a draft to review, unless the authority has a draft already."""
    Framework = apps.get_model("categorisation", "Framework")
    FrameworkVersion = apps.get_model("categorisation", "FrameworkVersion")
    framework = Framework.objects.filter(authority_id=authority_id, code=spec["code"]).first()
    if framework is None and "new" in spec:
        framework = Framework.objects.create(authority_id=authority_id, code=spec["code"], **spec["new"])
    if framework is None or FrameworkVersion.objects.filter(framework=framework, notes=notes).exists():
        return
    versions = FrameworkVersion.objects.filter(framework=framework)
    active = versions.filter(status="active").first()
    if active is None or active.notes in replaces:
        status = "active"
        versions.filter(status="active").update(status="retired")
    elif versions.filter(status="draft").exists():
        return  # the authority is changing the framework: it adopts this or not through its own draft
    else:
        status = "draft"
    version = FrameworkVersion.objects.create(
        framework=framework,
        number=max([0, *versions.values_list("number", flat=True)]) + 1,
        status=status,
        notes=notes,
        default_category=spec["default"],
        matrix=spec["matrix"],
        based_on=active,
    )
    fill(apps, version, spec, triggers)
