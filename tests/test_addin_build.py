"""The add-in file: package layout, ribbon, VBA project (read back with oletools, olefile and
LibreOffice), reproducibility."""
from __future__ import annotations

import io
import random
import re
import sys
import zipfile
from pathlib import Path

import olefile
import pytest
from click.testing import CliRunner
from lxml import etree
from oletools.olevba import VBA_Parser, VBA_Project, decompress_stream

import addin.macros
from addin.cli import main
from addin.excel import build
from addin.excel.vba import cfb
from addin.excel.vba.compression import compress
from workbook_templates.messages import Msg, Problem, SetupError

from external import run_soffice

NS_UI = "http://schemas.microsoft.com/office/2009/07/customui"
NS_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
NS_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
# Ribbon label -> the Python function its VBA callback must run.
BUTTONS = {
    "Tạo biểu mẫu": "templates_button",
    "Tổng hợp": "consolidate_button",
    "Tạo văn bản": "documents_button",
    "Mở thư mục": "open_folder_button",
    "Gửi biểu mẫu": "send_templates_button",
    "Nhận bài": "fetch_returns_button",
    "Gửi phản hồi": "send_replies_button",
    "Từ biểu mẫu cấp trên": "from_upper_button",  # issue 16
    "Báo cáo lên cấp trên": "report_up_button",  # issue 16
    "Giao ước thi đua": "pledges_button",  # issue 14
}


@pytest.fixture(scope="module")
def xlam(tmp_path_factory) -> Path:
    return build.build_addin(tmp_path_factory.mktemp("addin"))


@pytest.fixture(scope="module")
def modules(xlam) -> dict[str, str]:
    parser = VBA_Parser(str(xlam), relaxed=False)
    try:
        return {stream.split("/")[-1]: code for _, stream, _, code in parser.extract_macros()}
    finally:
        parser.close()


def _part(xlam: Path, name: str) -> bytes:
    with zipfile.ZipFile(xlam) as zf:
        return zf.read(name)


def test_package_is_a_macro_enabled_addin_with_its_ribbon(xlam):
    assert xlam.name == "thidua.xlam"
    types = etree.fromstring(_part(xlam, "[Content_Types].xml"))
    overrides = {o.get("PartName"): o.get("ContentType") for o in types.iter(f"{{{NS_CT}}}Override")}
    assert overrides["/xl/workbook.xml"] == "application/vnd.ms-excel.addin.macroEnabled.main+xml"
    rels = etree.fromstring(_part(xlam, "_rels/.rels"))
    by_type = {r.get("Type"): r.get("Target") for r in rels}
    ui_target = by_type["http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"]
    ribbon = etree.fromstring(_part(xlam, ui_target))
    assert ribbon.tag == f"{{{NS_UI}}}customUI"
    wb_rels = etree.fromstring(_part(xlam, "xl/_rels/workbook.xml.rels"))
    assert {"vbaProject.bin", "worksheets/sheet1.xml"} <= {r.get("Target") for r in wb_rels}
    assert b'codeName="ThisWorkbook"' in _part(xlam, "xl/workbook.xml")


def test_ribbon_tab_and_buttons(xlam):
    ribbon = etree.fromstring(_part(xlam, build.RIBBON_PART))
    tabs = ribbon.findall(f".//{{{NS_UI}}}tab")
    assert [t.get("label") for t in tabs] == ["Thi đua"]
    groups = tabs[0].findall(f"{{{NS_UI}}}group")
    assert len(groups) == 1
    buttons = groups[0].findall(f"{{{NS_UI}}}button")
    assert [b.get("label") for b in buttons] == list(BUTTONS)
    for b in buttons:
        assert b.get("size") == "large" and b.get("imageMso")
        assert b.get("screentip") and len(b.get("supertip")) > 20
        assert b.get("onAction")
    assert len({b.get("id") for b in buttons}) == len(buttons)


