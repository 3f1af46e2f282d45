"""Spreadsheets written by other programs, built inside the tests (issue 10's corpus):
xlsxwriter, openpyxl, xlwt, odfpy, LibreOffice conversions to xls, Excel 95, ods, csv and
html, and hand-made bytes of old formats. Files are cached by content for the session, as
tests/builders.py caches its conversions."""
from __future__ import annotations

import hashlib
import random
import re
import shutil
import subprocess
import tempfile
import zipfile
from datetime import date, datetime
from pathlib import Path

_CACHE = Path(tempfile.gettempdir()) / "thidua_test_corpus"
_WORDS = ("Hà Nội", "Cao Bằng", "doanh thu", "sản lượng", "Nguyễn Văn A", "ghi chú", "Tổng",
          "quý I", "kế hoạch", "thực hiện", "tỷ lệ %", "x", "", "N/A")


def table(rng: random.Random, rows: int, cols: int) -> list[list]:
    """A table as people keep them: a header, then text, numbers, dates, booleans, gaps."""
    head = [f"Cột {c + 1} {rng.choice(_WORDS)}" for c in range(cols)]
    out = [head]
    for _ in range(rows):
        row = []
        for _ in range(cols):
            kind = rng.randrange(6)
            row.append(rng.choice(_WORDS) if kind == 0 else rng.randint(-5, 10**7) if kind == 1
                       else round(rng.uniform(0, 1000), 3) if kind == 2
                       else date(2020, rng.randint(1, 12), rng.randint(1, 28)) if kind == 3
                       else rng.random() < 0.5 if kind == 4 else None)
        out.append(row)
    return out


def _sheets(seed: int) -> dict[str, list[list]]:
    rng = random.Random(seed)
    return {f"{rng.choice(['Sheet', 'Trang', 'Dữ liệu', 'Báo cáo'])}{i + 1}":
            table(rng, rng.randint(0, 60), rng.randint(1, 12)) for i in range(rng.randint(1, 4))}


def write_xlsxwriter(path: Path, seed: int) -> None:
    import xlsxwriter

    rng = random.Random(seed)
    wb = xlsxwriter.Workbook(str(path), {"default_date_format": "dd/mm/yyyy"})
    for name, rows in _sheets(seed).items():
        ws = wb.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, v in enumerate(row):
                if v is not None:
                    ws.write(r, c, v)
        if rows and rng.random() < 0.5:
            ws.write_formula(len(rows), 0, "=SUM(B2:B5)", None, 42)
            ws.merge_range(len(rows) + 1, 0, len(rows) + 2, 2, "Gộp ô")
        if rng.random() < 0.3:
            ws.data_validation(0, 0, 10, 0, {"validate": "list", "source": ["Có", "Không"]})
    wb.close()


def write_openpyxl(path: Path, seed: int) -> None:
    import openpyxl

    rng = random.Random(seed)
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in _sheets(seed).items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
        if rng.random() < 0.4:
            ws.freeze_panes = "B2"
            ws["A1"].comment = openpyxl.comments.Comment("ghi chú", "thidua")
    if path.suffix == ".xlsm":
        wb.active["A1"] = "Sổ có macro"
    wb.save(path)


def write_xlwt(path: Path, seed: int) -> None:
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    dates = xlwt.easyxf(num_format_str="DD/MM/YYYY")
    for name, rows in _sheets(seed).items():
        ws = wb.add_sheet(name[:31])
        for r, row in enumerate(rows):
            for c, v in enumerate(row):
                if isinstance(v, date):
                    ws.write(r, c, datetime(v.year, v.month, v.day), dates)
                elif v is not None:
                    ws.write(r, c, v)
    wb.save(str(path))


def write_odfpy(path: Path, seed: int) -> None:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    for name, rows in _sheets(seed).items():
        t = Table(name=name)
        for row in rows:
            tr = TableRow()
            for v in row:
                if isinstance(v, bool) or v is None or isinstance(v, str):
                    cell = TableCell(valuetype="string")
                    cell.addElement(P(text="" if v is None else str(v)))
                elif isinstance(v, date):
                    cell = TableCell(valuetype="date", datevalue=v.isoformat())
                    cell.addElement(P(text=v.strftime("%d/%m/%Y")))
                else:
                    cell = TableCell(valuetype="float", value=v)
                    cell.addElement(P(text=str(v)))
                tr.addElement(cell)
            t.addElement(tr)
        doc.spreadsheet.addElement(t)
    doc.save(str(path))


