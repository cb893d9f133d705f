"""SCORM 1.2 and 2004 packages: validation, unpacking, manifest reading and the runtime data.

Pure functions (no database, no storage): reading `imsmanifest.xml` (defusedxml refuses a DTD and entities,
lxml walks the tree), checking that every file the manifest names is in the package, the CMI data a
commit carries, the CMI state a learner resumes with, durations, and putting the runtime's scripts into the
launch page. Services (services/scorm.py) do the zip, the storage and the database around them.
"""

import json
import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any
from urllib.parse import unquote, urlsplit

import defusedxml.ElementTree as safe_et
from defusedxml import DefusedXmlException
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from lxml import etree

from qashyq.content.data import ScormVersion

MANIFEST = "imsmanifest.xml"

NS_ADLCP_12 = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
NS_ADLCP_2004 = "http://www.adlnet.org/xsd/adlcp_v1p3"
NS_IMSCP_12 = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
NS_XML = "http://www.w3.org/XML/1998/namespace"

# The most a commit may carry (scorm-again already enforces the standard's own, smaller limits).
MAX_LOCATION = 1000
MAX_SUSPEND_DATA = 64 * 1024
MAX_SESSION_TIME = 40

MAX_MANIFEST_BYTES = 10 * 1024 * 1024

# A commit's place in the learner's history: session number × SEQUENCE_SPAN + scorm-again's commitSequence.
SEQUENCE_SPAN = 1_000_000
TOKEN_MAX_AGE = 8 * 3600  # seconds a launch stays usable: a long study session
_FILES_SALT = "qashyq.content.scorm.files"
_COMMIT_SALT = "qashyq.content.scorm.commit"


# --- Manifest ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScormResource:
    identifier: str
    type: str
    scorm_type: str  # "sco", "asset" or "" (SCORM 1.2 spells it scormtype, 2004 scormType)
    href: str  # as written, may carry a query string
    base: str  # xml:base of <resources> and <resource> joined
    files: tuple[str, ...]
    dependencies: tuple[str, ...]
    line: int

    @property
    def is_sco(self) -> bool:
        return self.scorm_type.lower() == "sco"

    @property
    def launch_path(self) -> str:
        """The package path of the resource's href (no query, no fragment, %-escapes decoded)."""
        return package_path(self.base, self.href) if self.href else ""

    def as_json(self) -> dict[str, Any]:
        return {
            "identifier": self.identifier,
            "type": self.type,
            "scorm_type": self.scorm_type,
            "href": self.href,
            "base": self.base,
            "files": list(self.files),
            "dependencies": list(self.dependencies),
        }


@dataclass(frozen=True)
class ScormItem:
    identifier: str
    title: str
    resource: str  # identifierref, "" for a grouping item
    parameters: str
    visible: bool
    children: tuple["ScormItem", ...]
    line: int

    def as_json(self) -> dict[str, Any]:
        return {
            "identifier": self.identifier,
            "title": self.title,
            "resource": self.resource,
            "parameters": self.parameters,
            "visible": self.visible,
            "items": [child.as_json() for child in self.children],
        }

    def walk(self) -> Iterable["ScormItem"]:
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class ScormOrganization:
    identifier: str
    title: str
    items: tuple[ScormItem, ...]

    def as_json(self) -> dict[str, Any]:
        return {"identifier": self.identifier, "title": self.title, "items": [i.as_json() for i in self.items]}

    def walk(self) -> Iterable[ScormItem]:
        for item in self.items:
            yield from item.walk()


@dataclass(frozen=True)
class Manifest:
    version: str  # ScormVersion
    schema_version: str
    identifier: str
    title: str
    default_organization: str
    organizations: tuple[ScormOrganization, ...]
    resources: tuple[ScormResource, ...]
    launch_item: str
    launch_resource: str
    launch: str  # the path inside the package of the first SCO of the default organization
    launch_parameters: str  # the query string to open it with ("" or "?a=b")

    def as_json(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "schema_version": self.schema_version,
            "identifier": self.identifier,
            "title": self.title,
            "default_organization": self.default_organization,
            "organizations": [o.as_json() for o in self.organizations],
            "resources": [r.as_json() for r in self.resources],
            "launch": {
                "item": self.launch_item,
                "resource": self.launch_resource,
                "path": self.launch,
                "parameters": self.launch_parameters,
            },
        }


