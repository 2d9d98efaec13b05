"""Get Information about Schools (GIAS) downloads: establishments, links, groups, group links,
and the DfE local authority and region code list."""

from __future__ import annotations

from schools.importers.base import (
    URN,
    Column,
    Prepared,
    ReadResult,
    RowError,
    a_date,
    decimal,
    duplicate_errors,
    integer,
    required_value_errors,
    text,
)

ESTABLISHMENT_COLUMNS = [
    Column("URN", "urn", URN, required=True, key=True),
    # 0 is "Does not apply": British schools overseas, out of the portal's scope.
    Column("LA (code)", "la_code", integer(0, 999), required=True, key=True),
    Column("LA (name)", "la_name", text(100)),
    Column("EstablishmentNumber", "establishment_number", integer(0, 9999)),
    Column("EstablishmentName", "name", text(255), required=True),
    Column("TypeOfEstablishment (code)", "type_code", text(10)),
    Column("TypeOfEstablishment (name)", "type_name", text(100)),
    Column("EstablishmentTypeGroup (code)", "type_group_code", text(10)),
    Column("EstablishmentTypeGroup (name)", "type_group_name", text(100)),
    Column("EstablishmentStatus (code)", "status_code", text(10)),
    Column("EstablishmentStatus (name)", "status_name", text(60)),
    Column("ReasonEstablishmentOpened (name)", "reason_opened", text(100)),
    Column("OpenDate", "open_date", a_date),
    Column("ReasonEstablishmentClosed (name)", "reason_closed", text(100)),
    Column("CloseDate", "close_date", a_date),
    Column("PhaseOfEducation (code)", "phase_code", text(10)),
    Column("PhaseOfEducation (name)", "phase_name", text(60)),
    Column("StatutoryLowAge", "statutory_low_age", integer(0, 25)),
    Column("StatutoryHighAge", "statutory_high_age", integer(0, 99)),
    Column("Gender (name)", "gender", text(20)),
    Column("ReligiousCharacter (name)", "religious_character", text(100)),
    Column("Diocese (code)", "diocese_code", text(10)),
    Column("Diocese (name)", "diocese_name", text(100)),
    Column("AdmissionsPolicy (name)", "admissions_policy", text(60)),
    Column("SchoolCapacity", "capacity", integer(0, 100000)),
    Column("CensusDate", "census_date", a_date),
    Column("NumberOfPupils", "pupils_on_roll", integer(0, 100000)),
    Column("PercentageFSM", "percentage_fsm", decimal(1, 0, 100)),
    Column("Trusts (code)", "trust_uid", integer(1, 2**31 - 1)),
    Column("Trusts (name)", "trust_name", text(255)),
    Column("SchoolSponsors (name)", "sponsor_name", text(255)),
    Column("Federations (code)", "federation_uid", integer(1, 2**31 - 1)),
    Column("Federations (name)", "federation_name", text(255)),
    Column("UKPRN", "ukprn", text(20)),
    Column("LastChangedDate", "last_changed_date", a_date),
    Column("Street", "street", text(200)),
    Column("Locality", "locality", text(200)),
    Column("Address3", "address3", text(200)),
    Column("Town", "town", text(100)),
    Column("County (name)", "county", text(100)),
    Column("Postcode", "postcode", text(20)),
    Column("SchoolWebsite", "website", text(255)),
    Column("TelephoneNum", "telephone", text(40)),
    Column("HeadTitle (name)", "head_title", text(20)),
    Column("HeadFirstName", "head_first_name", text(100)),
    Column("HeadLastName", "head_last_name", text(100)),
    Column("HeadPreferredJobTitle", "head_job_title", text(100)),
    Column("GOR (name)", "region_name", text(60)),
]

# Fields of School that come straight from a column (the rest are resolved by the service).
RESOLVED_FIELDS = {"la_code", "la_name", "trust_uid", "trust_name", "federation_uid", "federation_name"}


# Establishments in the register that are not schools an authority supports: skipped, each
# with its reason. By type (the register's name for it) and by type group.
OUT_OF_SCOPE_TYPES = {
    "children's centre": "Children's centre (not a school)",
    "children's centre linked site": "Children's centre (not a school)",
    "higher education institutions": "Higher education institution (not a school)",
    "further education": "Further education college (not a school)",
    "miscellaneous": "Miscellaneous establishment (not a school)",
    "british schools overseas": "British school overseas (no local authority)",
    "offshore schools": "Offshore school (no local authority)",
    "online provider": "Online education provider (not a school)",
    "institution funded by other government department": "Institution funded by another government department",
    "service children's education": "Service children's education school (overseas)",
}
OUT_OF_SCOPE_GROUPS = {
    "children's centres": "Children's centre (not a school)",
    "universities": "Higher education institution (not a school)",
    "colleges": "Further education college (not a school)",
}
NO_LA = 'Outside every local authority (LA code 0, "Does not apply")'


def out_of_scope(row: dict) -> str:
    """Why a register row is not a school the portal covers; "" if it is one."""
    if row.get("la_code") == 0 or (row.get("la_name") or "").lower() == "does not apply":
        return OUT_OF_SCOPE_TYPES.get((row.get("type_name") or "").lower(), NO_LA)
    reason = OUT_OF_SCOPE_TYPES.get((row.get("type_name") or "").lower())
    return reason or OUT_OF_SCOPE_GROUPS.get((row.get("type_group_name") or "").lower(), "")