def convert(sources: list[Path], target: str, ext: str, out: Path) -> list[Path]:
    """LibreOffice conversions of ``sources`` (one soffice run for all; cached by content),
    with LibreOffice filter ``target`` and extension ``ext``, copied into ``out``."""
    digests = {s: hashlib.sha1(s.read_bytes() + target.encode()).hexdigest() for s in sources}
    todo = [s for s, d in digests.items() if not (_CACHE / f"{d}.{ext}").exists()]
    if todo:
        _CACHE.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory() as tmp:
            srcs = []
            for s in todo:
                srcs.append(Path(tmp) / f"{digests[s]}{s.suffix}")
                shutil.copy(s, srcs[-1])
            subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp}/profile",
                            "--headless", "--convert-to", target, "--outdir", f"{tmp}/out",
                            *map(str, srcs)], check=True, capture_output=True, timeout=600)
            for s in todo:
                made = next(Path(tmp, "out").glob(f"{digests[s]}.*"))
                partial = _CACHE / f"{digests[s]}.{ext}.part"
                shutil.copy(made, partial)
                partial.replace(_CACHE / f"{digests[s]}.{ext}")
    made = []
    for s in sources:
        made.append(out / f"{s.stem}_lo.{ext}")
        shutil.copy(_CACHE / f"{digests[s]}.{ext}", made[-1])
    return made


def old_formats(out: Path) -> list[Path]:
    """Hand-made files of formats too old for the forms, and files that are no spreadsheet,
    under spreadsheet names."""
    files = {
        "excel2.xls": b"\x09\x00\x04\x00\x02\x00\x10\x00" + b"\x0a\x00\x00\x00",
        "excel3.xls": b"\x09\x02\x06\x00\x00\x00\x10\x00\x00\x00" + b"\x0a\x00\x00\x00",
        "excel4.xls": b"\x09\x04\x06\x00\x00\x00\x10\x00\x00\x00" + b"\x0a\x00\x00\x00",
        "quattro.xls": b"\x00\x00\x02\x00\x20\x51" + b"\x01\x00\x00\x00",
        "lotus.xls": b"\x00\x00\x02\x00\x06\x04" + b"\x01\x00\x00\x00",
        "ghichu.xls": "Báo cáo gửi kèm công văn số 12.\n".encode("utf-8"),
        "mot_dong.xlsx": b"LD01",
        "trang_web.xls": b"<html><body><table><tr><td>1</td></tr></table></body></html>",
        "tai_lieu.xlsx": b"%PDF-1.4\n1 0 obj\n",
    }
    paths = []
    for name, data in files.items():
        paths.append(out / name)
        paths[-1].write_bytes(data)
    return paths


def with_macro_sheet(src: Path, target: Path, number: int) -> Path:
    """``src`` (an openpyxl xlsx) with its sheet ``number`` (1-based) turned into an Excel 4
    macro sheet."""
    with zipfile.ZipFile(src) as zin:
        parts = {i.filename: zin.read(i.filename) for i in zin.infolist()}
    last = f"xl/worksheets/sheet{number}.xml"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts.items():
            if name == last:
                name = "xl/macrosheets/sheet1.xml"
                data = data.replace(b"<worksheet", b'<xm:macrosheet xmlns:xm="http://schemas.'
                                    b'microsoft.com/office/excel/2006/main"', 1)
                data = data.replace(b"</worksheet>", b"</xm:macrosheet>")
            elif name == "[Content_Types].xml":
                data = data.replace(
                    f'/xl/worksheets/sheet{number}.xml" ContentType="application/vnd.openxml'
                    'formats-officedocument.spreadsheetml.worksheet+xml"'.encode(),
                    b'/xl/macrosheets/sheet1.xml" ContentType="application/vnd.ms-excel.'
                    b'macrosheet+xml"')
            elif name == "xl/_rels/workbook.xml.rels":
                data = re.sub(rb'Type="[^"]*/worksheet" Target="(?:/xl/)?worksheets/sheet%s'
                              rb'\.xml"' % str(number).encode(),
                              b'Type="http://schemas.microsoft.com/office/2006/relationships/'
                              b'xlMacrosheet" Target="macrosheets/sheet1.xml"', data)
            out.writestr(name, data)
    return target


# --- Excel 5.0/95 (BIFF5), which no maintained library writes ------------------------------

def _cp1258(text: str) -> bytes:
    """Vietnamese in code page 1258: precomposed where it has the letter, combining marks
    (as Windows writes them) where it has not."""
    import unicodedata

    out = b""
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        base, *marks = unicodedata.normalize("NFD", ch)
        for mark in marks:  # the letter with one of its marks, the other mark combining
            composed = unicodedata.normalize("NFC", base + mark)
            if len(composed) == 1 and composed.encode("cp1258", "ignore"):
                base = composed
                marks.remove(mark)
                break
        out += (base + "".join(marks)).encode("cp1258", "replace")
    return out