def _refuse(message: str) -> ValidationError:
    return ValidationError(message)


def package_path(base: str, href: str) -> str:
    """The path inside the package that `href` (relative to `base`) names: no query, no fragment,
    %-escapes decoded, "./" and "a/../" folded. "" when it is an absolute URL or leaves the package."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return ""
    joined = posixpath.normpath(posixpath.join(unquote(base or ""), unquote(parts.path)))
    if joined.startswith(("../", "/")) or joined in ("..", "."):
        return ""
    return joined


def _local(tag: object) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _children(element: etree._Element, name: str) -> list[etree._Element]:
    return [child for child in element if _local(child.tag) == name]


def _child(element: etree._Element, name: str) -> etree._Element | None:
    found = _children(element, name)
    return found[0] if found else None


def _text(element: etree._Element | None) -> str:
    return " ".join("".join(element.itertext()).split()) if element is not None else ""


def _attr(element: etree._Element, name: str) -> str:
    """An attribute by local name in any namespace (adlcp:scormtype, adlcp:scormType, xml:base…)."""
    for key, value in element.attrib.items():
        if _local(key).lower() == name.lower():
            return str(value).strip()
    return ""


def _xml_base(element: etree._Element) -> str:
    return str(element.get(f"{{{NS_XML}}}base", "")).strip()


def _parse_xml(data: bytes) -> etree._Element:
    """defusedxml first (a DTD or an entity is refused outright), then lxml with every network and entity
    feature off, for the tree and its line numbers."""
    try:
        safe_et.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise _refuse(
            _("%(file)s may not contain a document type declaration (DTD) or entities.") % {"file": MANIFEST}
        ) from None
    except safe_et.ParseError as error:
        line = error.position[0] if getattr(error, "position", None) else 0
        raise _refuse(
            _("%(file)s is not well-formed XML (line %(line)s): %(error)s")
            % {"file": MANIFEST, "line": line, "error": str(error).split(":")[0]}
        ) from None
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, huge_tree=False
    )
    try:
        return etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as error:  # pragma: no cover - defusedxml refuses these first
        raise _refuse(
            _("%(file)s is not well-formed XML (line %(line)s): %(error)s")
            % {"file": MANIFEST, "line": error.lineno, "error": error.msg}
        ) from None


def detect_version(root: etree._Element) -> tuple[str, str]:
    """(ScormVersion, the schemaversion text). The schemaversion of the manifest's metadata decides;
    without one, the ADL namespaces the manifest declares."""
    metadata = _child(root, "metadata")
    schema_version = _text(_child(metadata, "schemaversion")) if metadata is not None else ""
    text = schema_version.lower()
    if text in ("1.2", "1.2.0"):
        return ScormVersion.SCORM_12, schema_version
    if text.startswith("2004") or text in ("cam 1.3", "1.3"):
        return ScormVersion.SCORM_2004, schema_version
    namespaces: set[str] = set()
    for element in root.iter():
        namespaces.update(ns for ns in (element.nsmap or {}).values() if ns)
    if NS_ADLCP_2004 in namespaces:
        return ScormVersion.SCORM_2004, schema_version
    if NS_ADLCP_12 in namespaces:
        return ScormVersion.SCORM_12, schema_version
    if schema_version:
        raise _refuse(
            _("%(file)s declares schema version “%(version)s”; only SCORM 1.2 and SCORM 2004 are supported.")
            % {"file": MANIFEST, "version": schema_version}
        )
    raise _refuse(
        _("%(file)s does not say which SCORM version it follows (no schemaversion and no ADL namespace).")
        % {"file": MANIFEST}
    )


def _items(parent: etree._Element) -> tuple[ScormItem, ...]:
    result = []
    for element in _children(parent, "item"):
        result.append(
            ScormItem(
                identifier=element.get("identifier", "").strip(),
                title=_text(_child(element, "title")),
                resource=element.get("identifierref", "").strip(),
                parameters=element.get("parameters", "").strip(),
                visible=element.get("isvisible", "true").strip().lower() != "false",
                children=_items(element),
                line=element.sourceline or 0,
            )
        )
    return tuple(result)


def parse_manifest(data: bytes) -> Manifest:
    """Read a manifest; ValidationError saying what is wrong and where (the line)."""
    root = _parse_xml(data)
    if _local(root.tag) != "manifest":
        raise _refuse(
            _("The root element of %(file)s is <%(element)s>, not <manifest>.")
            % {"file": MANIFEST, "element": _local(root.tag)}
        )
    version, schema_version = detect_version(root)

    resources_element = _child(root, "resources")
    resources: dict[str, ScormResource] = {}
    if resources_element is not None:
        base = _xml_base(root)
        resources_base = posixpath.join(base, _xml_base(resources_element)) if base else _xml_base(resources_element)
        for element in _children(resources_element, "resource"):
            identifier = element.get("identifier", "").strip()
            own_base = _xml_base(element)
            resource = ScormResource(
                identifier=identifier,
                type=element.get("type", "").strip(),
                scorm_type=_attr(element, "scormtype"),
                href=element.get("href", "").strip(),
                base=posixpath.join(resources_base, own_base) if resources_base else own_base,
                files=tuple(f.get("href", "").strip() for f in _children(element, "file") if f.get("href")),
                dependencies=tuple(
                    d.get("identifierref", "").strip()
                    for d in _children(element, "dependency")
                    if d.get("identifierref")
                ),
                line=element.sourceline or 0,
            )
            resources[identifier] = resource

    organizations_element = _child(root, "organizations")
    organizations = tuple(
        ScormOrganization(
            identifier=element.get("identifier", "").strip(),
            title=_text(_child(element, "title")),
            items=_items(element),
        )
        for element in (_children(organizations_element, "organization") if organizations_element is not None else [])
    )
    if not organizations:
        raise _refuse(_("%(file)s lists no organization (the structure of the course).") % {"file": MANIFEST})
    default_id = organizations_element.get("default", "").strip() if organizations_element is not None else ""
    default = next((o for o in organizations if o.identifier == default_id), organizations[0])

    for organization in organizations:
        for item in organization.walk():
            if item.resource and item.resource not in resources:
                raise _refuse(
                    _("%(file)s, line %(line)s: item “%(item)s” names resource “%(resource)s”, which is not listed.")
                    % {"file": MANIFEST, "line": item.line, "item": item.identifier, "resource": item.resource}
                )
    for resource in resources.values():
        for dependency in resource.dependencies:
            if dependency not in resources:
                raise _refuse(
                    _(
                        "%(file)s, line %(line)s: resource “%(resource)s” depends on “%(dependency)s”, "
                        "which is not listed."
                    )
                    % {
                        "file": MANIFEST,
                        "line": resource.line,
                        "resource": resource.identifier,
                        "dependency": dependency,
                    }
                )

    launch_item = next(
        (
            item
            for item in default.walk()
            if item.resource and resources[item.resource].is_sco and resources[item.resource].launch_path
        ),
        None,
    )
    if launch_item is None:
        raise _refuse(
            _("The organization “%(organization)s” of %(file)s has no SCO (a SCO resource with a launch file).")
            % {"organization": default.title or default.identifier, "file": MANIFEST}
        )
    resource = resources[launch_item.resource]
    query = urlsplit(resource.href).query
    parameters = launch_item.parameters.lstrip("?&")
    query_string = "&".join(part for part in (query, parameters) if part)

    return Manifest(
        version=version,
        schema_version=schema_version,
        identifier=root.get("identifier", "").strip(),
        title=default.title or root.get("identifier", "").strip(),
        default_organization=default.identifier,
        organizations=organizations,
        resources=tuple(resources.values()),
        launch_item=launch_item.identifier,
        launch_resource=resource.identifier,
        launch=resource.launch_path,
        launch_parameters=f"?{query_string}" if query_string else "",
    )


def check_files(manifest: Manifest, names: Iterable[str]) -> None:
    """Every file a resource names (its href and its <file> entries) must be in the package."""
    present = set(names)
    for resource in manifest.resources:
        for href in (resource.href, *resource.files):
            if not href or urlsplit(href).scheme or urlsplit(href).netloc:
                continue  # an external address: nothing to find in the package
            path = package_path(resource.base, href)
            if not path:
                raise _refuse(
                    _("%(file)s, line %(line)s: resource “%(resource)s” names “%(href)s”, outside the package.")
                    % {"file": MANIFEST, "line": resource.line, "resource": resource.identifier, "href": href}
                )
            if path not in present:
                raise _refuse(
                    _(
                        "%(file)s, line %(line)s: resource “%(resource)s” names the file “%(path)s”, "
                        "which is not in the package."
                    )
                    % {"file": MANIFEST, "line": resource.line, "resource": resource.identifier, "path": path}
                )


def find_manifest(names: Iterable[str]) -> str:
    """The manifest's name at the package root; a precise refusal when it is missing or in a folder."""
    names = list(names)
    if MANIFEST in names:
        return MANIFEST
    nested = sorted(n for n in names if posixpath.basename(n).lower() == MANIFEST)
    if nested:
        raise _refuse(
            _(
                "%(file)s must be at the root of the package, but it is in “%(folder)s”. Zip the contents of the "
                "folder, not the folder itself."
            )
            % {"file": MANIFEST, "folder": posixpath.dirname(nested[0]) + "/"}
        )
    raise _refuse(_("The package has no %(file)s: it is not a SCORM package.") % {"file": MANIFEST})


