#!/usr/bin/env bash
# Regenerate the README images: the first page of each document of the seed sample
# (press release and internal brief, PDF as rendered and DOCX as LibreOffice shows it),
# page 1 of the press release in Hindi, Urdu and Russian, of each house style from the
# real release it follows (PDF), and the press release's HTML page as headless Chromium
# shows it.
#
#   tools/make_readme_images.sh            # writes docs/images/*.png
#
# Needs: the project's .venv (or READOUT=... pointing at the readout command),
# pdftoppm (poppler-utils), soffice (libreoffice-writer-nogui) and chromium.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
READOUT="${READOUT:-$ROOT/.venv/bin/readout}"
SEED="$ROOT/samples/2025-06-26-qingdao-in-ru.yaml"
OUT="$ROOT/docs/images"
DPI="${DPI:-80}"

for tool in pdftoppm soffice chromium; do
  command -v "$tool" >/dev/null || { echo "$tool is needed (see the header of $0)" >&2; exit 1; }
done

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$OUT" "$WORK/lo" "$WORK/profile"

"$READOUT" render "$SEED" -o "$WORK" >/dev/null
# A private LibreOffice profile: no clash with a running instance, no first-start dialogs.
soffice -env:UserInstallation="file://$WORK/profile" --headless --convert-to pdf \
  --outdir "$WORK/lo" "$WORK"/*.docx >/dev/null

for template in press-release internal-brief; do
  pdf="$(ls "$WORK"/*."$template".pdf)"
  lo="$(ls "$WORK"/lo/*."$template".pdf)"
  pdftoppm -png -r "$DPI" -f 1 -l 1 -singlefile "$pdf" "$OUT/$template-pdf"
  pdftoppm -png -r "$DPI" -f 1 -l 1 -singlefile "$lo" "$OUT/$template-docx"
done
# Page 1 of the seed in Hindi, and of the Urdu and Russian samples, as rendered (PDF).
for sample in 2025-06-26-qingdao-in-ru.hi 2025-06-26-qingdao-in-ru.ur 2025-06-26-qingdao-ru-in.ru; do
  "$READOUT" render "$ROOT/samples/$sample.yaml" -t press-release -f pdf -o "$WORK/$sample.pdf" >/dev/null
  pdftoppm -png -r "$DPI" -f 1 -l 1 -singlefile "$WORK/$sample.pdf" \
    "$OUT/press-release-${sample##*.}-pdf"
done
# The web page, in a fresh profile with no network services, as wide as an A4 page at 96 dpi.
chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
  --disable-component-update --disable-sync --no-first-run --hide-scrollbars \
  --user-data-dir="$WORK/chromium" --window-size=794,1123 \
  --screenshot="$OUT/press-release-html.png" \
  "file://$(ls "$WORK"/*.press-release.html)" >/dev/null 2>&1

# Each house style, from the sample that transcribes a real release in that style.
while read -r template sample; do
  "$READOUT" render "$ROOT/samples/$sample" -t "$template" -f pdf -o "$WORK/house.pdf" \
    >/dev/null 2>&1
  pdftoppm -png -r "$DPI" -f 1 -l 1 -singlefile "$WORK/house.pdf" "$OUT/$template-pdf"
done <<'HOUSE'
pib-release 2023-02-14-defence-secretary-meets-uk-delegation.yaml
us-readout 2021-01-29-secretary-blinkens-call-with-jaishankar.yaml
govuk-press-release 2023-04-19-defence-secretary-meets-us-defence-and-security-leaders.yaml
HOUSE
ls -1 "$OUT"/*.png