def test_every_button_calls_its_python_function(xlam, modules):
    ribbon = etree.fromstring(_part(xlam, build.RIBBON_PART))
    for button in ribbon.iter(f"{{{NS_UI}}}button"):
        module, sub = button.get("onAction").split(".")
        code = modules[module].replace("\r\n", "\n")
        body = re.search(rf"^Sub {sub}\(control As IRibbonControl\)\n(.*?)^End Sub",
                         code, re.M | re.S)
        assert body, f"{button.get('onAction')}: no ribbon callback in the VBA"
        func = BUTTONS[button.get("label")]
        assert f'RunPython "import addin.macros; addin.macros.{func}()"' in body.group(1)
        assert callable(getattr(addin.macros, func))


def test_vba_project_holds_the_sources(xlam, modules):
    expected = {m.name: m.source().decode("cp1252") for m in build.vba_modules()}
    assert set(modules) == set(expected) == {"ThisWorkbook", "Sheet1", "xlwings",
                                             "ThiduaRibbon"}
    for name, code in modules.items():
        assert code.replace("\r\n", "\n").strip() == expected[name].replace("\r\n", "\n").strip()
    assert 'PROJECT_NAME As String = "thidua"' in modules["xlwings"]
    assert "Public Function RunPython(PythonCommand As String)" in modules["xlwings"]
    assert all(ord(ch) < 128 for ch in modules["ThiduaRibbon"])


def test_vba_project_structure_is_strictly_valid(xlam):
    ole = olefile.OleFileIO(io.BytesIO(_part(xlam, "xl/vbaProject.bin")),
                            raise_defects=olefile.DEFECT_INCORRECT)
    # oletools' strict parser raises on any unexpected record or value.
    project = VBA_Project(ole, "", "PROJECT", "VBA/dir", relaxed=False)
    project.parse_project_stream()
    files = [file_name for _, file_name, _ in project.parse_modules()]
    assert files == ["ThisWorkbook.cls", "Sheet1.cls", "xlwings.bas", "ThiduaRibbon.bas"]
    assert project.projectname == "thidua" and project.codepage == 1252
    assert ole.openstream("VBA/_VBA_PROJECT").read() == bytes.fromhex("CC61FFFF000100")
    dir_stream = bytes(decompress_stream(bytearray(ole.openstream("VBA/dir").read())))
    assert b"{00020430-0000-0000-C000-000000000046}" in dir_stream  # stdole
    assert b"{2DF8D04C-5BFA-101B-BDE5-00AA0044DE52}" in dir_stream  # Office (IRibbonControl)
    text = ole.openstream("PROJECT").read().decode("cp1252")
    assert "Document=ThisWorkbook/&H00000000" in text and "Module=ThiduaRibbon" in text
    fields = dict(re.findall(r'^(CMG|DPB|GC)="([0-9A-F]+)"', text, re.M))
    project_id = re.search(r'^ID="(\{[0-9A-F-]+\})"', text, re.M).group(1)
    assert _decrypt(fields["CMG"], project_id) == bytes(4)  # not protected
    assert _decrypt(fields["DPB"], project_id) == b"\x00"  # no password
    assert _decrypt(fields["GC"], project_id) == b"\xff"  # visible


def _decrypt(hex_text: str, project_id: str) -> bytes:
    """MS-OVBA §2.4.3.3 data decryption, written from the spec for this test."""
    data = bytes.fromhex(hex_text)
    seed, version_enc, key_enc = data[0], data[1], data[2]
    assert version_enc ^ seed == 2
    key = key_enc ^ seed
    assert key == sum(project_id.encode()) & 0xFF
    plain, enc1, enc2 = key, key_enc, version_enc
    out = []
    for i, byte_enc in enumerate(data[3:]):
        byte = byte_enc ^ ((enc2 + plain) & 0xFF)
        enc2, enc1, plain = enc1, byte_enc, byte
        if i >= (seed & 6) // 2:
            out.append(byte)
    length = int.from_bytes(bytes(out[:4]), "little")
    assert length == len(out) - 4
    return bytes(out[4:])


def test_build_is_byte_for_byte_reproducible(xlam, tmp_path):
    again = build.build_addin(tmp_path / "again.xlam")
    assert again.read_bytes() == xlam.read_bytes()