def _record(kind: int, data: bytes) -> bytes:
    import struct

    return struct.pack("<HH", kind, len(data)) + data


def biff5(sheets: dict[str, list[list]]) -> bytes:
    """An Excel 5.0/95 workbook (an OLE file whose "Book" stream holds BIFF5 records) of
    text and number cells; dates are written as text."""
    import struct

    from addin.excel.vba.cfb import Storage, write

    bodies = []
    for rows in sheets.values():
        cells = b""
        for r, row in enumerate(rows):
            for c, v in enumerate(row):
                if isinstance(v, bool) or v is None or v == "":
                    continue
                if isinstance(v, (int, float)):
                    cells += _record(0x0203, struct.pack("<HHHd", r, c, 0, float(v)))
                else:
                    text = _cp1258(v.strftime("%d/%m/%Y") if isinstance(v, date) else str(v))
                    cells += _record(0x0204, struct.pack("<HHHH", r, c, 0, len(text)) + text)
        width = max((len(r) for r in rows), default=0)
        bodies.append(_record(0x0809, struct.pack("<HHHH", 0x0500, 0x0010, 0, 0))
                      + _record(0x0200, struct.pack("<HHHHH", 0, len(rows), 0, width, 0))
                      + cells + _record(0x000A, b""))
    head = _record(0x0809, struct.pack("<HHHH", 0x0500, 0x0005, 0, 0)) \
        + _record(0x0042, struct.pack("<H", 1258))
    names = [_cp1258(n) for n in sheets]
    size = len(head) + sum(4 + 7 + len(n) for n in names) + 4
    book = head
    for name, offset in zip(names, _offsets(size, bodies)):
        book += _record(0x0085, struct.pack("<IBBB", offset, 0, 0, len(name)) + name)
    book += _record(0x000A, b"") + b"".join(bodies)
    return write(Storage({"Book": book + b"\0" * max(0, 4096 - len(book))}))


def _offsets(start: int, bodies: list[bytes]) -> list[int]:
    out = []
    for body in bodies:
        out.append(start)
        start += len(body)
    return out


def third_party(out: Path, with_libreoffice: bool) -> list[Path]:
    """The corpus: at least 100 spreadsheets no thidua code wrote, in ``out``."""
    from msoffcrypto.format.ooxml import OOXMLFile

    out.mkdir(parents=True, exist_ok=True)
    made: list[Path] = []
    for seed in range(25):
        made.append(out / f"xlsxwriter_{seed:02}.xlsx")
        write_xlsxwriter(made[-1], seed)
    for seed in range(25):
        made.append(out / f"openpyxl_{seed:02}.{'xlsm' if seed % 5 == 0 else 'xlsx'}")
        write_openpyxl(made[-1], 100 + seed)
    for seed in range(15):
        made.append(out / f"xlwt_{seed:02}.xls")
        write_xlwt(made[-1], 200 + seed)
    for seed in range(15):
        made.append(out / f"odfpy_{seed:02}.ods")
        write_odfpy(made[-1], 300 + seed)
    made += old_formats(out)
    made.append(with_macro_sheet(made[25 + 1], out / "macro_sheet.xlsm", 1))
    for i, password in enumerate(("VelvetSweatshop", "VelvetSweatshop", "bimat")):
        with made[i].open("rb") as src, (out / f"encrypted_{i}.xlsx").open("wb") as enc:
            OOXMLFile(src).encrypt(password, enc)
        made.append(out / f"encrypted_{i}.xlsx")
    for i, src in enumerate((made[3], made[51], made[66])):  # xlsx, xls, ods cut short
        data = src.read_bytes()
        made.append(out / f"truncated_{i}{src.suffix}")
        made[-1].write_bytes(data[: len(data) * 2 // 3])
    if with_libreoffice:
        picked = made[:8]
        for target, ext in (("xls:MS Excel 97", "xls"), ("ods", "ods"),
                            ("xlsx:Calc MS Excel 2007 XML", "xlsx"), ("csv", "csv"),
                            ("html", "html")):
            made += convert(picked, target, ext, out)
        texts = [p for p in made if p.suffix == ".csv"][:3] + [
            p for p in made if p.suffix == ".html"][:3]
        for i, disguised in enumerate(texts):
            made.append(out / f"{disguised.stem}_renamed_{i}.xls")
            shutil.copy(disguised, made[-1])
    return made
