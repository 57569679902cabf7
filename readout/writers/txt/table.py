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
tables.
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
                room: int) -> list[str]:
    """The lines of a table whose cells are plain text (newlines are line breaks)."""
    everything = ([header] if header is not None else []) + rows
    widths = column_widths(everything, shares, room)
    rule = (" " * GAP).join("-" * w for w in widths)
    laid = [[wrap_lines(cell, w) for cell, w in zip(row, widths, strict=True)]
            for row in everything]
    multiline = any(len(cell) > 1 for row in laid[1 if header is not None else 0:]
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
            text = (" " * GAP).join(part + " " * (w - width(part))
                                    for part, w in zip(parts, widths, strict=True))
            out.append(text.rstrip())
    if multiline and len(laid) > (header is not None):
        out.append("")
    out.append(rule)
    return out