# --- Durations ------------------------------------------------------------------------------------------

_TIME_12 = re.compile(r"^(\d{2,4}):([0-5]\d):([0-5]\d)(\.\d{1,2})?$")
_TIME_2004 = re.compile(
    r"^P(?:(?P<y>\d+)Y)?(?:(?P<mo>\d+)M)?(?:(?P<d>\d+)D)?"
    r"(?:T(?:(?P<h>\d+)H)?(?:(?P<mi>\d+)M)?(?:(?P<s>\d+(?:\.\d{1,2})?)S)?)?$"
)


def duration_seconds(version: str, value: str) -> int | None:
    """Whole seconds of a SCORM 1.2 CMITimespan (HHHH:MM:SS.SS) or a SCORM 2004 ISO 8601 duration
    (PT1H2M3.5S); 0 for ""; None when it is neither."""
    value = (value or "").strip()
    if not value:
        return 0
    match = _TIME_12.match(value)
    if match and version == ScormVersion.SCORM_12:
        hours, minutes, seconds = (int(match.group(i)) for i in (1, 2, 3))
        return hours * 3600 + minutes * 60 + seconds
    match = _TIME_2004.match(value)
    if match and value not in ("P", "PT") and not value.endswith("T"):
        parts = {k: Decimal(v) if v else Decimal(0) for k, v in match.groupdict().items()}
        # SCORM 2004 (like scorm-again) counts a year as 365 days and a month as 30.
        total = (
            parts["y"] * 365 * 86400
            + parts["mo"] * 30 * 86400
            + parts["d"] * 86400
            + parts["h"] * 3600
            + parts["mi"] * 60
            + parts["s"]
        )
        return int(total)
    return None


