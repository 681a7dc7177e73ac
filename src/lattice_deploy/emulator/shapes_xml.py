"""A served XML body (the ``query``, ``ec2`` and ``rest-xml`` protocols) checked against botocore's
output shape, as :mod:`.shapes` checks a JSON one.

Why its own reading: botocore's XML parsers drop every element they do not know and turn what
they cannot read into text, so a parsed reply cannot show an extra member or a number that is not
one. This reads the document element by element along the shape, into the value a JSON body
would hold (numbers, booleans, timestamps as epoch seconds), keeping an element the shape lacks
under its own name, and hands that to :func:`.shapes.check_value`: one set of rules for both.

Where the members are: ``query`` wraps them in ``<{Operation}Result>`` (the output shape's
``resultWrapper``) inside ``<{Operation}Response>``; ``ec2`` puts them in ``<{Operation}Response>``
beside ``requestId``; ``rest-xml`` makes the body the output shape itself (or its payload member).
Lists are ``<member>`` items (``ec2``: ``<item>``, or the list member's ``locationName``) unless
``flattened``; maps are ``<entry><key/><value/></entry>`` (AWS Query protocol, botocore's
``parsers.py``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast
from xml.etree import ElementTree  # nosec B405: the emulator's own replies, never a stranger's

from botocore.model import ListShape, MapShape, OperationModel, Shape, StructureShape

from .shapes import Violation, check_value

XML_PROTOCOLS = {"query", "ec2", "rest-xml"}
ENVELOPE = {"ResponseMetadata", "requestId", "RequestId"}
"""What each protocol's reply carries besides the output's members."""
UNREADABLE = "<unreadable>"


def _tag(element: ElementTree.Element) -> str:
    return element.tag.rsplit("}", 1)[-1]  # without the namespace


def _name(shape: Shape, default: str) -> str:
    return str(shape.serialization.get("name", default))


def _scalar(shape: Shape, text: str) -> Any:
    """The element's text as JSON would hold it; :data:`UNREADABLE` marks what cannot be."""
    kind = shape.type_name
    try:
        if kind in ("integer", "long"):
            return int(text)
        if kind in ("double", "float"):
            return float(text)
    except ValueError:
        return f"{UNREADABLE} {text!r}"
    if kind == "boolean":
        return {"true": True, "false": False}.get(text, f"{UNREADABLE} {text!r}")
    if kind == "timestamp" and "timestampFormat" in shape.serialization:
        return text  # the shape's own format, checked as such
    if kind == "timestamp":  # XML protocols send ISO 8601 unless the shape says otherwise
        try:
            return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
        except ValueError:
            return f"{UNREADABLE} {text!r}"
    return text


def _items(shape: ListShape, element: ElementTree.Element, protocol: str) -> list[Any]:
    wanted = _name(shape.member, "item" if protocol == "ec2" else "member")
    return [
        value(shape.member, child, protocol) if _tag(child) == wanted else {_tag(child): "?"}
        for child in element
    ]


def _entries(shape: MapShape, entries: list[ElementTree.Element], protocol: str) -> dict[str, Any]:
    key_name, value_name = _name(shape.key, "key"), _name(shape.value, "value")
    found: dict[str, Any] = {}
    for entry in entries:
        parts = {_tag(child): child for child in entry}
        key = parts.get(key_name)
        if key is not None:
            item = parts.get(value_name)
            found[key.text or ""] = None if item is None else value(shape.value, item, protocol)
    return found


def value(shape: Shape, element: ElementTree.Element, protocol: str) -> Any:
    """``element`` read as ``shape``: the value a JSON body would hold for it."""
    kind = shape.type_name
    if kind == "structure":
        return _structure(cast(StructureShape, shape), list(element), protocol)
    if kind == "list":
        return _items(cast(ListShape, shape), element, protocol)
    if kind == "map":
        return _entries(cast(MapShape, shape), list(element), protocol)
    if element.text is None:
        return None  # an empty element: absent, as a JSON null is
    return _scalar(shape, element.text)


def _structure(
    shape: StructureShape, children: list[ElementTree.Element], protocol: str
) -> dict[str, Any]:
    members = {
        _name(member, name): member
        for name, member in shape.members.items()
        if "location" not in member.serialization
    }
    found: dict[str, Any] = {}
    grouped: dict[str, list[ElementTree.Element]] = {}
    for child in children:
        grouped.setdefault(_tag(child), []).append(child)
    for tag, elements in grouped.items():
        member = members.get(tag)
        if member is None:
            found[tag] = elements[0].text or "?"  # not a member: check_value names it
        elif member.serialization.get("flattened") and member.type_name == "list":
            item = cast(ListShape, member).member
            found[tag] = [value(item, e, protocol) for e in elements]
        elif member.serialization.get("flattened") and member.type_name == "map":
            found[tag] = _entries(cast(MapShape, member), elements, protocol)
        else:
            found[tag] = value(member, elements[0], protocol)
            if len(elements) > 1:
                found[f"{tag} (x{len(elements)})"] = "repeated"
    return found


def _members(operation: OperationModel, root: ElementTree.Element) -> list[ElementTree.Element]:
    protocol = operation.service_model.protocol
    output = operation.output_shape
    if protocol == "query":
        wrapper = output.serialization.get("resultWrapper") if output else None
        result = next((c for c in root if _tag(c) == wrapper), None)
        return [] if result is None else list(result)
    if protocol == "ec2":
        return [c for c in root if _tag(c) not in ENVELOPE]
    return list(root)


def check_xml_response(
    operation: OperationModel, status: int, body: str | bytes
) -> list[Violation]:
    """What is wrong with ``body``, served with ``status`` as ``operation``'s success reply."""
    protocol = operation.service_model.protocol
    output = operation.output_shape
    if protocol not in XML_PROTOCOLS or status >= 300 or output is None or not body:
        return []
    payload = output.serialization.get("payload")
    shape = output.members[payload] if payload else output
    if shape.type_name != "structure" or shape.serialization.get("eventstream"):
        return []  # a blob or stream payload: bytes, not XML
    try:
        root = ElementTree.fromstring(body)  # nosec B314: our own reply
    except ElementTree.ParseError as exc:
        return [Violation(operation.name, "$", f"not XML: {exc}")]
    document = _structure(cast(StructureShape, shape), _members(operation, root), protocol)
    problems = check_value(shape, document)
    return [
        Violation(operation.name, path, problem.replace(f"'{UNREADABLE} ", "unreadable '"))
        for path, problem in problems
    ]
