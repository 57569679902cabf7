"""Plain-text writer, part 3: a table as aligned columns.

::

    Action                          Owner             Due
    ------------------------------  ----------------  -----------

    Deepen defence industrial       Department of     31 Dec 2025
    cooperation                     Defence
                                    Production

    Explore next-generation ...     ...               ...

    ------------------------------  ----------------  -----------

Columns are two spaces apart. A line of dashes under each column closes the header
and the table (a table without a header opens with one too). Columns take the width
their text needs when the table fits; otherwise the widths the table gives share the
room, no column narrower than its longest word. When a cell wraps, blank lines
separate the rows (and the rules), so each row reads as one, as in pandoc's multiline
tables. A group's row (it names the rows after it) is a line of its own: its first
cell's text from the table's left edge, wrapped over the table's whole width (the last
column widens, within the room, so that a group's name fits on one line).
"""

from __future__ import annotations

from .wrap import longest_word, width, wrap_lines

GAP = 2


def column_widths(cells: list[list[str]], shares: list[float], room: int) -> list[int]:
    """The width of each column: its widest line if all fit in ``room``, else a share of
    the room by ``shares``, never less than its longest word nor more than it needs."""
    count = len(shares)
    natural = [max((width(line) for row in cells for line in row[c].split("\n")), default=0)
               for c in range(count)]
    room -= GAP * (count - 1)
    if sum(natural) <= room:
        return [max(n, 1) for n in natural]
    least = [max(longest_word(row[c]) for row in cells) if cells else 1 for c in range(count)]
    total = sum(shares) or float(count)
    widths = [max(least[c], min(natural[c], int(room * shares[c] / total)))
              for c in range(count)]
    spare = room - sum(widths)
    while spare > 0:  # give what is left to the columns that still wrap, in order
        wanting = [c for c in range(count) if widths[c] < natural[c]]
        if not wanting:
            break
        for c in wanting:
            if spare <= 0:
                break
            widths[c] += 1
            spare -= 1
    return [max(w, 1) for w in widths]


def table_lines(header: list[str] | None, rows: list[list[str]], shares: list[float],
                room: int, groups: frozenset[int] = frozenset()) -> list[str]:
    """The lines of a table whose cells are plain text (newlines are line breaks);
    ``groups``: the indexes of the rows that are a group's name, spanning the row."""
    everything = ([header] if header is not None else []) + rows
    first = 1 if header is not None else 0
    spanning = {first + index for index in groups}
    sized = [row for index, row in enumerate(everything) if index not in spanning]
    widths = column_widths(sized, shares, room)
    whole = sum(widths) + GAP * (len(widths) - 1)
    named = max((width(line) for index in spanning for line in everything[index][0].split("\n")),
                default=0)
    if named > whole:  # the last column widens, within the room, for a group's name
        widths[-1] += min(named, max(room, whole)) - whole
        whole = sum(widths) + GAP * (len(widths) - 1)
    rule = (" " * GAP).join("-" * w for w in widths)
    laid = [[wrap_lines(row[0], whole)] if index in spanning else
            [wrap_lines(cell, w) for cell, w in zip(row, widths, strict=True)]
            for index, row in enumerate(everything)]
    multiline = any(len(cell) > 1 for row in laid[first:]
                    for cell in row)
    out: list[str] = [] if header is not None else [rule]
    for index, row in enumerate(laid):
        if index == 1 and header is not None:
            out.append(rule)
        if multiline and (index > 0 or header is None):
            out.append("")
        height = max((len(cell) for cell in row), default=1)
        for line in range(height):
            parts = [cell[line] if line < len(cell) else "" for cell in row]
            text = (" " * GAP).join(part + " " * (w - width(part)) for part, w in zip(
                parts, [whole] if index in spanning else widths, strict=True))
            out.append(text.rstrip())
    if multiline and len(laid) > first:
        out.append("")
    out.append(rule)
    return out
