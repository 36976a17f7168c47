"""Templates as JSON files, so that programs can share instruments.

The file is the template's definition (see `assessments.definition`) wrapped with
its name, description and stated maximum, plus each question's links:

    {"format": "qi-gap-analysis", "format_version": 1,
     "name": "...", "description": "...", "max_points": 100,
     "sections": [{"key": "A", "title": "...", "questions": [
         {"key": "A1", "text": "...", "type": "yes_no", "points": 7,
          "links": [{"kind": "resource", "title": "...", "url": "https://..."}]}]}]}

`parse_template_file` checks everything before anything is saved and returns
every problem at once; the import service then writes it as a new draft.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

from .definition import Problem, normalise_definition, plain_number, to_decimal

FORMAT = "qi-gap-analysis"
FORMAT_VERSION = 1
MAX_FILE_BYTES = 1_000_000
MAX_LINKS_PER_QUESTION = 20
#: The longest description and link title a file may carry (the builder's limits);
#: longer ones are reported, never cut.
MAX_DESCRIPTION = 5000
MAX_LINK_TITLE = 200
LINK_KINDS = ("resource", "change_idea")


@dataclass
class LinkSpec:
    question_key: str
    kind: str
    title: str
    url: str


@dataclass
class ParsedTemplate:
    name: str
    description: str
    max_points: Decimal
    definition: dict
    links: list[LinkSpec] = field(default_factory=list)


def export_document(
    *,
    name: str,
    description: str,
    max_points: Decimal,
    definition: dict,
    links: dict[str, list[Any]],
    version: int | None = None,
    status: str = "",
) -> dict:
    """The shareable JSON document of a template version (links as title and URL)."""
    sections = []
    for section in definition.get("sections", []):
        questions = []
        for question in section["questions"]:
            item = {k: v for k, v in question.items() if v not in (None, "", [], {})}
            item["required"] = question.get("required", False)
            item["allow_na"] = question.get("allow_na", False)
            item["profile"] = question.get("profile", False)
            question_links = [
                {"kind": link.kind, "title": link.title, "url": link.url}
                for link in links.get(question["key"], [])
                if link.url
            ]
            if question_links:
                item["links"] = question_links
            questions.append(item)
        sections.append({**section, "questions": questions})
    document = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "name": name,
        "description": description,
        "max_points": plain_number(Decimal(max_points)),
        "sections": sections,
    }
    if version is not None:
        document["exported_from"] = {"version": version, "status": status}
    return document


def _links(raw_sections: Any, problems: list[Problem]) -> list[LinkSpec]:
    links: list[LinkSpec] = []
    if not isinstance(raw_sections, list):
        return links
    for section in raw_sections:
        if not isinstance(section, dict) or not isinstance(section.get("questions"), list):
            continue
        for question in section["questions"]:
            if not isinstance(question, dict) or "links" not in question:
                continue
            key = str(question.get("key", "?"))
            where = f"Question {key}"
            raw_links = question["links"]
            if not isinstance(raw_links, list):
                problems.append(Problem(where, "links", "Links must be a list."))
                continue
            if len(raw_links) > MAX_LINKS_PER_QUESTION:
                problems.append(
                    Problem(where, "links", f"At most {MAX_LINKS_PER_QUESTION} links a question.")
                )
                continue
            for index, link in enumerate(raw_links, start=1):
                if not isinstance(link, dict):
                    problems.append(Problem(where, "links", f"Link {index} is not an object."))
                    continue
                kind = link.get("kind", "resource")
                title = " ".join(str(link.get("title") or "").split())
                url = str(link.get("url") or "").strip()
                parts = urlsplit(url)
                if kind not in LINK_KINDS:
                    problems.append(
                        Problem(
                            where, "links", f"Link {index}: kind must be resource or change_idea."
                        )
                    )
                elif not title:
                    problems.append(Problem(where, "links", f"Link {index} needs a title."))
                elif len(title) > MAX_LINK_TITLE:
                    problems.append(
                        Problem(
                            where,
                            "links",
                            f"Link {index}: the title has more than {MAX_LINK_TITLE} characters.",
                        )
                    )
                elif parts.scheme not in ("http", "https") or not parts.netloc or len(url) > 500:
                    problems.append(
                        Problem(where, "links", f"Link {index} needs a web address (https://...).")
                    )
                else:
                    links.append(LinkSpec(question_key=key, kind=kind, title=title, url=url))
    return links


def parse_template_file(content: bytes | str) -> tuple[ParsedTemplate | None, list[Problem]]:
    """Read and check a template file. Returns (template, []) or (None, problems)."""
    if isinstance(content, bytes):
        if len(content) > MAX_FILE_BYTES:
            return None, [Problem("", "file", "The file is larger than 1 MB.")]
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            return None, [Problem("", "file", "The file is not UTF-8 text.")]
    try:
        raw = json.loads(content)
    except RecursionError:
        return None, [Problem("", "file", "The file's JSON is nested too deeply to be a template.")]
    except json.JSONDecodeError as error:
        return None, [
            Problem(
                "",
                "file",
                f"The file is not valid JSON (line {error.lineno}, column {error.colno}: "
                f"{error.msg}).",
            )
        ]
    if not isinstance(raw, dict):
        return None, [Problem("", "file", "The file must hold one JSON object.")]
    problems: list[Problem] = []
    if raw.get("format") != FORMAT:
        problems.append(
            Problem(
                "", "format", f'This is not a gap-analysis template ("format" must be "{FORMAT}").'
            )
        )
        return None, problems
    if raw.get("format_version") != FORMAT_VERSION:
        problems.append(
            Problem(
                "",
                "format_version",
                f"Unsupported format_version {raw.get('format_version')!r}; "
                f"this platform reads version {FORMAT_VERSION}.",
            )
        )
    name = " ".join(str(raw.get("name") or "").split()) if isinstance(raw.get("name"), str) else ""
    if not name:
        problems.append(Problem("", "name", "The template needs a name."))
    elif len(name) > 200:
        problems.append(Problem("", "name", "The name is longer than 200 characters."))
    description = raw.get("description") or ""
    if not isinstance(description, str):
        problems.append(Problem("", "description", "The description must be text."))
        description = ""
    elif len(description.strip()) > MAX_DESCRIPTION:
        problems.append(
            Problem(
                "", "description", f"The description is longer than {MAX_DESCRIPTION} characters."
            )
        )
    max_points = to_decimal(raw.get("max_points", 100))
    if max_points is None or max_points <= 0 or max_points > Decimal("10000"):
        problems.append(
            Problem("", "max_points", "max_points must be a number above 0 (e.g. 100).")
        )
    elif max_points != max_points.quantize(Decimal("0.01")):
        problems.append(Problem("", "max_points", "max_points has more than two decimals."))
    if "sections" not in raw:
        problems.append(Problem("", "sections", "The template has no sections."))
    definition, structure = normalise_definition(raw)
    problems.extend(structure)
    links = _links(raw.get("sections"), problems)
    if problems:
        return None, problems
    return (
        ParsedTemplate(
            name=name,
            description=description.strip(),
            max_points=max_points,
            definition=definition,
            links=links,
        ),
        [],
    )
