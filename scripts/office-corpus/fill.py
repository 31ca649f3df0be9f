"""Fills copies of the template the way a department would, one workbook per case (openpyxl).

usage: python3 fill.py <template.xlsx> <out-dir>
Run by make-office-corpus.sh; the cases are listed in the test that reads the corpus.
"""
import sys
from openpyxl import load_workbook

template, out = sys.argv[1], sys.argv[2]
GOOD = {"E2": 60, "E3": 31000, "E4": 5.5, "E5": 5, "E6": "主体完成"}


def case(name, cells=None, edit=None, keep_good=True):
    wb = load_workbook(template)
    ws = wb["填报"]
    if keep_good:
        for ref, value in GOOD.items():
            ws[ref] = value
    for ref, value in (cells or {}).items():
        ws[ref] = value
    if edit:
        edit(wb, ws)
    wb.save(f"{out}/{name}.xlsx")


def percent(ref, value):
    def edit(wb, ws):
        ws[ref] = value
        ws[ref].number_format = "0.0%"
    return edit


def reorder(wb, ws):
    wb.move_sheet("说明", offset=-1)


def rename(wb, ws):
    ws.title = "6月填报"


def merged_note(wb, ws):
    ws["F2"] = "两项合并说明：受强降雨影响进度略有滞后"
    ws.merge_cells("F2:F3")


def signed(wb, ws):
    ws["I5"] = "张三"
    ws["I6"] = "0371-12345678"
    ws["I7"] = "李四"


case("numbers", edit=signed)
case("text-numbers", {"E2": "60", "E3": "31,000", "E4": "5.5", "E5": "5"})
case("percent-in-percent-row", edit=percent("E4", 0.055))
case("percent-in-amount-row", edit=percent("E2", 0.405))
case("full-width-digits", {"E2": "６０", "E3": "３１０００"})
case("formulas", {"E2": "=30*2", "E3": "=31000+0"})
case("sheets-reordered", edit=reorder)
case("data-sheet-renamed", edit=rename)
case("merged-note", edit=merged_note)
case("footer-row", {"A8": "填报人：张三", "E8": "联系电话：13800000000"})
case("emoji-note", {"F2": "受强降雨影响，进度略有滞后😷"})
# Plain here: make-office-corpus.sh makes its note rich in LibreOffice (openpyxl 3.0 writes no runs).
case("rich-text-note", {"F2": "受强降雨影响，进度略有滞后，已调度"})
