#!/usr/bin/env bash
# Makes test/fixtures/office-corpus/: the department template filled in and saved by the
# programs departments use. Needs Debian's libreoffice-calc-nogui, gnumeric, python3-openpyxl
# and fonts-noto-cjk (apt-get install); run once and commit the files, so CI needs none of them.
#   openpyxl-<case>.xlsx      filled by openpyxl (formulas without cached values)
#   libreoffice-<case>.xlsx   the same opened and saved by LibreOffice Calc (formulas cached)
#   gnumeric-<case>.xlsx      the same opened and saved by Gnumeric
#   libreoffice-numbers.ods / .xls   LibreOffice's own format and the legacy one
#   *-rich-text-note.xlsx     a 情况说明 in two formatted runs, made in LibreOffice (bold and red),
#                             re-saved by Gnumeric and by openpyxl (which keeps the text, drops the runs)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/test/fixtures/office-corpus"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out" "$work/filled" "$work/lo" "$work/rich"
npx tsx "$root/scripts/office-corpus/write-template.ts" "$work/template.xlsx"
/usr/bin/python3 "$root/scripts/office-corpus/fill.py" "$work/template.xlsx" "$work/filled"
# The rich-text note: the filled file to flat ODS, its note made two formatted runs, back to .xlsx
# by LibreOffice; the other programs re-save LibreOffice's file.
soffice --headless --calc --convert-to fods --outdir "$work" "$work/filled/rich-text-note.xlsx" >/dev/null
/usr/bin/python3 "$root/scripts/office-corpus/rich-text.py" "$work/rich-text-note.fods" "$work/rich/rich-text-note.fods" \
  "受强降雨影响，进度略有滞后，已调度"
soffice --headless --calc --convert-to xlsx:"Calc MS Excel 2007 XML" --outdir "$work/rich" "$work/rich/rich-text-note.fods" >/dev/null
cp "$work/rich/rich-text-note.xlsx" "$work/filled/rich-text-note.xlsx"
/usr/bin/python3 -c 'import sys, openpyxl; openpyxl.load_workbook(sys.argv[1]).save(sys.argv[2])' \
  "$work/rich/rich-text-note.xlsx" "$work/rich/openpyxl.xlsx"
for f in "$work"/filled/*.xlsx; do
  name=$(basename "$f" .xlsx)
  cp "$f" "$out/openpyxl-$name.xlsx"
  ssconvert --export-type=Gnumeric_Excel:xlsx2 "$f" "$out/gnumeric-$name.xlsx" 2>/dev/null
done
soffice --headless --calc --convert-to xlsx:"Calc MS Excel 2007 XML" --outdir "$work/lo" "$work"/filled/*.xlsx >/dev/null
for f in "$work"/lo/*.xlsx; do cp "$f" "$out/libreoffice-$(basename "$f")"; done
cp "$work/rich/openpyxl.xlsx" "$out/openpyxl-rich-text-note.xlsx"
soffice --headless --calc --convert-to ods --outdir "$out" "$work/filled/numbers.xlsx" >/dev/null
soffice --headless --calc --convert-to xls:"MS Excel 97" --outdir "$out" "$work/filled/numbers.xlsx" >/dev/null
mv "$out/numbers.ods" "$out/libreoffice-numbers.ods"
mv "$out/numbers.xls" "$out/libreoffice-numbers.xls"
ls -l "$out"
