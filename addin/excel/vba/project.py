"""A VBA project storage (MS-OVBA §2.2-2.4) built from module sources.

``_VBA_PROJECT`` has version 0xFFFF and no performance cache (§2.3.4.1), and every module
stream holds only compressed source (text offset 0), so Office compiles from source on
first load. The project references stdole and the Office library (``IRibbonControl``).
Protection bytes are encrypted (§2.4.3.2) with a fixed seed, so builds are reproducible.
"""
from __future__ import annotations

import struct
from dataclasses import dataclass

from . import cfb
from .compression import compress

CODE_PAGE = 1252
LCID = 0x0409
HOST_EXTENDER = "&H00000001={3832D640-CF90-11CF-8E43-00A0C911005A};VBE;&H00000000"
# Class of the host object behind a document module (Excel's Workbook and Worksheet).
WORKBOOK_CLSID = "{00020819-0000-0000-C000-000000000046}"
WORKSHEET_CLSID = "{00020820-0000-0000-C000-000000000046}"
REFERENCES = (
    ("stdole", r"*\G{00020430-0000-0000-C000-000000000046}#2.0#0#"
               r"C:\Windows\System32\stdole2.tlb#OLE Automation"),
    ("Office", r"*\G{2DF8D04C-5BFA-101B-BDE5-00AA0044DE52}#2.0#0#"
               r"C:\Program Files\Common Files\Microsoft Shared\OFFICE16\MSO.DLL#"
               r"Microsoft Office 16.0 Object Library"),
)
_SEED = 0x5D  # fixed seed of the protection-state encryption


@dataclass(frozen=True)
class Module:
    """One VBA module: its name, its code (without ``Attribute`` lines) and kind."""

    name: str
    code: str
    document_clsid: str = ""  # set for document modules (ThisWorkbook, sheets)

    @property
    def is_document(self) -> bool:
        return bool(self.document_clsid)

    def source(self) -> bytes:
        """The module text as Excel stores it: attributes first, CRLF, cp1252."""
        lines = [f'Attribute VB_Name = "{self.name}"']
        if self.is_document:
            lines += [f'Attribute VB_Base = "0{self.document_clsid}"',
                      "Attribute VB_GlobalNameSpace = False",
                      "Attribute VB_Creatable = False",
                      "Attribute VB_PredeclaredId = True",
                      "Attribute VB_Exposed = True",
                      "Attribute VB_TemplateDerived = False",
                      "Attribute VB_Customizable = True"]
        body = self.code.replace("\r\n", "\n").strip("\n")
        text = "\r\n".join(lines + (body.split("\n") if body else [])) + "\r\n"
        return text.encode("cp1252")


def module_from_bas(text: str) -> Module:
    """A standard module from exported ``.bas`` text (its ``Attribute VB_Name`` line names it)."""
    lines = text.replace("\r\n", "\n").split("\n")
    first = lines[0].strip()
    prefix = "Attribute VB_Name = "
    if not first.startswith(prefix):
        raise ValueError("a .bas module must start with its Attribute VB_Name line")
    return Module(first[len(prefix):].strip('"'), "\n".join(lines[1:]))


def _record(rid: int, data: bytes) -> bytes:
    return struct.pack("<HI", rid, len(data)) + data


def _text_pair(rid: int, rid_unicode: int, text: str) -> bytes:
    return _record(rid, text.encode("cp1252")) + _record(rid_unicode, text.encode("utf-16-le"))