def format_duration(version: str, seconds: int) -> str:
    """Total time the way each version writes it: 0001:02:03 (1.2) or PT1H2M3S (2004)."""
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if version == ScormVersion.SCORM_12:
        return f"{min(hours, 9999):04d}:{minutes:02d}:{secs:02d}"
    return f"PT{hours}H{minutes}M{secs}S"


# --- CMI data ----------------------------------------------------------------------------------------

# Ranks that make "never downgrade" a comparison: a later commit never lowers the stored status.
COMPLETION_RANK = {
    "": 0,
    "unknown": 0,
    "not attempted": 0,
    "browsed": 1,
    "incomplete": 2,
    "failed": 3,
    "completed": 4,
    "passed": 5,
}
SUCCESS_RANK = {"": 0, "unknown": 0, "failed": 1, "passed": 2}
LESSON_STATUS_12 = frozenset({"passed", "completed", "failed", "incomplete", "browsed", "not attempted"})
COMPLETION_2004 = frozenset({"completed", "incomplete", "not attempted", "unknown"})
SUCCESS_2004 = frozenset({"passed", "failed", "unknown"})
EXIT_VALUES = frozenset({"", "time-out", "suspend", "logout", "normal"})


@dataclass(frozen=True)
class CmiSummary:
    """What a commit says, in the columns of ScormRuntime."""

    completion_status: str
    success_status: str
    score_raw: Decimal | None
    score_min: Decimal | None
    score_max: Decimal | None
    score_scaled: Decimal | None
    location: str
    suspend_data: str
    session_time: str
    session_seconds: int
    exit: str
    cmi: dict[str, Any] = field(repr=False)


