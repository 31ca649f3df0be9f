"""Makes a note cell's text rich (two formatted runs) in a flat OpenDocument spreadsheet.

usage: python3 rich-text.py <in.fods> <out.fods> <plain note text>
LibreOffice then saves the result as .xlsx with the note as runs of formatted text, as a
clerk who bolds a phrase of 情况说明 makes it. Run by make-office-corpus.sh.
"""
import sys

source, target, note = sys.argv[1], sys.argv[2], sys.argv[3]
text = open(source, encoding="utf-8").read()
head, tail = note[:6], note[6:]
plain = f"<text:p>{note}</text:p>"
if plain not in text:
    sys.exit(f"{source}: no cell holds {note!r}")
rich = (
    f'<text:p><text:span text:style-name="TdubanBold">{head}</text:span>'
    f'<text:span text:style-name="TdubanRed">{tail}</text:span></text:p>'
)
styles = (
    '<style:style style:name="TdubanBold" style:family="text">'
    '<style:text-properties fo:font-weight="bold" style:font-weight-asian="bold"/></style:style>'
    '<style:style style:name="TdubanRed" style:family="text">'
    '<style:text-properties fo:color="#c00000"/></style:style>'
)
text = text.replace(plain, rich, 1)
text = text.replace("</office:automatic-styles>", styles + "</office:automatic-styles>", 1)
open(target, "w", encoding="utf-8").write(text)
