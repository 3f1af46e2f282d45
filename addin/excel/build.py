"""Build ``thidua.xlam`` on any system, byte for byte the same every time, and install it on
Windows.

The add-in is a zip (OOXML package): a one-sheet workbook part with the add-in content type,
the ribbon (``customUI.xml``, Office 2010 namespace) and ``xl/vbaProject.bin`` built from the
``.bas`` sources here plus xlwings' custom add-in module (BSD-3, taken from the installed
xlwings at build time). The VBA callbacks call ``addin.macros`` through ``RunPython``.
"""
from __future__ import annotations

import os
import re
import sys
import uuid
import zipfile
from pathlib import Path

from workbook_templates.messages import Msg, Problem, SetupError

from .vba.project import WORKBOOK_CLSID, WORKSHEET_CLSID, Module, build_vba_project, \
    module_from_bas

HERE = Path(__file__).resolve().parent
ADDIN_NAME = "thidua.xlam"
PROJECT_NAME = "thidua"
PROJECT_ID = "{" + str(uuid.uuid5(uuid.NAMESPACE_URL, "thidua.xlam")).upper() + "}"
# The add-in's own xlwings config sheet; renamed to "thidua.conf" it is read by RunPython
# (for example INTERPRETER_WIN to pin the Python interpreter).
CONFIG_SHEET = "_thidua.conf"
RIBBON_PART = "customUI/customUI14.xml"
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
_XLWINGS_ADDIN_BAS = "xlwings_custom_addin.bas"
VBA_MAX_LINE = 1023  # the VBA editor's limit on a line's length
_XLWINGS_LICENCE = "xlwings is distributed under a BSD 3-clause license."

CT_ADDIN = "application/vnd.ms-excel.addin.macroEnabled.main+xml"
REL_UI = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
REL_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

