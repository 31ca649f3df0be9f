#!/usr/bin/env bash
# Makes test/fixtures/office-corpus/: the department template filled in and saved by the
# programs departments use. Needs Debian's libreoffice-calc-nogui, gnumeric, python3-openpyxl
# and fonts-noto-cjk (apt-get install); run once and commit the files, so CI needs none of them.
#   openpyxl-<case>.xlsx      filled by openpyxl (formulas without cached values)
#   libreoffice-<case>.xlsx   the same opened and saved by LibreOffice Calc (formulas cached)
#   gnumeric-<case>.xlsx      the same opened and saved by Gnumeric
#   libreoffice-numbers.ods / .xls   LibreOffice's own format and the legacy one
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/test/fixtures/office-corpus"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out" "$work/filled" "$work/lo"
npx tsx "$root/scripts/office-corpus/write-template.ts" "$work/template.xlsx"
/usr/bin/python3 "$root/scripts/office-corpus/fill.py" "$work/template.xlsx" "$work/filled"
for f in "$work"/filled/*.xlsx; do
  name=$(basename "$f" .xlsx)
  cp "$f" "$out/openpyxl-$name.xlsx"
  ssconvert --export-type=Gnumeric_Excel:xlsx2 "$f" "$out/gnumeric-$name.xlsx" 2>/dev/null
done
soffice --headless --calc --convert-to xlsx:"Calc MS Excel 2007 XML" --outdir "$work/lo" "$work"/filled/*.xlsx >/dev/null
for f in "$work"/lo/*.xlsx; do cp "$f" "$out/libreoffice-$(basename "$f")"; done
soffice --headless --calc --convert-to ods --outdir "$out" "$work/filled/numbers.xlsx" >/dev/null
soffice --headless --calc --convert-to xls:"MS Excel 97" --outdir "$out" "$work/filled/numbers.xlsx" >/dev/null
mv "$out/numbers.ods" "$out/libreoffice-numbers.ods"
mv "$out/numbers.xls" "$out/libreoffice-numbers.xls"
ls -l "$out"
