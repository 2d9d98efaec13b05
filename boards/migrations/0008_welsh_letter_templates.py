"""The Welsh wording of the four letters, for the authorities in Wales (issue 21).

MACHINE-DRAFTED: every subject and letter below was drafted by machine translation of the English
templates (boards/migrations/0002_letter_templates.py) and has not yet been read by a Welsh speaker.
An authority's Welsh-speaking officer must review its copy (Board > Letter templates) before the
first Welsh letter is sent.

The terms reuse those of published Welsh texts rather than fresh coinages:
- "ysgol a gynhelir" (maintained school), "corff llywodraethu" (governing body), "pennaeth"
  (headteacher) and "hysbysiad rhybuddio" (warning notice): the Welsh text of the School Standards
  and Organisation (Wales) Act 2013, section 3 (legislation.gov.uk/anaw/2013/1, Welsh version);
- "cymorth gwella ysgolion", "categori cymorth" and "categoreiddio": GwE's "Categoreiddio
  Cenedlaethol" page (gwegogledd.cymru/categoreiddio-cenedlaethol) and Consortiwm Canolbarth y De's
  Welsh statement of 20 October 2017 (cscjes.org.uk);
- "Annwyl" and "Yn gywir" as the salutation and the close of a formal letter, as Welsh councils'
  letters to schools and parents use them.
"Partner blaenoriaeth" (priority partner) renders the portal's own role name: the consortia call
the role "ymgynghorydd her" (Central South, 2017) or "Ymgynghorydd Cefnogi Gwelliant" (GwE); an
authority may change its copy to its own term.

Only templates of authorities in Wales get Welsh text (those there now, here; a new one through
``boards.services.give_letter_templates``), and only where they have none: an officer's wording is
never overwritten. An authority in England's templates are unchanged.
"""

from django.db import migrations

from accounts.authorities import current_authority_id

_CLOSE = """Yn gywir,

Tîm gwella ysgolion
{la_name}"""

TEMPLATES = {
    "priority": (
        "{school_name}: ysgol â blaenoriaeth ar gyfer cymorth gwella ysgolion yn {academic_year}",
        """Annwyl {headteacher} a chadeirydd y llywodraethwyr,

Rwy'n ysgrifennu i gadarnhau bod {school_name} (URN {urn}) yn ysgol â blaenoriaeth ar gyfer cymorth gwella ysgolion yn {academic_year}.

Y rheswm: {reason}

Rhesymeg y bwrdd ymgynghorol: {rationale}

Eich partner blaenoriaeth enwebedig yw {partner}, a fydd yn cysylltu â chi i gytuno ar gynllun gweithredu erbyn hanner tymor mis Hydref. Rhannwch y llythyr hwn â'ch uwch dîm arwain a'ch corff llywodraethu.

"""
        + _CLOSE,
    ),
    "not_priority": (
        "{school_name}: cymorth gwella ysgolion yn {academic_year}",
        """Annwyl {headteacher} a chadeirydd y llywodraethwyr,

Yn dilyn adolygiad eleni o bob ysgol a gynhelir, nid yw {school_name} (URN {urn}) yn flaenoriaeth ar gyfer cymorth gwella ysgolion yn {academic_year}.

Os ydych o'r farn y dylai'r ysgol fod yn flaenoriaeth, neu os hoffech drafod cymorth arall, rhowch wybod i ni; gallwch hefyd atgyfeirio'r ysgol drwy'r porth.

"""
        + _CLOSE,
    ),
    "removed": (
        "{school_name}: tynnu oddi ar y rhestr flaenoriaeth",
        """Annwyl {headteacher} a chadeirydd y llywodraethwyr,

Mae'r bwrdd ymgynghorol wedi penderfynu y bydd {school_name} (URN {urn}) yn gadael y rhestr o ysgolion sy'n cael cymorth blaenoriaeth.

Rhesymeg y bwrdd: {rationale}

Diolch am eich gwaith gyda {partner} eleni. Mae croeso i'r ysgol barhau i ddefnyddio ein gwasanaethau ehangach.

"""
        + _CLOSE,
    ),
    "concern": (
        "{school_name}: llythyr pryder",
        """Annwyl {headteacher} a chadeirydd y llywodraethwyr,

Adolygodd y bwrdd ymgynghorol {school_name} (URN {urn}) yn ei gyfarfod ar {meeting_date} ac mae'n pryderu am ymgysylltiad yr ysgol â gwella ysgolion, neu am ei chynnydd.

Pryder y bwrdd: {rationale}

Trefnwch gyfarfod â'ch partner blaenoriaeth, {partner}, o fewn y pedair wythnos nesaf i gytuno sut y bydd y cynllun gweithredu yn dychwelyd i'r trywydd iawn, a rhannwch y llythyr hwn â'ch corff llywodraethu.

"""
        + _CLOSE,
    ),
}


def create(apps, schema_editor):
    """Welsh text for the templates of authorities in Wales that have none. Run by the migration,
    for every such authority; run for a new authority (``copy_as_shipped``, in its scope), for it."""
    templates = apps.get_model("boards", "LetterTemplate")._base_manager.filter(
        authority__nation="wales", subject_cy="", body_cy=""
    )
    authority = current_authority_id()
    if authority is not None:
        templates = templates.filter(authority_id=authority)
    for kind, (subject, body) in TEMPLATES.items():
        templates.filter(kind=kind).update(subject_cy=subject, body_cy=body)


def remove(apps, schema_editor):
    apps.get_model("boards", "LetterTemplate")._base_manager.update(subject_cy="", body_cy="")


class Migration(migrations.Migration):
    dependencies = [("boards", "0007_letters_in_welsh")]

    operations = [migrations.RunPython(create, remove)]
