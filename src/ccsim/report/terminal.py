"""The terminal's tables: rich tables that never show a figure cut into a plausible other
one (imports rich alone, so that the CLI can use it without loading the rest of the
report layer)."""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

# what a stream that cannot encode a character writes instead (other characters: `?`;
# cli/streams.py), and what a table drawn in ASCII shows, so that its columns line up
ASCII = {
    "≥": ">=", "≤": "<=", "–": "-", "—": "-", "−": "-", "×": "x", "✓": "ok", "✗": "x",
    "…": "...", "·": "-", "→": "->", "▸": ">", "±": "+/-", "’": "'", "‘": "'", "“": '"',
    "”": '"', "µ": "u", "€": "EUR", "Φ": "Phi", "\u00a0": " ", "←": "<-", "∞": "inf",
}  # fmt: skip
_TO_ASCII = str.maketrans(ASCII)

TEXT_WIDTH = 8  # a text column folds, but keeps at least this many characters a line


class Figures(Table):
    """A console table for a terminal of any width. Figures (right-justified columns)
    keep their width, their headings wrapping at spaces; the text columns share what is
    left, folding onto more lines. Only where even that does not fit are figures cut,
    ending in `…`, and a line under the table says so (a CI read `59.3%–100…` at 100
    columns without a word: a walkthrough; folding figures instead split `122,300.30`
    into `122,300.3` over `0`: a review)."""

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if options.ascii_only:  # (`≥` became `>=` as written, a column out of line)
            self._in_ascii(options.encoding)
        # a cut figure ends in …, or in ~ where … cannot be written (`...` was too wide;
        # cropped without a mark, `59.3%-` read as a whole figure: a review)
        mark = "…" if _encodable("…", options.encoding) else "~"
        wide = options.update_width(10**6)

        def longest(cells: list, least: bool = False) -> int:
            m = [Measurement.get(console, wide, c) for c in cells]
            return max((x.minimum if least else x.maximum for x in m), default=0)

        text = [c.justify != "right" for c in self.columns]
        natural = [
            max(longest([c.header]), longest(list(c.cells)))
            if t
            else max(longest([c.header], least=True), longest(list(c.cells)))
            for c, t in zip(self.columns, text, strict=True)
        ]
        room = options.max_width - (3 * len(self.columns) + 1)  # (borders and padding)
        figures = sum(w for w, t in zip(natural, text, strict=True) if not t)
        words = sum(w for w, t in zip(natural, text, strict=True) if t)
        need = figures + sum(min(w, TEXT_WIDTH) for w, t in zip(natural, text, strict=True) if t)
        widths = _widths(natural, text, room, need, words + figures)
        whole_fits = words + figures <= room
        for column, w, t, n in zip(self.columns, widths, text, natural, strict=True):
            column.overflow = "fold" if t else "ellipsis" if mark == "…" else "crop"
            if mark != "…" and not t and w is not None:
                column._cells[:] = [_cut(cell, w, mark) for cell in column._cells]
            # a figure cut is cut, not wrapped (`7,235.80` over `EUR`: a review); where
            # it has its width, its heading may wrap (`abandon` over `rate`)
            column.no_wrap = not t and need > room
            column.width = w  # (None: as rich lays it out; a table printed again, wider,
            # is not held to the last widths)
            # where all fits, a text cell keeps its line and the figures' headings wrap
            # (`total (sum of` over `quarters)` beside headings of three words: a review)
            column.min_width = n if t and w is None and whole_fits else None
        yield from super().__rich_console__(console, options)
        if need > room:
            yield Text(
                f"(the terminal is {options.max_width} columns wide, this table needs "
                f"{need + options.max_width - room}: figures ending in {mark} are cut; widen it, "
                "or use --json or --out)",
                style="dim",
            )

    def _in_ascii(self, encoding: str) -> None:
        """Headings and cells as they will be written to an output that cannot encode
        more than ASCII (a Windows runner's cp1252), measured so: rich then draws the
        borders in ASCII too."""
        for column in self.columns:
            column.header = _ascii(column.header, encoding)
            column._cells[:] = [_ascii(cell, encoding) for cell in column._cells]


def _ascii(cell: object, encoding: str) -> object:
    """A cell's text as `encoding` will hold it: ASCII's spellings (`>=`), any other
    character it cannot encode as `?` (a wide 客服 was two `?` a column too narrow); a
    Text keeps its style, not its spans (they would no longer fit the text); other
    renderables as they are."""
    if isinstance(cell, Text) and not cell.plain.isascii():
        return Text(_encoded(cell.plain, encoding), style=cell.style, justify=cell.justify)
    return _encoded(cell, encoding) if isinstance(cell, str) else cell


def _cut(cell: object, width: int, mark: str) -> object:
    """A figure cell longer than `width` cut to it, ending in `mark`."""
    plain = cell.plain if isinstance(cell, Text) else cell
    if not isinstance(plain, str) or len(plain) <= width:
        return cell
    short = plain[: max(0, width - 1)] + mark
    return Text(short, style=cell.style, justify=cell.justify) if isinstance(cell, Text) else short


def _encoded(text: str, encoding: str) -> str:
    """`text` in ASCII's spellings, then with what `encoding` cannot hold as `?`."""
    text = text.translate(_TO_ASCII)
    try:
        return text.encode(encoding, "replace").decode(encoding)
    except LookupError:  # (an encoding Python does not know: ASCII then)
        return text.encode("ascii", "replace").decode("ascii")


def _encodable(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def _widths(
    natural: list[int], text: list[bool], room: int, need: int, whole: int
) -> list[int | None]:
    """Each column's width: None (rich's) where everything fits; else figures whole and
    the text columns a share of what is left; where even that does not fit, every column
    at least three characters (a ✗ column had none at 60 columns: a review) and the rest
    shared in proportion to what each needs."""
    if whole <= room:
        return [None] * len(natural)
    if need <= room:
        words = sum(w for w, t in zip(natural, text, strict=True) if t)
        figures = whole - words
        return [
            max(min(w, TEXT_WIDTH), (room - figures) * w // max(1, words)) if t else w
            for w, t in zip(natural, text, strict=True)
        ]
    floor = [min(w, 3) for w in natural]
    spare = room - sum(floor)
    if spare < 0:
        return [None] * len(natural)  # (narrower than three characters a column)
    over = [w - f for w, f in zip(natural, floor, strict=True)]
    extra = [spare * o // max(1, sum(over)) for o in over]
    return [f + e for f, e in zip(floor, extra, strict=True)]
