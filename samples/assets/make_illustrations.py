"""Generate the sample readouts' pictures: plain, flat drawings, never photographs.

Each picture is an honest stand-in for a press photo (or, ``emblem-2.png``, for a
second issuer's emblem): simple shapes in flat colours, with no person, face, flag or
emblem of any real country in it, and the samples' alt text says so. Pillow draws them; the output is the same bytes on every run::

    python samples/assets/make_illustrations.py
"""

from __future__ import annotations

import math
from pathlib import Path

from PIL import Image, ImageDraw

HERE = Path(__file__).resolve().parent
WIDTH, HEIGHT = 640, 400
WALL, FLOOR, WOOD, CHAIR, SCREEN = "#dfe6ee", "#b8c4d1", "#8a6a4f", "#23395b", "#0b2545"


def conference_table() -> Image.Image:
    """A long table seen from the end of a room, six chairs a side."""
    image = Image.new("RGB", (WIDTH, HEIGHT), WALL)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 250, WIDTH, HEIGHT), fill=FLOOR)
    draw.polygon([(250, 180), (390, 180), (560, 380), (80, 380)], fill=WOOD)
    for index in range(6):
        depth = index / 5
        y = 200 + 170 * depth
        half = 14 + 18 * depth
        left = 250 - 170 * depth - half * 1.6
        right = 390 + 170 * depth + half * 0.6
        for x in (left, right):
            draw.rounded_rectangle((x, y - half, x + half, y + half * 0.6), radius=4,
                                   fill=CHAIR)
    draw.rectangle((270, 60, 370, 150), fill="#f4f6f8", outline="#9aa5b1", width=3)
    return image


def video_wall() -> Image.Image:
    """A screen of six tiles, each a plain blue silhouette on grey: a video call."""
    image = Image.new("RGB", (WIDTH, HEIGHT), "#2b2b2b")
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 30, WIDTH - 40, HEIGHT - 60), fill=SCREEN)
    tile_w, tile_h = (WIDTH - 100) // 3, (HEIGHT - 110) // 2
    for row in range(2):
        for column in range(3):
            x = 50 + column * (tile_w + 5)
            y = 40 + row * (tile_h + 5)
            draw.rectangle((x, y, x + tile_w, y + tile_h), fill="#c9d2dc")
            centre = x + tile_w // 2
            draw.ellipse((centre - 22, y + 30, centre + 22, y + 74), fill="#5b7290")
            draw.rounded_rectangle((centre - 48, y + 80, centre + 48, y + tile_h + 10),
                                   radius=30, fill="#5b7290")
    draw.rectangle((WIDTH // 2 - 60, HEIGHT - 50, WIDTH // 2 + 60, HEIGHT - 20), fill="#4a4a4a")
    return image


def two_lecterns() -> Image.Image:
    """Two lecterns with microphones before a plain backdrop: a joint statement."""
    image = Image.new("RGB", (WIDTH, HEIGHT), "#e9edf2")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 310, WIDTH, HEIGHT), fill=FLOOR)
    draw.rectangle((60, 30, WIDTH - 60, 240), fill="#cfd8e3")
    for x in (130, 390):
        draw.polygon([(x, 215), (x + 120, 215), (x + 100, 350), (x + 20, 350)], fill=WOOD)
        draw.polygon([(x - 10, 195), (x + 130, 195), (x + 120, 218), (x, 218)],
                     fill="#6f533d")
        draw.rectangle((x + 10, 350, x + 110, 362), fill="#5a4331")
        draw.line((x + 60, 196, x + 75, 150), fill="#2b2b2b", width=4)
        draw.ellipse((x + 68, 138, x + 84, 154), fill="#2b2b2b")
    return image


def second_emblem() -> Image.Image:
    """A neutral placeholder emblem for a second issuer: a gold star in a navy square."""
    size = 256
    image = Image.new("RGB", (size, size), "#ffffff")
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((16, 16, size - 16, size - 16), radius=28, fill=SCREEN,
                           outline="#c9a227", width=10)
    centre, outer, inner = size / 2, 78, 32
    points = []
    for index in range(10):
        radius = outer if index % 2 == 0 else inner
        angle = math.pi / 2 + index * math.pi / 5
        points.append((centre + radius * math.cos(angle), centre - radius * math.sin(angle)))
    draw.polygon(points, fill="#c9a227")
    return image


PICTURES = {
    "emblem-2.png": second_emblem,
    "illustration-conference-table.png": conference_table,
    "illustration-video-call.png": video_wall,
    "illustration-two-lecterns.png": two_lecterns,
}


def main() -> None:
    for name, draw in PICTURES.items():
        draw().save(HERE / name, format="PNG", optimize=True)
        print(f"wrote {name}")


if __name__ == "__main__":
    main()