def _dir_stream(name: str, modules: list[Module]) -> bytes:
    """The decompressed ``dir`` stream (§2.3.4.2)."""
    out = bytearray()
    out += _record(0x0001, struct.pack("<I", 1))  # SysKind: Win32
    out += _record(0x0002, struct.pack("<I", LCID))
    out += _record(0x0014, struct.pack("<I", LCID))
    out += _record(0x0003, struct.pack("<H", CODE_PAGE))
    out += _record(0x0004, name.encode("cp1252"))
    out += _text_pair(0x0005, 0x0040, "")  # doc string
    out += _text_pair(0x0006, 0x003D, "")  # help file
    out += _record(0x0007, struct.pack("<I", 0))  # help context
    out += _record(0x0008, struct.pack("<I", 0))  # lib flags
    out += struct.pack("<HIIH", 0x0009, 4, 1, 0)  # version 1.0
    out += _text_pair(0x000C, 0x003C, "")  # constants
    for ref_name, libid in REFERENCES:
        out += _text_pair(0x0016, 0x003E, ref_name)
        lib = libid.encode("cp1252")
        body = struct.pack("<I", len(lib)) + lib + struct.pack("<IH", 0, 0)
        out += _record(0x000D, body)
    out += _record(0x000F, struct.pack("<H", len(modules)))
    out += _record(0x0013, struct.pack("<H", 0xFFFF))
    for m in modules:
        out += _text_pair(0x0019, 0x0047, m.name)
        out += _text_pair(0x001A, 0x0032, m.name)  # stream name
        out += _text_pair(0x001C, 0x0048, "")  # doc string
        out += _record(0x0031, struct.pack("<I", 0))  # source at offset 0: no p-code
        out += _record(0x001E, struct.pack("<I", 0))  # help context
        out += _record(0x002C, struct.pack("<H", 0xFFFF))  # cookie
        out += _record(0x0022 if m.is_document else 0x0021, b"")
        out += _record(0x002B, b"")  # module terminator
    out += _record(0x0010, b"")  # dir terminator
    return bytes(out)


def _encrypt(project_id: str, data: bytes) -> str:
    """Data encryption of the PROJECT stream's CMG/DPB/GC values (§2.4.3.2)."""
    key = sum(project_id.encode("ascii")) & 0xFF
    out = [_SEED, _SEED ^ 2, _SEED ^ key]
    plain, enc1, enc2 = key, out[2], out[1]
    for _ in range((_SEED & 6) // 2):  # ignored bytes, all zero
        byte_enc = 0 ^ ((enc2 + plain) & 0xFF)
        out.append(byte_enc)
        enc2, enc1, plain = enc1, byte_enc, 0
    for byte in struct.pack("<I", len(data)) + data:
        byte_enc = byte ^ ((enc2 + plain) & 0xFF)
        out.append(byte_enc)
        enc2, enc1, plain = enc1, byte_enc, byte
    return bytes(out).hex().upper()


def _project_stream(project_id: str, name: str, modules: list[Module]) -> bytes:
    """The PROJECT stream (§2.3.1): module list, name, protection, window layout."""
    lines = [f'ID="{project_id}"']
    lines += [f"Document={m.name}/&H00000000" if m.is_document else f"Module={m.name}"
              for m in modules]
    lines += [f'Name="{name}"', 'HelpContextID="0"', 'VersionCompatible32="393222000"',
              f'CMG="{_encrypt(project_id, bytes(4))}"',  # not protected
              f'DPB="{_encrypt(project_id, bytes(1))}"',  # no password
              f'GC="{_encrypt(project_id, bytes([0xFF]))}"',  # visible
              "", "[Host Extender Info]", HOST_EXTENDER, "", "[Workspace]"]
    lines += [f"{m.name}=0, 0, 0, 0, C" for m in modules]
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


def _projectwm(modules: list[Module]) -> bytes:
    """PROJECTwm: each module name in MBCS and UTF-16 (§2.3.3)."""
    out = bytearray()
    for m in modules:
        out += m.name.encode("cp1252") + b"\x00" + m.name.encode("utf-16-le") + b"\x00\x00"
    return bytes(out) + b"\x00\x00"


def build_vba_project(name: str, project_id: str, modules: list[Module]) -> bytes:
    """``vbaProject.bin``: a compound file with the PROJECT, PROJECTwm and VBA storages."""
    vba = cfb.Storage({
        "_VBA_PROJECT": struct.pack("<HHBH", 0x61CC, 0xFFFF, 0x00, 0x0001),
        "dir": compress(_dir_stream(name, modules)),
    })
    for m in modules:
        vba.children[m.name] = compress(m.source())
    root = cfb.Storage({
        "PROJECT": _project_stream(project_id, name, modules),
        "PROJECTwm": _projectwm(modules),
        "VBA": vba,
    })
    return cfb.write(root)
