"""YAML input files read within bounds, with the line of every value.

Scenario and calendar files may come from untrusted pull requests (docs/ci.md). They are
read with ruamel.yaml's safe round-trip loader (no tags that build objects, no code
runs) and within `FileLimits`: the file size is checked before reading; one pass over the
parser's events — the parser is iterative, so any nesting costs no recursion — refuses
nesting deeper than `max_depth` and more than `max_values` values once aliases are
expanded (the "billion laughs" bomb), before anything is built from them. Aliases
within those bounds are allowed: scenario authors use anchors for repeated shifts.
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq, CommentedSet, TaggedScalar
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import (
    AliasEvent,
    CollectionEndEvent,
    CollectionStartEvent,
    MappingStartEvent,
    ScalarEvent,
)
from ruamel.yaml.reader import ReaderError
from ruamel.yaml.tokens import ScalarToken

from ccsim.scenario.limits import DEFAULT_FILE_LIMITS, FileLimits
from ccsim.scenario.problems import InputError, Loc, Message


def dump(data: Any, width: int | None = None) -> str:
    """YAML text of plain data or a commented ruamel tree (comments kept); `width`:
    where long lines fold."""
    yaml = YAML()
    if width is not None:
        yaml.width = width
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    return buffer.getvalue()


def wide_text(data: bytes) -> str | None:
    """ "UTF-16" or "UTF-32" for text saved so (a spreadsheet's or Windows' "Unicode"): its
    byte-order mark, or, without one, zero bytes in every place but the characters' first
    (or last) in its first 64 bytes — ASCII text, as YAML keys and CSV headers are."""
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return "UTF-32"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16"
    head = data[: 64 - len(data[:64]) % 4]
    if len(head) < 4 or not any(head):
        return None
    for width in (4, 2):
        places = [set(head[i::width]) for i in range(width)]
        if any(all(s == {0} for j, s in enumerate(places) if j != k) for k in (0, width - 1)):
            return f"UTF-{8 * width}"
    return None


def read_text(
    path: Path, limits: FileLimits = DEFAULT_FILE_LIMITS, what: str = "file", option: bool = True
) -> str:
    """The text of an input file, refusing one larger than `limits.max_bytes` before
    reading it (InputError with one message otherwise; `option`: the message names
    --max-file-size, which the commands reading such a file have)."""
    name = str(path)
    try:
        size = path.stat().st_size
        if path.is_dir():  # (an output folder: its scenario is in it)
            held = (
                "; it holds scenario.yaml: load that" if (path / "scenario.yaml").is_file() else ""
            )
            raise InputError(
                [Message(name, None, None, f"is a folder, expected a YAML file{held}")]
            )
        if not path.is_file():  # a FIFO would block, /dev/zero never end (size 0)
            raise InputError([Message(name, None, None, "is not a regular file")])
        if size > limits.max_bytes:
            raise InputError(
                [
                    Message(
                        name,
                        None,
                        None,
                        f"the {what} has {size:,} bytes, more than the {limits.max_bytes:,} "
                        f"allowed (a real {what} has a few thousand"
                        + ("; raise the limit with --max-file-size)" if option else ")"),
                    )
                ]
            )
        data = path.read_bytes()
        if wide := wide_text(data):  # (without a byte-order mark: "the control character")
            msg = f"cannot read file: {wide} text: save the file as UTF-8"
            raise InputError([Message(name, None, None, msg)])
        return data.decode("utf-8")
    except FileNotFoundError:
        if path.is_symlink():  # (a broken link was "file not found", while `ls` shows it)
            msg = f"a link to a file that does not exist ({os.readlink(path)})"
            raise InputError([Message(name, None, None, msg)]) from None
        raise InputError([Message(name, None, None, "file not found")]) from None
    except UnicodeDecodeError as exc:  # its line, and the byte (it named neither)
        line = exc.object.count(b"\n", 0, exc.start) + 1
        byte = exc.object[exc.start : exc.start + 1].hex()
        why = f"not UTF-8 text (byte 0x{byte}): save the file as UTF-8"
        raise InputError([Message(name, line, None, f"cannot read file: {why}")]) from None
    except OSError as exc:
        why = exc.strerror or "cannot be read"
        raise InputError([Message(name, None, None, f"cannot read file: {why}")]) from None


class _DatesAsText(RoundTripConstructor):
    """Dates and times stay text: the fields that hold them read them (an impossible
    date, 2027-13-01, was ruamel's ValueError: a traceback, no line)."""


_DatesAsText.add_constructor("tag:yaml.org,2002:timestamp", _DatesAsText.construct_yaml_str)


def parse(
    text: str,
    name: str,
    limits: FileLimits = DEFAULT_FILE_LIMITS,
    what: str = "file",
    keys: str = "",
) -> tuple[dict[str, Any], dict[Loc, int]]:
    """A YAML mapping as plain Python values and a map field path → 1-based line
    (`what` and its `keys`, e.g. "scenario" and "name, channels, ...", name the file's
    kind in messages)."""
    if len(text) > limits.max_bytes:
        msg = f"the {what} has {len(text):,} characters, more than the {limits.max_bytes:,} allowed"
        raise InputError([Message(name, None, None, msg)])
    try:
        _check_shape(text, name, limits)
        duplicates = _duplicate_keys(text, name, limits)
        if duplicates:  # every one (ruamel stops at the first)
            raise InputError(duplicates)
        yaml = YAML(typ="rt")
        yaml.Constructor = _DatesAsText
        yaml.allow_duplicate_keys = False
        tree = yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        what_ = exc.problem or exc.context or "invalid YAML"
        if "duplicate key" in str(what_):
            what_ = f"{what_} (each key may appear once)"
        elif "'\\t'" in str(what_):
            what_ = f"{what_} (YAML does not allow a tab there: use spaces)"
        elif str(what_) == "expected <block end>, but found '<block mapping start>'":
            what_ = (
                "this line is indented differently from the keys above it (keys of one "
                "block start in the same column)"
            )
        elif str(what_) == "expected <block end>, but found '<scalar>'":
            what_ = (
                f"{what_} (text after a quoted value, a [list] or a {{mapping}}: put the "
                "whole value in quotes)"
            )
        elif str(what_) == "but found another document":  # a `---` after the first
            what_ = "a second YAML document begins here (a file holds one: remove the ---)"
        elif str(what_) == "mapping values are not allowed here":
            what_ = (
                f"{what_} (a key indented deeper than the keys above it, or a value "
                "holding ': ' that needs quotes)"
            )
        said = (line, what_)
        line, what_ = _still_open(exc, text, line, what_)
        if (line, what_) == said and (slip := _colon_slip(text, mark, str(exc.problem))):
            line, what_ = slip  # (`patience:3min` on line 15 was reported on line 16)
        raise InputError([Message(name, line, None, f"invalid YAML: {what_}")]) from None
    except ReaderError as exc:  # a control character: its line (it said "position 500")
        line = text.count("\n", 0, exc.position) + 1
        char = chr(exc.character) if isinstance(exc.character, int) else str(exc.character)
        msg = f"invalid YAML: the control character {char!r} is not allowed in a YAML file"
        raise InputError([Message(name, line, None, msg)]) from None
    except YAMLError as exc:
        detail = " ".join(str(exc).split())[:200]
        raise InputError([Message(name, None, None, f"invalid YAML: {detail}")]) from None
    if tree is None:
        msg = f"the file is empty (expected a {what} mapping" + (f" with {keys})" if keys else ")")
        raise InputError([Message(name, None, None, msg)])
    if not isinstance(tree, dict):
        got = (
            "a list"
            if isinstance(tree, list)
            else f"{type(tree).__name__} {limits.quote(str(tree))}"
        )
        msg = f"expected a mapping of {what} keys" + (f" ({keys})" if keys else "") + f", got {got}"
        raise InputError([Message(name, 1, None, msg)])
    data, lines = _plain(tree)
    return data, lines


def _duplicate_keys(text: str, name: str, limits: FileLimits) -> list[Message]:
    """Every key given twice in one mapping, at the line of its second use, reading
    events only (loading stops at the first)."""
    found: list[Message] = []
    # a mapping's keys (text, quoted, tag: `1`, `"1"` and `!!str 1` are not all one key)
    # and lines, and position
    stack: list[tuple[dict[tuple[str, bool, object], int], list[int]] | None] = []
    for event in YAML(typ="rt").parse(text):
        top = stack[-1] if stack else None
        is_key = top is not None and top[1][0] % 2 == 0
        if isinstance(event, (ScalarEvent, AliasEvent, CollectionStartEvent)) and top:
            top[1][0] += 1
        if isinstance(event, CollectionStartEvent):
            stack.append(({}, [0]) if isinstance(event, MappingStartEvent) else None)
        elif isinstance(event, CollectionEndEvent):
            stack.pop()
        elif isinstance(event, ScalarEvent) and is_key and top is not None:
            key, line = (event.value, bool(event.style), event.tag), event.start_mark.line + 1
            if event.value == "<<":
                continue  # merge keys (`<<: *defaults`) may repeat
            if key in top[0]:
                first = top[0][key]
                shown = limits.quote(event.value)
                found.append(
                    Message(
                        name,
                        line,
                        None,
                        f"invalid YAML: found duplicate key {shown} (first on line {first}; "
                        "each key may appear once)",
                    )
                )
            else:
                top[0][key] = line
    return found


def _in_block(rows: list[str], row: int) -> bool:
    """Line `row`'s parent — the nearest written line above it indented less — is a key
    with no value of its own (`simulation:`), not one whose text runs on
    (`description: Small web shop` over lines)."""
    indent = _indent(rows[row])
    for k in range(row - 1, -1, -1):
        written = rows[k].split(" #")[0].rstrip()
        if written.strip() and _indent(rows[k]) < indent:
            return written.endswith(":")
    return True  # (a top-level line: among the file's keys)


def _among_keys(rows: list[str], row: int) -> bool:
    """Line `row` sits among keys: the nearest written line before or after it at its
    indentation is a key (a text written over lines is not: its lines sit deeper)."""
    indent = _indent(rows[row])
    for step in (-1, 1):
        k = row + step
        while 0 <= k < len(rows) and (not rows[k].strip() or rows[k].lstrip().startswith("#")):
            k += step
        if 0 <= k < len(rows) and _indent(rows[k]) == indent and _KEY_LINE.match(rows[k]):
            return True
    return False


_NO_COLON = ("could not find expected ':'", "mapping values are not allowed here")
_GLUED = re.compile(r"^\s*([A-Za-z_][\w-]*):([^\s:/].*|\u00a0.*)$")  # `patience:3min`
_BARE_KEY = re.compile(r"^\s*([A-Za-z_][\w-]*) +([^\s:#][^:#]*)$")  # `horizon 7d`
SLIP_LINES = 3  # lines above the reader's stop searched for a key without its colon's space


def _colon_slip(text: str, mark: Any, problem: str) -> tuple[int, str] | None:
    """(line, message) of a key whose colon has no space after it (`patience:3min`,
    or a non-breaking space pasted from a web page: "could not find expected ':'") or
    no colon at all (`horizon 7d` as the first key of a block or beside other keys:
    "mapping values are not allowed here"), on the line the reader stopped at or just
    above it — it stops a line or two after (a hand editor's walkthrough, 2026-12-07:
    "line 16: could not find expected ':'"). Only where a key belongs — not in a text
    written over lines, nor a list item (`- phone support`, `- mailto:x`): values there
    (a review)."""
    if mark is None or problem not in _NO_COLON:
        return None
    rows = text.splitlines()
    for row in range(min(mark.line, len(rows) - 1), max(mark.line - SLIP_LINES, 0) - 1, -1):
        written = rows[row].split(" #")[0].rstrip()
        if (glued := _GLUED.match(written)) and _in_block(rows, row):
            key, value = glued[1], glued[2]
            if value.startswith("\u00a0"):
                return row + 1, (
                    f"`{key}:` is followed by a non-breaking space (pasted from a web page?): "
                    f"write an ordinary space, `{key}: {value[1:].strip()}`"
                )
            return row + 1, f"`{key}:{value}` has no space after its colon: write `{key}: {value}`"
        if (bare := _BARE_KEY.match(written)) and _among_keys(rows, row) and _in_block(rows, row):
            key, value = bare[1], bare[2].strip()
            return row + 1, f"`{key} {value}` has no colon after its key: write `{key}: {value}`"
    return None


def _still_open(
    exc: MarkedYAMLError, text: str, line: int | None, what: str
) -> tuple[int | None, str]:
    """(line, message) of a flow mapping or list, or a quoted text, that runs on from an
    earlier line to where the reader stopped at the end of the file or at a line indented
    no deeper than its own — the next key —, or a mapping or list whose first line left a
    quote open: the line where it began, where a quote or bracket was most likely left
    open (`{mon-fri: "08:00-18:00}` on line 10 was reported at line 34); and a block
    value's quoted text begun on an earlier line that ends on the line the reader stopped
    at (`kind: "voice`). Other errors inside a valid list or text written over several
    lines, as they are."""
    begun, found = exc.context_mark, exc.problem_mark
    context = str(exc.context or "")
    kind = next((k for k in _OPENED if context.endswith(k)), None)
    sure = False  # a block value's quote that ends where the reader stopped (`kind: "voice`)
    if found is not None and kind is None and (start := _quote_ending_on(text, found.line)):
        begun, kind, sure = start, "quoted scalar", True
    if begun is None or found is None or begun.line >= found.line or kind is None:
        return line, what
    rows = text.splitlines()
    ended = found.line >= len(rows) or "end of stream" in str(exc.problem)
    opened = rows[begun.line][begun.column :]  # a quote left open on the line it began
    unpaired = kind != "quoted scalar" and (  # (text over lines leaves one open anyway)
        opened.count('"') % 2 == 1 or opened.count("'") % 2 == 1
    )
    if not (sure or ended or unpaired) and _indent(rows[found.line]) > _indent(rows[begun.line]):
        return line, what
    return begun.line + 1, (
        f"the {kind} begun on this line runs on to line {found.line + 1} ({what}): "
        f"{_OPENED[kind]} missing?"
    )


_KEY_LINE = re.compile(r"^\s*(- )?[A-Za-z_][\w-]*:(\s|$)")  # `  patience: ...`


def _quote_ending_on(text: str, row: int) -> Any:
    """Where a quoted text that began on an earlier line and ends on line `row` (from 0)
    began — a block value whose closing quote is missing, which runs on to the next
    quote — or None."""
    try:
        for token in YAML().scan(text):
            if token.start_mark.line > row:
                break
            quoted = isinstance(token, ScalarToken) and token.style in ('"', "'")
            if quoted and token.start_mark.line < row == token.end_mark.line:
                # left open: it ran over lines that read as keys of the file; a text
                # written over lines and closed, with text after it, is not
                within = text[token.start_mark.index : token.end_mark.index].splitlines()[1:]
                return token.start_mark if any(_KEY_LINE.match(x) for x in within) else None
    except YAMLError:
        pass  # the tokens before the reader's own error were all seen
    return None


def _indent(row: str) -> int:
    return len(row) - len(row.lstrip(" "))


_OPENED = {  # what the reader was inside: what probably closes it
    "flow mapping": "a closing quote, } or ]",
    "flow sequence": "a closing quote, ] or }",
    "quoted scalar": "a closing quote",
}


def _check_shape(text: str, name: str, limits: FileLimits) -> None:
    """Refuse deep nesting and alias expansion past the limits, reading events only."""
    stack: list[list[Any]] = []  # [values so far in this collection, anchor]
    sizes: dict[str, int] = {}  # anchor -> values once expanded
    for event in YAML(typ="rt").parse(text):
        if isinstance(event, CollectionStartEvent):
            if len(stack) >= limits.max_depth:
                msg = (
                    f"mappings and lists nested more than {limits.max_depth} levels deep "
                    f"(the limit for an input file)"
                )
                raise InputError([Message(name, event.start_mark.line + 1, None, msg)])
            stack.append([1, event.anchor])
            continue
        if isinstance(event, CollectionEndEvent):
            count, anchor = stack.pop()
        elif isinstance(event, AliasEvent):
            count, anchor = sizes.get(event.anchor, 1), None
        elif isinstance(event, ScalarEvent):
            count, anchor = 1, event.anchor
        else:
            continue
        if anchor:
            sizes[anchor] = count
        if stack:
            stack[-1][0] += count
        if max(count, stack[-1][0] if stack else 0) > limits.max_values:
            msg = (
                f"more than {limits.max_values:,} values once YAML aliases are expanded "
                "(the limit for an input file; a real scenario has a few thousand)"
            )
            raise InputError([Message(name, event.start_mark.line + 1, None, msg)])


def _key(key: Any) -> Any:
    """A mapping's key as the model sees it: a date (`2027-01-04:`) as its text; a
    number, a boolean or null as itself, so that a name written `1.5:`, `null:` or
    `1e3:` is refused as not text (write it in quotes), as `123:` is — as text it was
    taken for a channel named `1.5`, `None` or `1000.0`."""
    return key if key is None or isinstance(key, str | int | float) else str(key)


def _plain(node: Any, loc: Loc = (), lines: dict[Loc, int] | None = None) -> tuple[Any, dict]:
    """Turn ruamel's tree into plain Python values and a map field path -> 1-based line."""
    if lines is None:
        lines = {(): 1}
    if isinstance(node, CommentedMap):
        out = {}
        for key in node:
            child = (*loc, str(key))
            try:
                lines[child] = node.lc.key(key)[0] + 1
            except (KeyError, TypeError, AttributeError):
                lines[child] = lines.get(loc, 1)
            out[_key(key)] = _plain(node[key], child, lines)[0]
        return out, lines
    if isinstance(node, CommentedSeq):
        items = []
        for i, value in enumerate(node):
            child = (*loc, i)
            try:
                lines[child] = node.lc.item(i)[0] + 1
            except (KeyError, TypeError, AttributeError):
                lines[child] = lines.get(loc, 1)
            items.append(_plain(value, child, lines)[0])
        return items, lines
    if isinstance(node, CommentedSet):  # `!!set {a, b}`: its members in the file's order
        return [_plain(value, loc, lines)[0] for value in node], lines  # (not odict_keys)
    if isinstance(node, bool):
        return bool(node), lines
    if isinstance(node, int):
        return int(node), lines
    if isinstance(node, float):
        return float(node), lines
    if isinstance(node, str):
        return str(node), lines
    if isinstance(node, TaggedScalar):  # `!!str 5`, `!!timestamp 2024-01-08`: their text
        # (the field reads it; they were shown as "TaggedScalar(value=…)")
        return str(node.value), lines
    return node, lines
