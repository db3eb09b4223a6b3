"""JUnit XML for CI pipelines: one test case per scenario file × target."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path, PurePath

from ccsim.atomic import atomic_file
from ccsim.measure.targets import TargetCheck

# how a file `write` wrote starts: only such a file is replaced (a scenario given as
# `--junit` by a slip had been overwritten with the XML)
VALID = "valid scenario"  # the test case of a file that did not validate
MARK = "<?xml version='1.0' encoding='utf-8'?>\n<testsuites name=\"ccsim check\""


def write(
    path: Path,
    files: dict[str, list[TargetCheck] | list[str]],
    confidence: float | None = None,
    warnings: dict[str, list[str]] | None = None,
    seconds: dict[str, float] | None = None,
) -> None:
    """`files` maps a scenario path to its target checks, or to validation messages;
    each target is said as `ccsim check` says it (`TargetCheck.verdict`: a failure's
    message, a pass's system-out), a file's `warnings` in its suite's system-err.

    A suite is a file: its name and each case's `file` the path, each case's `classname`
    the path dotted without its suffix (`scenarios.small_shop`: Jenkins and GitLab read
    the last dot's left as the package, and `scenarios/small_shop.yaml` was class
    "yaml"), and the suite's `time` the file's `seconds` — one simulation judges all
    its targets, so the cases carry none."""
    suites = ET.Element("testsuites", name="ccsim check")
    total = 0.0
    for file, items in files.items():
        said_of_file = (warnings or {}).get(file, [])
        took = (seconds or {}).get(file, 0.0)
        total += took
        file = _xml(file)
        suite = ET.SubElement(suites, "testsuite", name=file, time=f"{took:.3f}")
        named = {"classname": _xml(classname(file)), "file": file}
        failures = 0
        if items and isinstance(items[0], str):  # the file did not validate
            case = ET.SubElement(suite, "testcase", named, name=VALID)
            text = _xml("\n".join(items))  # type: ignore[arg-type]
            ET.SubElement(case, "failure", message="invalid scenario").text = text
            failures = 1
            count = 1
        else:
            count = len(items)
            for check in items:
                case = ET.SubElement(suite, "testcase", named, name=_xml(check.name))
                said = _xml(f"{check.name}: {check.verdict(confidence)}")
                if not check.met:
                    failures += 1
                    ET.SubElement(case, "failure", message=said).text = said
                else:  # (a pass was a bare name in a report that shows passes)
                    ET.SubElement(case, "system-out").text = said
        if said_of_file:
            ET.SubElement(suite, "system-err").text = _xml("\n".join(said_of_file))
        suite.set("tests", str(count))
        suite.set("failures", str(failures))
    suites.set("time", f"{total:.3f}")
    tree = ET.ElementTree(suites)
    ET.indent(tree)
    with atomic_file(Path(path), MARK) as tmp:
        tree.write(tmp, encoding="utf-8", xml_declaration=True)


def classname(path: str) -> str:
    """A scenario path as a JUnit class name: its folders and name without the suffix,
    joined by dots (a dot within one becomes `_`; its root or drive, `.` and `..` are
    left out): `scenarios/small_shop.yaml` → `scenarios.small_shop`."""
    file = PurePath(path)
    parts = file.with_suffix("").parts[1 if file.anchor else 0 :] if file.name else ()
    kept = [p.replace(".", "_") for p in parts if p.strip(".")]
    return ".".join(kept) or path


# what XML 1.0 cannot hold (ElementTree wrote it, and the report was not XML)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml(text: str) -> str:
    """`text` with the characters XML cannot hold escaped as \\xNN."""
    return _NOT_XML.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