class CmiError(ValueError):
    """A commit whose data no SCORM runtime would send."""


def _decimal(value: object, *, places: int, limit: Decimal) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise CmiError(f"not a number: {value!r}") from None
    if not number.is_finite() or abs(number) >= limit:
        raise CmiError(f"out of range: {value!r}")
    return number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _string(value: object, *, limit: int, name: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise CmiError(f"{name} is not a string")
    if len(value) > limit:
        raise CmiError(f"{name} is longer than {limit}")
    return value


def summarize_cmi(version: str, cmi: object) -> CmiSummary:
    """The columns of ScormRuntime from the `cmi` object scorm-again commits; CmiError when malformed."""
    if not isinstance(cmi, dict):
        raise CmiError("cmi is not an object")
    score_limit = Decimal(10) ** 6
    if version == ScormVersion.SCORM_12:
        core = cmi.get("core") or {}
        if not isinstance(core, dict):
            raise CmiError("cmi.core is not an object")
        score = core.get("score") or {}
        status = _string(core.get("lesson_status"), limit=30, name="lesson_status").strip()
        if status and status not in LESSON_STATUS_12:
            raise CmiError(f"unknown lesson_status {status!r}")
        completion, success = status, status if status in ("passed", "failed") else ""
        location = _string(core.get("lesson_location"), limit=MAX_LOCATION, name="lesson_location")
        session_time = _string(core.get("session_time"), limit=MAX_SESSION_TIME, name="session_time").strip()
        exit_value = _string(core.get("exit"), limit=20, name="exit").strip()
        scaled = None
    else:
        score = cmi.get("score") or {}
        completion = _string(cmi.get("completion_status"), limit=30, name="completion_status").strip()
        success = _string(cmi.get("success_status"), limit=30, name="success_status").strip()
        if completion and completion not in COMPLETION_2004:
            raise CmiError(f"unknown completion_status {completion!r}")
        if success and success not in SUCCESS_2004:
            raise CmiError(f"unknown success_status {success!r}")
        location = _string(cmi.get("location"), limit=MAX_LOCATION, name="location")
        session_time = _string(cmi.get("session_time"), limit=MAX_SESSION_TIME, name="session_time").strip()
        exit_value = _string(cmi.get("exit"), limit=20, name="exit").strip()
        if not isinstance(score, dict):
            raise CmiError("cmi.score is not an object")
        scaled = _decimal(score.get("scaled"), places=5, limit=Decimal(2))
        if scaled is not None and not Decimal(-1) <= scaled <= Decimal(1):
            raise CmiError("score.scaled outside -1..1")
    if not isinstance(score, dict):
        raise CmiError("score is not an object")
    if exit_value not in EXIT_VALUES:
        raise CmiError(f"unknown exit {exit_value!r}")
    seconds = duration_seconds(version, session_time)
    if seconds is None:
        raise CmiError(f"session_time {session_time!r} is not a duration")
    return CmiSummary(
        completion_status=completion,
        success_status=success,
        score_raw=_decimal(score.get("raw"), places=3, limit=score_limit),
        score_min=_decimal(score.get("min"), places=3, limit=score_limit),
        score_max=_decimal(score.get("max"), places=3, limit=score_limit),
        score_scaled=scaled,
        location=location,
        suspend_data=_string(cmi.get("suspend_data"), limit=MAX_SUSPEND_DATA, name="suspend_data"),
        session_time=session_time,
        session_seconds=seconds,
        exit=exit_value,
        cmi=cmi,
    )


def better_status(old: str, new: str, ranks: dict[str, int]) -> str:
    """Never downgrade: the new status unless it ranks below the old one."""
    return new if ranks.get(new, 0) >= ranks.get(old, 0) else old


def is_complete(completion_status: str, success_status: str) -> bool:
    """Completed for course progress: 1.2 "completed"/"passed", 2004 completion "completed" or success "passed"."""
    return completion_status in ("completed", "passed") or success_status == "passed"


def score_percent(
    *, raw: Decimal | None, minimum: Decimal | None, maximum: Decimal | None, scaled: Decimal | None
) -> Decimal | None:
    """The score as a percentage (0–100, two places): scaled × 100 when the SCO reports it (2004), else raw
    placed between min and max (max defaults to 100 as in SCORM 1.2), else None."""
    if scaled is not None:
        value = scaled * 100
    elif raw is None:
        return None
    else:
        low = minimum if minimum is not None else Decimal(0)
        high = maximum if maximum is not None else Decimal(100)
        value = (raw - low) * 100 / (high - low) if high > low else raw
    return max(Decimal(-100), min(Decimal(100), value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class ResumeState:
    """What the learner resumes with (the stored ScormRuntime, or nothing for a first attempt or a preview)."""

    completion_status: str = ""
    success_status: str = ""
    score_raw: Decimal | None = None
    score_min: Decimal | None = None
    score_max: Decimal | None = None
    score_scaled: Decimal | None = None
    location: str = ""
    suspend_data: str = ""
    total_seconds: int = 0
    exit: str = ""
    started: bool = False  # a commit was stored before


def _score_json(state: ResumeState, *, scaled: bool) -> dict[str, str]:
    values = {"raw": state.score_raw, "min": state.score_min, "max": state.score_max}
    if scaled:
        values["scaled"] = state.score_scaled
    return {k: _plain(v) for k, v in values.items() if v is not None}


def _plain(number: Decimal) -> str:
    return format(number.normalize(), "f")


def initial_cmi(version: str, *, learner_id: str, learner_name: str, state: ResumeState) -> dict[str, Any]:
    """The CMI object scorm-again's loadFromJSON receives before the SCO calls Initialize: the learner,
    and on resume the stored status, score, location, suspend data and total time, entry = "resume"."""
    resume = state.started and bool(state.suspend_data or state.location or state.exit == "suspend")
    entry = "resume" if resume else ("" if state.started else "ab-initio")
    if version == ScormVersion.SCORM_12:
        core: dict[str, Any] = {
            "student_id": learner_id,
            "student_name": learner_name,
            "entry": entry,
            "credit": "credit",
            "lesson_mode": "normal",
            "lesson_location": state.location,
            "total_time": format_duration(version, state.total_seconds),
        }
        if state.completion_status:
            core["lesson_status"] = state.completion_status
        score = _score_json(state, scaled=False)
        if score:
            core["score"] = score
        return {"core": core, "suspend_data": state.suspend_data}
    cmi: dict[str, Any] = {
        "learner_id": learner_id,
        "learner_name": learner_name,
        "entry": entry,
        "credit": "credit",
        "mode": "normal",
        "location": state.location,
        "suspend_data": state.suspend_data,
        "total_time": format_duration(version, state.total_seconds),
    }
    if state.completion_status:
        cmi["completion_status"] = state.completion_status
    if state.success_status:
        cmi["success_status"] = state.success_status
    score = _score_json(state, scaled=True)
    if score:
        cmi["score"] = score
    return cmi


# --- The launch page ---------------------------------------------------------------------------------

_HEAD = re.compile(rb"<head(?:\s[^>]*)?>", re.IGNORECASE)
_HTML = re.compile(rb"<html(?:\s[^>]*)?>", re.IGNORECASE)
_META_CHARSET = re.compile(rb"<meta\s[^>]*charset[^>]*>", re.IGNORECASE)
_DOCTYPE = re.compile(rb"^\s*(?:\xef\xbb\xbf)?\s*<!doctype[^>]*>", re.IGNORECASE)


def inject_into_head(html: bytes, snippet: bytes) -> bytes:
    """`snippet` placed at the start of <head>, so that it runs before the page's own scripts; after a
    <meta charset> that opens the head (the browser must still find it in the first 1024 bytes)."""
    head = _HEAD.search(html)
    if head:
        at = head.end()
        meta = _META_CHARSET.search(html, at, at + 1024)
        if meta and not re.search(rb"<script", html[at : meta.start()], re.IGNORECASE):
            at = meta.end()
    else:
        opening = _HTML.search(html) or _DOCTYPE.search(html)
        at = opening.end() if opening else 0
    return html[:at] + snippet + html[at:]


def runtime_config_json(config: dict[str, Any]) -> str:
    return json.dumps(config, ensure_ascii=True, separators=(",", ":"))


# --- Tokens ------------------------------------------------------------------------------------------------
# The package's files are served under a signed, expiring token instead of the session cookie: the content
# runs in a sandboxed frame with an opaque origin that sends no cookies, and the token names exactly what
# the learner may fetch and where their runtime commits.


@dataclass(frozen=True)
class LaunchTicket:
    """Who opened which package of which item: the files token."""

    item_id: int
    package_id: int
    enrolment_id: int | None  # None: a preview by staff, nothing is stored
    user_id: int


@dataclass(frozen=True)
class CommitTicket:
    """One session of a learner in a SCO: the commit token, made when the launch page of the SCO is served."""

    item_id: int
    package_id: int
    enrolment_id: int | None
    user_id: int
    version: str
    session: int  # the number of this session (stored sessions + 1)
    base_seconds: int  # the total time stored when the session began
    progress: str  # progress_key() of what course progress showed when the session began


def progress_key(*, complete: bool, score: Decimal | None) -> str:
    return f"{int(complete)}|{'' if score is None else score}"


def launch_token(ticket: LaunchTicket) -> str:
    payload = [ticket.item_id, ticket.package_id, ticket.enrolment_id, ticket.user_id]
    return signing.dumps(payload, salt=_FILES_SALT, compress=True)


def read_launch_token(token: str, *, max_age: int = TOKEN_MAX_AGE) -> LaunchTicket | None:
    """The ticket of a valid token; None when it was forged, altered or has expired."""
    try:
        item_id, package_id, enrolment_id, user_id = signing.loads(token, salt=_FILES_SALT, max_age=max_age)
        return LaunchTicket(
            int(item_id), int(package_id), None if enrolment_id is None else int(enrolment_id), int(user_id)
        )
    except (signing.BadSignature, ValueError, TypeError):
        return None


def commit_token(ticket: CommitTicket) -> str:
    payload = [
        ticket.item_id,
        ticket.package_id,
        ticket.enrolment_id,
        ticket.user_id,
        ticket.version,
        ticket.session,
        ticket.base_seconds,
        ticket.progress,
    ]
    return signing.dumps(payload, salt=_COMMIT_SALT, compress=True)


def read_commit_token(token: str, *, max_age: int = TOKEN_MAX_AGE) -> CommitTicket | None:
    try:
        item_id, package_id, enrolment_id, user_id, version, session, base, progress = signing.loads(
            token, salt=_COMMIT_SALT, max_age=max_age
        )
        return CommitTicket(
            item_id=int(item_id),
            package_id=int(package_id),
            enrolment_id=None if enrolment_id is None else int(enrolment_id),
            user_id=int(user_id),
            version=str(version),
            session=int(session),
            base_seconds=int(base),
            progress=str(progress),
        )
    except (signing.BadSignature, ValueError, TypeError):
        return None