@pytest.mark.parametrize("data", [
    b"",
    b"A",
    b"abcabcabcabc" * 1000,  # long matches across several chunks
    bytes(range(256)) * 16,  # exactly 4096 bytes: one full chunk
    'Sub A()\r\n    RunPython "x"\r\nEnd Sub\r\n'.encode() * 300,
    bytes(random.Random(7).randrange(256) for _ in range(8192)),  # raw chunks
])
def test_compression_round_trips_through_oletools(data):
    assert bytes(decompress_stream(bytearray(compress(data)))) == data


def test_compound_file_small_and_large_streams():
    rng = random.Random(3)
    big = bytes(rng.randrange(256) for _ in range(70_000))  # two FAT sectors
    names = [f"s{i}" for i in range(9)]
    tree = cfb.Storage({"VBA": cfb.Storage({n: n.encode() * 50 for n in names}),
                        "big": big, "empty": b""})
    ole = olefile.OleFileIO(io.BytesIO(cfb.write(tree)),
                            raise_defects=olefile.DEFECT_INCORRECT)
    assert ole.openstream("big").read() == big
    assert ole.openstream("empty").read() == b""
    for n in names:
        assert ole.openstream(f"VBA/{n}").read() == n.encode() * 50


def test_libreoffice_imports_the_vba_modules(xlam, tmp_path):
    run_soffice("--infilter=Calc MS Excel 2007 VBA XML", "--convert-to", "ods",
                "--outdir", tmp_path, xlam, timeout=120)
    ods = tmp_path / "thidua.ods"
    with zipfile.ZipFile(ods) as zf:
        ribbon = zf.read("Basic/thidua/ThiduaRibbon.xml").decode()
        workbook = zf.read("Basic/thidua/ThisWorkbook.xml").decode()
        xlwings = zf.read("Basic/thidua/xlwings.xml").decode()
    assert 'script:moduleType="normal"' in ribbon
    for func in BUTTONS.values():
        assert f"addin.macros.{func}()" in ribbon
    assert 'script:moduleType="document"' in workbook
    assert "Function RunPython(PythonCommand As String)" in xlwings