CONTENT_TYPES = _XML + (
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{CT_ADDIN}"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    '</Types>')
PACKAGE_RELS = _XML + (
    f'<Relationships xmlns="{REL_PKG}">'
    f'<Relationship Id="rId1" Type="{REL_DOC}/officeDocument" Target="xl/workbook.xml"/>'
    f'<Relationship Id="rId2" Type="{REL_UI}" Target="{RIBBON_PART}"/>'
    '</Relationships>')
WORKBOOK = _XML + (
    f'<workbook xmlns="{NS_MAIN}" xmlns:r="{REL_DOC}">'
    '<workbookPr codeName="ThisWorkbook"/>'
    '<bookViews><workbookView visibility="hidden"/></bookViews>'
    f'<sheets><sheet name="{CONFIG_SHEET}" sheetId="1" r:id="rId1"/></sheets>'
    '</workbook>')
WORKBOOK_RELS = _XML + (
    f'<Relationships xmlns="{REL_PKG}">'
    f'<Relationship Id="rId1" Type="{REL_DOC}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{REL_DOC}/styles" Target="styles.xml"/>'
    '<Relationship Id="rId3" Type="http://schemas.microsoft.com/office/2006/relationships/'
    'vbaProject" Target="vbaProject.bin"/>'
    '</Relationships>')
SHEET = _XML + (
    f'<worksheet xmlns="{NS_MAIN}"><sheetPr codeName="Sheet1"/><sheetData/></worksheet>')
STYLES = _XML + (
    f'<styleSheet xmlns="{NS_MAIN}">'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
    '</cellStyleXfs>'
    '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '</cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    '</styleSheet>')


def xlwings_module() -> Module:
    """xlwings' custom add-in VBA module (``RunPython`` on the active workbook), from the
    installed xlwings, named for this add-in's config (``thidua.conf``)."""
    import xlwings

    path = Path(xlwings.__file__).resolve().parent / _XLWINGS_ADDIN_BAS
    text = path.read_text(encoding="ascii")
    if _XLWINGS_LICENCE not in text:
        raise RuntimeError(f"{path}: not the BSD-licensed xlwings VBA module")
    text = text.replace('PROJECT_NAME As String = "myaddin"',
                        f'PROJECT_NAME As String = "{PROJECT_NAME}"')
    return module_from_bas(text)


def vba_texts() -> dict[str, str]:
    """The Vietnamese texts the VBA shows itself (``"%NAME%"`` in the ``.bas`` sources)."""
    from ..macros import ALERT_TITLE

    no_book = Problem(Msg.ADDIN_NO_BOOK)
    return {"ADDIN_NO_BOOK": f"Lỗi [{no_book.code}]: {no_book.text}",
            "ALERT_TITLE": ALERT_TITLE}


def vba_escape(text: str) -> str:
    """``text`` as the inside of a VBA string literal in ASCII: ``\\uXXXX`` for every other
    character (decoded by ``Unescaped`` in ThiduaRibbon.bas), quotes doubled."""
    return "".join(ch if ord(ch) < 128 else f"\\u{ord(ch):04x}"
                   for ch in text.replace('"', '""'))


def _with_texts(source: str) -> str:
    texts = vba_texts()
    code = re.sub(r'"%(\w+)%"', lambda m: f'"{vba_escape(texts[m.group(1)])}"', source)
    too_long = [line for line in code.splitlines() if len(line) > VBA_MAX_LINE]
    if too_long:
        raise ValueError(f"VBA line over {VBA_MAX_LINE} characters: {too_long[0][:60]}...")
    return code


def vba_modules() -> list[Module]:
    """The add-in's modules: ThisWorkbook, its sheet, xlwings, then the sources here (with
    their Vietnamese texts put in)."""
    own = [module_from_bas(_with_texts(p.read_text(encoding="ascii")))
           for p in sorted(HERE.glob("*.bas"))]
    return [Module("ThisWorkbook", "", WORKBOOK_CLSID), Module("Sheet1", "", WORKSHEET_CLSID),
            xlwings_module(), *own]


def package_parts() -> dict[str, bytes]:
    """Every part of the add-in package, by name, in the order they are zipped."""
    vba = build_vba_project(PROJECT_NAME, PROJECT_ID, vba_modules())
    return {
        "[Content_Types].xml": CONTENT_TYPES.encode(),
        "_rels/.rels": PACKAGE_RELS.encode(),
        "xl/workbook.xml": WORKBOOK.encode(),
        "xl/_rels/workbook.xml.rels": WORKBOOK_RELS.encode(),
        "xl/worksheets/sheet1.xml": SHEET.encode(),
        "xl/styles.xml": STYLES.encode(),
        "xl/vbaProject.bin": vba,
        RIBBON_PART: (HERE / "customUI.xml").read_bytes(),
    }


def build_addin(out: Path) -> Path:
    """Write ``thidua.xlam`` to ``out`` (a file path, or a folder to put it in)."""
    out = Path(out)
    target = out / ADDIN_NAME if out.is_dir() or not out.suffix else out
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w") as zf:
        for name, data in package_parts().items():
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            zf.writestr(info, data, compresslevel=9)
    return target


def install_addin() -> Path:
    """Build the add-in into the user's Excel AddIns folder, record this Python as the one the
    add-in runs (:func:`record_interpreter`) and have Excel open the add-in at start (an
    ``OPEN`` value under each installed Excel version's Options key). Windows only."""
    if sys.platform != "win32":
        raise SetupError(Problem(Msg.ADDIN_WINDOWS_ONLY, value=sys.platform))
    import winreg

    folder = Path(os.environ["APPDATA"]) / "Microsoft" / "AddIns"
    target = build_addin(folder / ADDIN_NAME)
    record_interpreter(sys.executable)
    for key_path in _excel_option_keys(winreg):
        with winreg.CreateKeyEx(winreg.HKEY_CURRENT_USER, key_path, 0,
                                winreg.KEY_READ | winreg.KEY_WRITE) as key:
            _register_open(winreg, key, target)
    return target


def user_config_path() -> Path:
    """``%USERPROFILE%\\.thidua\\thidua.conf``: the user config file the add-in's RunPython
    reads (xlwings' ``GetConfigFilePath`` with PROJECT_NAME ``thidua``), after a
    ``thidua.conf`` sheet of the workbook and a ``thidua.conf`` file beside it."""
    home = os.environ.get("USERPROFILE") or str(Path.home())
    return Path(home) / f".{PROJECT_NAME}" / f"{PROJECT_NAME}.conf"


def record_interpreter(interpreter: str) -> Path:
    """Set ``INTERPRETER_WIN`` in the user config file to ``interpreter`` (the Python that
    has thidua installed), keeping the file's other settings; return the file.

    The file is what VBA's ``Write #`` makes and ``Input #`` reads: one ``"KEY","value"``
    line per setting, in the ANSI code page."""
    path = user_config_path()
    encoding = "mbcs" if os.name == "nt" else "cp1252"  # mbcs: Windows' ANSI code page
    kept = []
    if path.exists():
        kept = [line for line in path.read_text(encoding=encoding, errors="replace")
                .splitlines() if line.strip() and not _is_setting(line, "INTERPRETER_WIN")]
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [*kept, f'"INTERPRETER_WIN","{_ansi_path(interpreter, encoding)}"']
    path.write_text("\r\n".join(lines) + "\r\n", encoding=encoding, newline="")
    return path


def _is_setting(line: str, key: str) -> bool:
    return line.split(",", 1)[0].strip().strip('"').upper() == key


def _ansi_path(path: str, encoding: str) -> str:
    """``path`` as the ANSI code page can hold it: its 8.3 short form on Windows when it has
    letters outside that code page (a user folder named "Nguyễn", say)."""
    try:
        path.encode(encoding)
        return path
    except UnicodeEncodeError:
        if os.name != "nt":
            raise
    import ctypes

    buffer = ctypes.create_unicode_buffer(1024)
    ctypes.windll.kernel32.GetShortPathNameW(path, buffer, len(buffer))  # type: ignore
    return buffer.value or path


def _excel_option_keys(winreg) -> list[str]:
    """``Software\\Microsoft\\Office\\<version>\\Excel\\Options`` for each Excel the user has
    run; 16.0 (Office 2016 to 365) when none is found."""
    found = []
    try:
        with winreg.OpenKey(winreg.HKEY_CURRENT_USER, r"Software\Microsoft\Office") as office:
            i = 0
            while True:
                try:
                    version = winreg.EnumKey(office, i)
                except OSError:
                    break
                i += 1
                path = rf"Software\Microsoft\Office\{version}\Excel\Options"
                try:
                    winreg.OpenKey(winreg.HKEY_CURRENT_USER, path).Close()
                    found.append(path)
                except OSError:
                    continue
    except OSError:
        pass
    return found or [r"Software\Microsoft\Office\16.0\Excel\Options"]


def _register_open(winreg, key, target: Path) -> None:
    """Set the first free ``OPEN``/``OPENn`` value to the add-in, unless one already is."""
    used = {}
    i = 0
    while True:
        try:
            name, value, _ = winreg.EnumValue(key, i)
        except OSError:
            break
        i += 1
        if name.upper().startswith("OPEN"):
            used[name.upper()] = str(value)
    if any(ADDIN_NAME.lower() in v.lower() for v in used.values()):
        for name, value in used.items():
            if ADDIN_NAME.lower() in value.lower():
                winreg.SetValueEx(key, name, 0, winreg.REG_SZ, f'"{target}"')
        return
    n = 0
    while ("OPEN" if n == 0 else f"OPEN{n}") in used:
        n += 1
    winreg.SetValueEx(key, "OPEN" if n == 0 else f"OPEN{n}", 0, winreg.REG_SZ, f'"{target}"')
