"""The key driver diagram SVG: structure, escaping, a text alternative."""

from xml.etree import ElementTree

from pdsa.diagram import PrimaryBox, SecondaryBox, driver_diagram_svg

SVG = "{http://www.w3.org/2000/svg}"


def _parse(svg: str) -> ElementTree.Element:
    """Our own output, parsed to check its structure."""
    return ElementTree.fromstring(svg)  # noqa: S314 - trusted, generated in the test


def _diagram(aim="95% weighed in kg by June 2027"):
    return driver_diagram_svg(
        aim,
        [
            PrimaryBox(
                "Equipment shows kilograms only",
                secondaries=[SecondaryBox("Scales locked", ideas=["Lock the triage scale"])],
                ideas=["Kg-only tape at the bedside"],
            ),
            PrimaryBox("Staff know why kilograms matter"),
        ],
    )


def test_diagram_is_valid_svg_with_a_box_per_node_and_a_line_per_link():
    root = _parse(_diagram())
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    assert len(root.findall(f".//{SVG}rect")) == 6  # aim, 2 primary, 1 secondary, 2 ideas
    assert len(root.findall(f".//{SVG}path")) == 5
    texts = "".join(root.itertext())
    for words in ("Equipment shows", "Scales locked", "Lock the triage scale", "Change ideas"):
        assert words in texts


def test_text_alternative_reads_the_whole_diagram():
    root = _parse(_diagram())
    desc = root.find(f"{SVG}desc").text
    assert desc.startswith("Aim: 95% weighed in kg by June 2027.")
    assert "Secondary driver: Scales locked, change ideas: Lock the triage scale." in desc


def test_markup_in_team_text_is_escaped_everywhere():
    svg = driver_diagram_svg(
        "<script>alert('aim')</script>",
        [PrimaryBox('"><img src=x onerror=alert(1)>', ideas=["</text><script>x</script>"])],
        title="<b>Team</b>",
    )
    assert "<script>" not in svg and "<img" not in svg and "<b>" not in svg
    assert "&lt;script&gt;" in svg
    _parse(svg)  # still well-formed


def test_long_titles_wrap_and_make_their_box_taller():
    short = _parse(driver_diagram_svg("Aim", [PrimaryBox("Short")]))
    long = _parse(driver_diagram_svg("Aim", [PrimaryBox("word " * 40)]))
    heights = [
        max(float(r.get("height")) for r in tree.findall(f".//{SVG}rect")) for tree in (short, long)
    ]
    assert heights[1] > heights[0] * 3