def prepare_establishments(result: ReadResult) -> Prepared:
    result.errors.extend(required_value_errors(result.rows, {"urn": "URN", "la_code": "LA (code)"}, result.errors))
    result.errors.extend(duplicate_errors(result.rows, "urn", "URN"))
    prepared = Prepared()
    for row in result.rows:
        if row.get("urn") is None or row.get("la_code") is None:
            continue  # an error already says why
        reason = out_of_scope(row)
        if reason:
            prepared.skip(row, reason, urn=row["urn"], name=row.get("name") or "", la=row.get("la_name") or "")
            continue
        if not row.get("name"):
            # A new school cannot be added without a name; a known one keeps the name it has.
            row.pop("name", None)
        estab = row.get("establishment_number")
        row["laestab"] = row["la_code"] * 10000 + estab if estab is not None else None
        prepared.records.append(row)
    return prepared


LINK_COLUMNS = [
    Column("URN", "urn", URN, required=True, key=True),
    Column("LinkURN", "linked_urn", URN, required=True, key=True),
    Column("LinkName", "linked_name", text(255)),
    Column("LinkType", "link_type", text(120), required=True),
    Column("LinkEstablishedDate", "established_on", a_date),
]


def prepare_links(result: ReadResult) -> Prepared:
    result.errors.extend(required_value_errors(result.rows, {"urn": "URN", "linked_urn": "LinkURN"}, result.errors))
    result.errors.extend(duplicate_errors(result.rows, ("urn", "link_type", "linked_urn"), "LinkURN"))
    return Prepared(records=result.rows)


GROUP_COLUMNS = [
    Column("Group UID", "uid", integer(1, 2**31 - 1), required=True, key=True),
    Column("Group ID", "group_id", text(100)),
    Column("Group Name", "name", text(255), required=True),
    Column("Companies House Number", "companies_house_number", text(20)),
    Column("Group Type (code)", "type_code", text(10)),
    Column("Group Type", "type_name", text(100), required=True),
    Column("Closed Date", "closed_date", a_date),
    Column("Open date", "open_date", a_date),
    Column("Incorporated on (open date)", "incorporated_on", a_date),
    Column("Group Status", "status", text(40)),
    Column("Group Town", "town", text(100)),
    Column("Group Postcode", "postcode", text(20)),
    Column("Head of Group Title", "head_title", text(40)),
    Column("Head of Group First Name", "head_first_name", text(100)),
    Column("Head of Group Last Name", "head_last_name", text(100)),
    Column("UKPRN", "ukprn", text(20)),
]

_NOT_RECORDED = {"Not recorded", "Not applicable"}
HEAD_OF_GROUP_LENGTH = 200  # SchoolGroup.head_of_group


def prepare_groups(result: ReadResult) -> Prepared:
    result.errors.extend(required_value_errors(result.rows, {"uid": "Group UID"}, result.errors))
    result.errors.extend(duplicate_errors(result.rows, "uid", "Group UID"))
    for row in result.rows:
        parts = [row.pop(f, "") for f in ("head_title", "head_first_name", "head_last_name")]
        if "head_title" in result.fields_present or parts != ["", "", ""]:
            row["head_of_group"] = " ".join(p for p in parts if p and p not in _NOT_RECORDED)
            if len(row["head_of_group"]) > HEAD_OF_GROUP_LENGTH:
                reason = (
                    f"makes the head of group's name longer than {HEAD_OF_GROUP_LENGTH} characters, "
                    "so the name was not imported"
                )
                result.warnings.append(RowError(row["_line"], "Head of Group Last Name", parts[2], reason))
                row["head_of_group"] = ""
    return Prepared(records=result.rows)


GROUP_LINK_COLUMNS = [
    Column("URN", "urn", URN, required=True, key=True),
    Column("Group UID", "uid", integer(1, 2**31 - 1), required=True, key=True),
    Column("Group ID", "group_id", text(100)),
    Column("Group Name", "name", text(255), required=True),
    Column("Companies House Number", "companies_house_number", text(20)),
    Column("Group Type (code)", "type_code", text(10)),
    Column("Group Type", "type_name", text(100), required=True),
    Column("Closed Date", "closed_date", a_date),
    Column("Open date", "open_date", a_date),
    Column("Incorporated on (open date)", "incorporated_on", a_date),
    Column("Group Status", "status", text(40)),
    Column("Joined date", "joined_date", a_date),
]
GROUP_FIELDS_IN_LINKS = [
    "group_id",
    "name",
    "companies_house_number",
    "type_code",
    "type_name",
    "closed_date",
    "open_date",
    "incorporated_on",
    "status",
]


def prepare_group_links(result: ReadResult) -> Prepared:
    result.errors.extend(required_value_errors(result.rows, {"urn": "URN", "uid": "Group UID"}, result.errors))
    result.errors.extend(duplicate_errors(result.rows, ("urn", "uid"), "Group UID"))
    return Prepared(records=result.rows)


LA_COLUMNS = [
    Column("LEA", "code", integer(100, 999), required=True, key=True),
    Column("LA Name", "name", text(100), required=True),
    Column("REGION", "region_code", text(10)),
    Column("REGION NAME", "region_name", text(100)),
]


def prepare_local_authorities(result: ReadResult) -> Prepared:
    result.errors.extend(required_value_errors(result.rows, {"code": "LEA"}, result.errors))
    result.errors.extend(duplicate_errors(result.rows, "code", "LEA"))
    return Prepared(records=result.rows)