def test_cli_builds_the_addin(tmp_path):
    result = CliRunner().invoke(main, ["addin", "build", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    built = tmp_path / "thidua.xlam"
    assert built.read_bytes() == build.build_addin(tmp_path / "ref.xlam").read_bytes()


@pytest.mark.skipif(sys.platform == "win32", reason="installs for real on Windows")
def test_install_refuses_outside_windows():
    with pytest.raises(SetupError) as err:
        build.install_addin()
    assert err.value.problem.msg is Msg.ADDIN_WINDOWS_ONLY
    result = CliRunner().invoke(main, ["addin", "install"])
    assert result.exit_code == 2 and "[A01]" in result.output


class FakeRegistry:
    """The calls of ``winreg`` that install_addin makes, on a dict of key path -> values."""

    HKEY_CURRENT_USER, KEY_READ, KEY_WRITE, REG_SZ = "HKCU", 1, 2, 1

    class Key:
        def __init__(self, path):
            self.path = path

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def Close(self):
            pass

    def __init__(self, keys):
        self.keys = keys

    def OpenKey(self, root, path):
        if not any(k == path or k.startswith(path + "\\") for k in self.keys):
            raise OSError(2, "not found")
        return self.Key(path)

    def EnumKey(self, key, i):
        children = sorted({k[len(key.path) + 1:].split("\\")[0] for k in self.keys
                           if k.startswith(key.path + "\\")})
        if i >= len(children):
            raise OSError(259, "no more items")
        return children[i]

    def CreateKeyEx(self, root, path, reserved, access):
        self.keys.setdefault(path, {})
        return self.Key(path)

    def EnumValue(self, key, i):
        items = list(self.keys[key.path].items())
        if i >= len(items):
            raise OSError(259, "no more items")
        return (*items[i], self.REG_SZ)

    def SetValueEx(self, key, name, reserved, kind, value):
        self.keys[key.path][name] = value


def test_install_records_the_interpreter_where_the_addin_reads_it(tmp_path, monkeypatch):
    options = r"Software\Microsoft\Office\16.0\Excel\Options"
    registry = FakeRegistry({options: {"OPEN": '"C:\\other.xlam"'}})
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setitem(sys.modules, "winreg", registry)
    monkeypatch.setenv("APPDATA", str(tmp_path / "AppData"))
    monkeypatch.setenv("USERPROFILE", str(tmp_path / "home"))
    conf = tmp_path / "home" / ".thidua" / "thidua.conf"
    conf.parent.mkdir(parents=True)
    conf.write_text('"INTERPRETER_WIN","C:\\old\\python.exe"\r\n"SHOW CONSOLE","False"\r\n',
                    encoding="cp1252")
    result = CliRunner().invoke(main, ["addin", "install"])
    assert result.exit_code == 0, result.output
    target = tmp_path / "AppData" / "Microsoft" / "AddIns" / "thidua.xlam"
    assert target.read_bytes() == build.build_addin(tmp_path / "ref.xlam").read_bytes()
    assert registry.keys[options] == {"OPEN": '"C:\\other.xlam"', "OPEN1": f'"{target}"'}
    # What xlwings' VBA (GetConfigFilePath, Input #) reads: USERPROFILE\.thidua\thidua.conf,
    # the add-in's PROJECT_NAME, one "KEY","value" line per setting.
    vba = build.xlwings_module().code
    assert ('GetConfigFilePath = Environ("USERPROFILE") & "\\." & PROJECT_NAME & "\\" & '
            'PROJECT_NAME & ".conf"') in vba
    assert conf.read_bytes().decode("cp1252").splitlines() == [
        '"SHOW CONSOLE","False"', f'"INTERPRETER_WIN","{sys.executable}"']
    assert sys.executable in result.output and str(conf) in result.output
    assert CliRunner().invoke(main, ["addin", "install"]).exit_code == 0  # again: no change
    assert len(registry.keys[options]) == 2
    assert conf.read_text(encoding="cp1252").count("INTERPRETER_WIN") == 1


def test_every_button_first_checks_for_a_workbook_it_can_work_on(xlam, modules):
    code = modules["ThiduaRibbon"].replace("\r\n", "\n")
    for sub in ("TemplatesButton", "ConsolidateButton", "DocumentsButton", "OpenFolderButton",
                "SendTemplatesButton", "FetchReturnsButton", "SendRepliesButton",
                "FromUpperButton", "ReportUpButton"):
        body = re.search(rf"^Sub {sub}\(control As IRibbonControl\)\n(.*?)^End Sub",
                         code, re.M | re.S).group(1).strip().splitlines()
        assert body[0].strip() == "If Not CanRun() Then Exit Sub"
        assert body[1].strip().startswith("RunPython ")
    can_run = re.search(r"^Private Function CanRun\(\) As Boolean\n(.*?)^End Function",
                        code, re.M | re.S).group(1)
    assert "Set protectedView = Application.ActiveProtectedViewWindow" in can_run
    assert "If ActiveWorkbook Is Nothing Or Not protectedView Is Nothing Then" in can_run
    assert "Tell Unescaped(NO_BOOK_TEXT)" in can_run
    assert "MessageBoxW Application.hWnd, StrPtr(message), StrPtr(title)" in code


def _vba_unescaped(literal: str) -> str:
    """What ThiduaRibbon's Unescaped makes of a string literal (\\uXXXX -> the character)."""
    return re.sub(r"\\u([0-9a-f]{4})", lambda m: chr(int(m.group(1), 16)),
                  literal.replace('""', '"'))


def test_the_vba_message_is_the_catalogues_vietnamese(modules):
    code = modules["ThiduaRibbon"]
    consts = dict(re.findall(r'^Private Const (\w+) As String = "(.*)"\r?$', code, re.M))
    problem = Problem(Msg.ADDIN_NO_BOOK)
    assert _vba_unescaped(consts["NO_BOOK_TEXT"]) == f"Lỗi [C19]: {problem.text}"
    assert "Protected View" in problem.text and "TongHopThiDua.xlsx" in problem.text
    assert _vba_unescaped(consts["TITLE_TEXT"]) == addin.macros.ALERT_TITLE == "Thi đua"
    assert all(ord(ch) < 128 for ch in code) and "%" not in consts["NO_BOOK_TEXT"]
    assert max(len(line) for line in code.splitlines()) <= build.VBA_MAX_LINE
