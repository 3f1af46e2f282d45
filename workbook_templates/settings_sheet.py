"""The campaign settings as the clerk edits them: the *Cấu hình* and *Đơn vị* sheets.

The *Cấu hình* sheet is a column of blocks declared once in :data:`SETTINGS_BLOCKS`: scalar
blocks (rows ``Tham số | Giá trị | Ghi chú``) and table blocks (a header row, one row per item).
Every label is written here once; writing and reading both walk the same schema, so a
:class:`Campaign` written and read back is equal to itself.

Parsing is kept apart from file I/O: :func:`campaign_from_rows` takes plain lists of cell
values (row 0 is Excel row 1, column 0 is column A), as openpyxl, calamine or the live
workbook through xlwings give them; :func:`read_campaign` only opens the file.
"""
from __future__ import annotations

import enum
import unicodedata
from contextlib import contextmanager
from dataclasses import MISSING, dataclass, fields
from datetime import date, datetime
from itertools import chain, islice
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.table import Table, TableStyleInfo
from python_calamine import CalamineWorkbook

from . import forms, values
from .campaign import (LEVEL_NATIONAL, LEVEL_PROVINCE, ORDER_BY_NAME, ORDER_BY_UNIT,
                       TARGET_COLLECTIVE, TARGET_INDIVIDUAL, AwardForm, Campaign,
                       CRITERION_KINDS, CertificateLayout, Criterion, EmulationBlock, Event,
                       Indicator, Phase, ScoreClass, Signer, Unit, UpperLink, default_campaign)
from .campaign import SECURITY_CHOICES, MailSettings
from .messages import Msg, Problem, SetupError
from .opening import technical

SHEET_TITLE = "CẤU HÌNH PHONG TRÀO THI ĐUA"
SHEET_NOTE = ("Sửa các ô trong cột Giá trị và trong các bảng; thêm dòng ngay dưới bảng. "
              "Ngày nhập dạng ngày/tháng/năm. Không đổi tên các khối và các cột.")
TITLE_ROW = 1
FIRST_BLOCK_ROW = 4
BLOCK_GAP = 2  # empty rows between two blocks, room for the clerk to add items
SPARE_ROWS = 20  # rows under a table block (and under the unit list) that carry validation


class Kind(enum.Enum):
    """How a setting is typed, shown and parsed."""

    TEXT = "text"
    INT = "int"  # a count or a year: no thousands separator
    MONEY = "money"  # đồng: thousands separator
    FLOAT = "float"
    DATE = "date"
    YESNO = "yesno"
    CHOICE = "choice"


NUMBER_FORMATS = {Kind.INT: "0", Kind.MONEY: "#,##0", Kind.FLOAT: "0.0#",
                  Kind.DATE: "dd/mm/yyyy", Kind.TEXT: "@"}


@dataclass(frozen=True)
class Param:
    """One row of a scalar block: a Campaign attribute (dotted for nested ones)."""

    attr: str
    label: str
    kind: Kind = Kind.TEXT
    note: str = ""
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class ScalarBlock:
    key: str
    title: str
    params: tuple[Param, ...]
    note: str = ""


@dataclass(frozen=True)
class Column:
    """One column of a table block; ``attr`` names the item's attribute."""

    attr: str
    label: str
    kind: Kind = Kind.TEXT
    width: float = 16
    required: bool = False
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class TableBlock:
    """A list setting of the campaign (``key`` is its attribute), one row per item.

    ``item`` builds an item from the parsed row (keyword arguments by column attr);
    ``values`` gives a row's values back from an item. ``quotas``: after the declared
    columns, one column per unit type, holding ``AwardForm.quotas``.
    """

    key: str
    title: str
    columns: tuple[Column, ...]
    item: Callable[..., Any]
    values: Callable[[Any], dict[str, Any]]
    quotas: bool = False
    note: str = ""


Block = ScalarBlock | TableBlock

SCALAR_HEADER = ("Tham số", "Giá trị", "Ghi chú")
YES_NO_CHOICES = forms.YES_NO


def _attrs(*names: str) -> Callable[[Any], dict[str, Any]]:
    return lambda item: {n: getattr(item, n) for n in names}


GENERAL = ScalarBlock("general", "THÔNG TIN CHUNG", (
    Param("year", "Năm thi đua", Kind.INT, "Năm của phong trào thi đua."),
    Param("province", "Tỉnh", note="Địa danh ghi ở dòng ngày tháng của văn bản."),
    Param("parent_body", "Cơ quan chủ quản", note="Dòng trên bên trái tiêu đề văn bản."),
    Param("issuing_body", "Cơ quan ban hành", note="Chữ in hoa, in đậm dưới cơ quan chủ quản."),
    Param("issuing_body_full", "Tên đầy đủ cơ quan ban hành"),
    Param("standing_committee", "Ban Thường vụ", note="Ghi ở phần căn cứ và phụ lục."),
    Param("launch_document", "Văn bản phát động",
          note="Ghi chữ thường, ví dụ “phát động phong trào thi đua …”; trích dẫn ở phần căn cứ."),
    Param("current_phase", "Đợt đang thực hiện", Kind.INT,
          "Đợt mà các nút Tổng hợp, Tạo văn bản, Tạo biểu mẫu xử lý."),
    Param("base_salary", "Lương cơ sở (đồng)", Kind.MONEY,
          "Tiền thưởng = hệ số × lương cơ sở."),
    Param("rounding", "Làm tròn tiền thưởng đến (đồng)", Kind.MONEY),
    Param("signer.on_behalf", "Thay mặt", note="Ví dụ: TM. BAN THƯỜNG VỤ"),
    Param("signer.title", "Chức vụ người ký"),
    Param("signer.name", "Họ và tên người ký"),
    Param("drafting_unit", "Đơn vị soạn thảo (viết tắt)", note="Ghi ở dòng “Lưu: VT, …”."),
    Param("drafting_unit_full", "Đơn vị soạn thảo (đầy đủ)"),
    Param("office_contact", "Liên hệ của cơ quan",
          note="In trên trang Hướng dẫn của biểu mẫu gửi đơn vị."),
    Param("document_date", "Ngày ghi trên văn bản", Kind.DATE,
          "Để trống: ngày chạy chương trình."),
    Param("list_order", "Thứ tự danh sách khen thưởng", Kind.CHOICE,
          "Theo đơn vị hoặc theo tên (tên, đệm, họ).", (ORDER_BY_UNIT, ORDER_BY_NAME)),
    Param("inbox", "Thư mục nhận tệp", note="Tên thư mục con hoặc đường dẫn đầy đủ."),
    Param("outbox", "Thư mục biểu mẫu gửi đi"),
    Param("output", "Thư mục kết quả"),
    Param("max_unpacked_mb", "Dung lượng tối đa khi giải nén (MB)", Kind.INT,
          "Tệp lớn hơn không được đọc."),
    Param("register_url", "Địa chỉ sổ theo dõi",
          note="Để trống: tệp SQLite trong thư mục phong trào."),
    Param("repeat_window_years", "Số năm xét khen trùng", Kind.INT,
          "Cảnh báo khi người đã được khen trong số năm này."),
))

CERTIFICATE = ScalarBlock("certificate", "BỐ CỤC IN GIẤY KHEN", (
    Param("certificate.page_width_mm", "Khổ giấy: chiều rộng (mm)", Kind.FLOAT),
    Param("certificate.page_height_mm", "Khổ giấy: chiều cao (mm)", Kind.FLOAT),
    Param("certificate.name_top_mm", "Dòng họ tên: cách mép trên (mm)", Kind.FLOAT),
    Param("certificate.unit_top_mm", "Dòng đơn vị: cách mép trên (mm)", Kind.FLOAT),
    Param("certificate.achievement_top_mm", "Dòng thành tích: cách mép trên (mm)", Kind.FLOAT),
    Param("certificate.decision_top_mm", "Dòng quyết định: cách mép trên (mm)", Kind.FLOAT),
    Param("certificate.left_mm", "Lề trái (mm)", Kind.FLOAT),
    Param("certificate.right_mm", "Lề phải (mm)", Kind.FLOAT),
    Param("certificate.name_size_pt", "Cỡ chữ họ tên (pt)", Kind.FLOAT),
    Param("certificate.text_size_pt", "Cỡ chữ nội dung (pt)", Kind.FLOAT),
), note="Vị trí các dòng in trên phôi giấy khen in sẵn.")

LEGAL = ScalarBlock("legal", "CĂN CỨ VÀ HIỆU LỰC", (
    Param("launch_number", "Số văn bản phát động",
          note="Ví dụ: 05/KH-LĐLĐ. Để trống nếu không ghi."),
    Param("launch_date", "Ngày văn bản phát động", Kind.DATE, "Để trống nếu không ghi."),
    Param("basis_law", "Căn cứ luật", note="Không ghi chữ “Căn cứ”. Để trống: bỏ dòng này."),
    Param("basis_charter", "Căn cứ điều lệ", note="Để trống: bỏ dòng này."),
    Param("basis_rules", "Căn cứ quy chế khen thưởng", note="Để trống: bỏ dòng này."),
    Param("effect_clause", "Hiệu lực của quyết định", note="Ghi ở đầu Điều 3 của quyết định."),
), note=("Các dòng căn cứ của quyết định, tờ trình; dòng “Xét đề nghị của …” ghi đơn vị "
         "soạn thảo (đầy đủ)."))

PHASES = TableBlock("phases", "CÁC ĐỢT THI ĐUA", (
    Column("number", "Đợt", Kind.INT, 8, required=True),
    Column("theme", "Chủ đề", width=40),
    Column("start", "Từ ngày", Kind.DATE, 12, required=True),
    Column("end", "Đến ngày", Kind.DATE, 12, required=True),
    Column("deadline", "Hạn báo cáo", Kind.DATE, 12, required=True),
    Column("assessment", "Đánh giá chung", width=30),
    Column("shortcomings", "Tồn tại, hạn chế", width=30),
    Column("directions", "Phương hướng", width=30),
), Phase, _attrs("number", "theme", "start", "end", "deadline", "assessment", "shortcomings",
                 "directions"),
    note="Ba cột cuối là nội dung báo cáo sơ kết của đợt.")

MOVEMENTS = TableBlock("movements", "PHONG TRÀO THI ĐUA", (
    Column("name", forms.REGISTRATION.field("phong_trao").title, width=60, required=True),
), lambda name: name, lambda item: {"name": item})

EVENTS = TableBlock("events", "SỰ KIỆN CHÀO MỪNG", (
    Column("name", "Sự kiện", width=60, required=True),
    Column("day", "Ngày", Kind.DATE, 12),
), Event, _attrs("name", "day"))

INDICATORS = TableBlock("indicators", "CHỈ TIÊU KẾT QUẢ", (
    Column("code", "Mã", width=18, required=True),
    Column("title", forms.RESULTS.field("chi_tieu").title, width=60, required=True),
    Column("at_most", "Không vượt quá", width=18),
    Column("money", "Tiền", Kind.YESNO, 8, choices=YES_NO_CHOICES),
), lambda code, title, at_most, money: Indicator(code, title, at_most or None, money),
    _attrs("code", "title", "at_most", "money"),
    note="“Không vượt quá”: mã của chỉ tiêu mà chỉ tiêu này không được lớn hơn.")

AWARD_FORMS = TableBlock("award_forms", "HÌNH THỨC KHEN THƯỞNG", (
    Column("name", "Hình thức", width=40, required=True),
    Column("target", "Đối tượng", Kind.CHOICE, 12, True, (TARGET_COLLECTIVE, TARGET_INDIVIDUAL)),
    Column("level", "Cấp", Kind.CHOICE, 16, True, (LEVEL_PROVINCE, LEVEL_NATIONAL)),
    Column("award_name", "Tên trong văn bản", width=50, required=True),
    Column("multiplier", "Hệ số lương cơ sở", Kind.FLOAT, 12),
), lambda quotas=None, **kw: AwardForm(**kw, quotas=quotas or {}),
    _attrs("name", "target", "level", "award_name", "multiplier"), quotas=True,
    note=("Các cột sau “Hệ số lương cơ sở”: số tối đa mỗi đơn vị được đề nghị, theo loại "
          "đơn vị (tên cột là loại đơn vị); để trống hoặc 0: không được đề nghị."))

RECIPIENTS = TableBlock("recipients", "NƠI NHẬN QUYẾT ĐỊNH", (
    Column("name", "Nơi nhận", width=60, required=True),
), lambda name: name, lambda item: {"name": item},
    note="Dòng “Như Điều 3” và “Lưu: VT, …” được thêm tự động.")
REPORT_RECIPIENTS = TableBlock("report_recipients", "NƠI NHẬN BÁO CÁO", RECIPIENTS.columns,
                               RECIPIENTS.item, RECIPIENTS.values,
                               note="Dòng “Lưu: VT, …” được thêm tự động.")
PROPOSAL_RECIPIENTS = TableBlock("proposal_recipients", "NƠI NHẬN TỜ TRÌNH", RECIPIENTS.columns,
                                 RECIPIENTS.item, RECIPIENTS.values,
                                 note="Dòng “Như trên” và “Lưu: VT, …” được thêm tự động.")

NUMBERS = TableBlock("next_numbers", "SỐ VĂN BẢN", (
    Column("kind", "Loại văn bản", width=16, required=True),
    Column("number", "Số tiếp theo", Kind.INT, 12, required=True),
), lambda kind, number: (kind, number), lambda item: {"kind": item[0], "number": item[1]},
    note="Số đề xuất cho văn bản tiếp theo của mỗi loại (QĐ, BC, TTr).")

# issue 17: the office's mailbox; the password is never written here.
MAIL = ScalarBlock("mail", "THƯ ĐIỆN TỬ", (
    Param("mail.smtp_host", "Máy chủ gửi thư (SMTP)", note="Ví dụ: smtp.gmail.com"),
    Param("mail.smtp_port", "Cổng SMTP", Kind.INT, "587 (STARTTLS) hoặc 465 (SSL)."),
    Param("mail.smtp_security", "Bảo mật SMTP", Kind.CHOICE,
          "Chỉ chọn “Không mã hóa” cho máy chủ trong mạng nội bộ.", SECURITY_CHOICES),
    Param("mail.imap_host", "Máy chủ nhận thư (IMAP)", note="Ví dụ: imap.gmail.com"),
    Param("mail.imap_port", "Cổng IMAP", Kind.INT, "993 (SSL) hoặc 143 (STARTTLS)."),
    Param("mail.imap_security", "Bảo mật IMAP", Kind.CHOICE, choices=SECURITY_CHOICES),
    Param("mail.account", "Tài khoản thư", note="Địa chỉ thư của văn phòng. Mật khẩu không "
                                                "ghi ở đây: chương trình hỏi và lưu trong máy."),
    Param("mail.sender_name", "Tên người gửi"),
    Param("mail.folder", "Thư mục thư đến (IMAP)", note="Thư mục đọc bài các đơn vị gửi."),
    Param("mail.after_fetch", "Sau khi nhận bài",
          note="Để trống: giữ nguyên thư; “Đánh dấu đã đọc”; hoặc tên thư mục để chuyển thư "
               "vào. Không bao giờ xóa thư."),
    Param("mail.seconds_between", "Giãn cách giữa hai thư (giây)", Kind.FLOAT),
    Param("mail.reply_days", "Hạn gửi lại tệp đã sửa (ngày)", Kind.INT,
          "Thư phản hồi đề nghị gửi lại trong số ngày này."),
), note="Dùng cho các lệnh gửi biểu mẫu, nhận bài và gửi phản hồi qua thư điện tử.")

# issue 16: a lower level's link to the level above (empty at the province).
UPPER = ScalarBlock("upper", "BÁO CÁO LÊN CẤP TRÊN", (
    Param("upper.unit_code", "Mã đơn vị ở cấp trên",
          note="Điền sẵn từ biểu mẫu cấp trên; không sửa. Để trống: không báo cáo lên."),
    Param("upper.body", "Cơ quan cấp trên", note="Điền sẵn từ biểu mẫu cấp trên."),
    Param("upper.reporter", "Người lập biểu", note="Ghi vào trang Thông tin của báo cáo."),
    Param("upper.phone", "Điện thoại"),
    Param("upper.email", "Email"),
    Param("upper.head", "Thủ trưởng đơn vị"),
    Param("upper.workers", "Tổng số CNVCLĐ", Kind.INT),
    Param("upper.members", "Tổng số đoàn viên", Kind.INT),
), note=("Nút “Báo cáo lên cấp trên” điền biểu mẫu của cấp trên (thư mục cap_tren) từ số "
         "liệu tổng hợp."))

# issue 15: the outstanding examples and their conference (blocks a control workbook made
# before them lacks: their defaults are taken)
OUTSTANDING = ScalarBlock("outstanding", "ĐIỂN HÌNH TIÊN TIẾN", (
    Param("outstanding_phase", "Đợt gửi điển hình tiên tiến", Kind.INT,
          "Biểu mẫu của đợt này có trang Điển hình tiên tiến; 0: không đợt nào."),
    Param("delegates_allotted", "Số đại biểu được cử", Kind.INT,
          "Số đại biểu tỉnh được cử dự hội nghị."),
    Param("direct_min_percent", "Tỷ lệ tối thiểu trực tiếp sản xuất (%)", Kind.FLOAT,
          "Trong số đại biểu được chọn, phần trăm tối thiểu là công nhân, lao động trực "
          "tiếp sản xuất."),
    Param("conference_name", "Tên hội nghị"),
    Param("conference_date", "Ngày hội nghị", Kind.DATE, "Ghi trên giấy mời."),
    Param("conference_place", "Địa điểm hội nghị"),
))
DELEGATES_PER_UNIT = TableBlock("delegates_per_unit", "SỐ ĐẠI BIỂU THEO ĐƠN VỊ", (
    Column("code", forms.UNIT_LIST_FIELDS[1].title, width=12, required=True),
    Column("number", "Số đại biểu tối đa", Kind.INT, 12, required=True),
), lambda code, number: (code, number), lambda item: {"code": item[0], "number": item[1]},
    note="Để trống: không giới hạn theo đơn vị, chỉ theo tổng số đại biểu.")
# issue 14: emulation blocks, their criteria, the classification and what the ranking proposes.
LIST_SEPARATOR = ";"


def _split(text: str) -> list[str]:
    return [part.strip() for part in (text or "").split(LIST_SEPARATOR) if part.strip()]


def _joined(items: list[str]) -> str:
    return f"{LIST_SEPARATOR} ".join(items)


EMULATION_BLOCKS = TableBlock("emulation_blocks", "KHỐI THI ĐUA", (
    Column("name", "Khối thi đua", width=40, required=True),
    Column("unit_types", "Loại đơn vị thuộc khối", width=40),
    Column("unit_codes", "Mã đơn vị thuộc khối", width=24),
    Column("flags", "Số Cờ thi đua đề nghị", Kind.INT, 12),
    Column("merits", "Số Bằng khen đề nghị", Kind.INT, 12),
), lambda name, unit_types, unit_codes, flags, merits: EmulationBlock(
    name, _split(unit_types), _split(unit_codes), flags or 0, merits or 0),
    lambda b: {"name": b.name, "unit_types": _joined(b.unit_types),
               "unit_codes": _joined(b.unit_codes), "flags": b.flags, "merits": b.merits},
    note=("Nhiều loại đơn vị hoặc mã đơn vị cách nhau bằng dấu chấm phẩy (;); đơn vị ghi mã "
          "ở đây, hoặc ghi khối ở trang Đơn vị, thuộc khối đó dù loại đơn vị khác. "
          "Đơn vị xếp đầu khối được đề nghị Cờ thi đua, các đơn vị tiếp theo Bằng khen."))

CRITERIA = TableBlock("criteria", "TIÊU CHÍ CHẤM ĐIỂM THI ĐUA", (
    Column("block", "Khối thi đua", width=40, required=True),
    Column("code", "Mã tiêu chí", width=12, required=True),
    Column("section", "Phần", width=30, required=True),
    Column("title", "Tiêu chí", width=60, required=True),
    Column("max_points", "Điểm tối đa", Kind.FLOAT, 10, required=True),
    Column("kind", "Loại điểm", Kind.CHOICE, 14, choices=CRITERION_KINDS),
    Column("evidence", "Minh chứng", width=30),
), lambda kind=None, **kw: Criterion(**kw, kind=kind or CRITERION_KINDS[0]),
    _attrs("block", "code", "section", "title", "max_points", "kind", "evidence"),
    note=("Mỗi dòng một tiêu chí của bảng chấm điểm; mã tiêu chí không trùng. Điểm trừ: đơn "
          "vị ghi số điểm bị trừ (không quá điểm tối đa), được trừ vào tổng điểm."))

SCORE_CLASSES = TableBlock("score_classes", "XẾP LOẠI THI ĐUA", (
    Column("name", "Xếp loại", width=24, required=True),
    Column("min_score", "Từ (điểm)", Kind.FLOAT, 10, required=True),
), ScoreClass, _attrs("name", "min_score"),
    note="Đơn vị đạt từ số điểm này trở lên được xếp loại tương ứng (mức cao nhất đạt được).")

RANKING = ScalarBlock("ranking", "XẾP HẠNG THI ĐUA", (
    Param("ranking_flag_form", "Hình thức đề nghị cho đơn vị dẫn đầu khối",
          note="Tên hình thức khen tập thể ở khối Hình thức khen thưởng."),
    Param("ranking_merit_form", "Hình thức đề nghị cho các đơn vị tiếp theo"),
    Param("pledge_date", "Ngày ký giao ước thi đua", Kind.DATE, "Để trống: ngày chạy chương trình."),
), note=("Xếp hạng trong khối theo tổng điểm thẩm định (nếu có), nếu không theo tổng điểm tự "
         "chấm. Bằng điểm: đơn vị bị trừ ít điểm hơn xếp trên; vẫn bằng: đồng hạng."))
# Blocks a control workbook made before them lacks: read, they take their defaults.
OPTIONAL_BLOCKS = (MAIL, UPPER, OUTSTANDING, DELEGATES_PER_UNIT, EMULATION_BLOCKS, CRITERIA,
                   SCORE_CLASSES, RANKING)

SETTINGS_BLOCKS: tuple[Block, ...] = (GENERAL, LEGAL, PHASES, MOVEMENTS, EVENTS, INDICATORS,
                                      AWARD_FORMS, RECIPIENTS, REPORT_RECIPIENTS,
                                      PROPOSAL_RECIPIENTS, NUMBERS, CERTIFICATE,
                                      *OPTIONAL_BLOCKS)

# QA: a control workbook made by an earlier version. A block added since is read as its
# defaults (the clerk is told, C40): the scalars' defaults of Campaign, a list as below; a
# block renamed since is found under its former title (C41).
FORMER_TITLES = {RECIPIENTS.key: ("NƠI NHẬN",)}
ADDED_LISTS: dict[str, Callable[[dict[str, Any]], list]] = {
    # the report went to the decisions' Nơi nhận before it had its own
    REPORT_RECIPIENTS.key: lambda lists: list(lists[RECIPIENTS.key]),
    PROPOSAL_RECIPIENTS.key: lambda lists: list(default_campaign().proposal_recipients),
}
ADDED_BLOCKS = (LEGAL.key, *ADDED_LISTS)

# Campaign attributes carried by the Đơn vị sheet, by UNIT_LIST_FIELDS key.
UNIT_ATTRS = {"thu_tu": "order", "ma_don_vi": "code", "ten_don_vi": "name",
              "loai_don_vi": "type", "email": "email", "ghi_chu": "note",
              "khoi_thi_dua": "block"}
UNIT_KINDS = {forms.FieldType.INTEGER: Kind.INT}

# What a reader is told when a cell cannot be read (the detail of Msg.BAD_SETTINGS).
D_MISSING_BLOCK = "thiếu khối “{}” (tiêu đề ở cột A)."
D_MISSING_COLUMN = "khối “{}” thiếu cột “{}”."
D_MISSING_PARAM = "khối “{}” thiếu dòng “{}”."
D_UNKNOWN_PARAM = "không rõ tham số “{}”."
D_REQUIRED = "chưa nhập “{}”."
D_NOT_INT = "“{}” không phải là số nguyên."
D_NOT_NUMBER = "“{}” không phải là số."
D_NOT_DATE = "“{}” không phải là ngày (nhập dạng ngày/tháng/năm)."
D_NOT_YESNO = "“{}” không phải Có hoặc Không."
D_NOT_CHOICE = "“{}” không thuộc danh sách: {}."
D_DUPLICATE = "“{}” bị trùng (đã có ở ô {})."
D_NO_PHASE = "không có đợt {} trong khối “{}”."
D_NO_UNITS = "chưa có đơn vị nào."
D_MISSING_UNIT_HEADER = "không thấy dòng tiêu đề có cột “{}”."
# QA: what a block an older workbook lacks was read as (the detail of C40).
D_ADDED = {
    LEGAL.key: ("các văn bản ghi căn cứ Luật Thi đua, khen thưởng, Điều lệ Công đoàn Việt Nam, "
                "Quy chế Khen thưởng của tổ chức Công đoàn và câu “Quyết định có hiệu lực kể từ "
                "ngày ký.”; số, ngày của văn bản phát động chưa có nên không ghi"),
    REPORT_RECIPIENTS.key: "báo cáo gửi các nơi nhận của khối “NƠI NHẬN QUYẾT ĐỊNH”, như trước",
    PROPOSAL_RECIPIENTS.key: ("tờ trình gửi: "
                              + "; ".join(default_campaign().proposal_recipients)),
}


# --- reading ------------------------------------------------------------------------------
class _Bad(Exception):
    """A cell that cannot be read; the caller adds where it is."""


def norm(value: Any) -> str:
    """A label as compared: NFC, spaces collapsed, case-folded."""
    text = unicodedata.normalize("NFC", "" if value is None else str(value))
    return " ".join(text.split()).casefold()


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _to_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return unicodedata.normalize("NFC", str(value)).strip()


# Settings are read by the one parser of what people type (values.py): "1.500" and "15/3/95"
# mean here what they mean in a unit's return.
_PARSERS = {Kind.INT: (values.parse_integer, D_NOT_INT),
            Kind.MONEY: (values.parse_integer, D_NOT_INT),
            Kind.FLOAT: (values.parse_number, D_NOT_NUMBER),
            Kind.DATE: (values.parse_date, D_NOT_DATE)}


def _typed(value: Any, kind: Kind) -> Any:
    parse, detail = _PARSERS[kind]
    parsed = parse(value)
    if parsed.value is None or parsed.msg is not None and not parsed.ok:
        raise _Bad(detail.format(_to_text(value)))
    return parsed.value


def _to_yesno(value: Any) -> bool:
    if _is_empty(value):
        return False
    answer = values.yes_no(value)
    if answer is None:
        raise _Bad(D_NOT_YESNO.format(_to_text(value)))
    return answer


def _to_choice(value: Any, choices: Sequence[str]) -> str:
    key = norm(value)
    for choice in choices:
        if norm(choice) == key:
            return choice
    raise _Bad(D_NOT_CHOICE.format(_to_text(value), ", ".join(choices)))


def parse_value(value: Any, kind: Kind, choices: Sequence[str] = ()) -> Any:
    """One cell's value as a setting of ``kind``; empty gives None (""/False for text/yes-no).

    Raises ``_Bad`` with a Vietnamese detail when it cannot."""
    if kind is Kind.TEXT:
        return _to_text(value)
    if kind is Kind.YESNO:
        return _to_yesno(value)
    if _is_empty(value):
        return None
    if kind in _PARSERS:
        return _typed(value, kind)
    return _to_choice(value, choices)


def _cell(row: int, col: int) -> str:
    """0-based indices to an A1 address."""
    return f"{get_column_letter(col + 1)}{row + 1}"


def _fail(sheet: str, row: int, col: int, detail: str) -> SetupError:
    return SetupError(Problem(Msg.BAD_SETTINGS, sheet=sheet, cell=_cell(row, col),
                              detail=detail))


def _get(rows: Sequence[Sequence[Any]], r: int, c: int) -> Any:
    row = rows[r] if r < len(rows) else ()
    return row[c] if row is not None and c < len(row) else None


def _row_empty(row: Sequence[Any] | None) -> bool:
    return row is None or all(_is_empty(v) for v in row)


def _locate_blocks(rows: Sequence[Sequence[Any]]) -> dict[str, int]:
    """Row index of each block title found in column A; a block without its title, under
    a former one (never on the row under another block's title: "Nơi nhận" heads columns)."""
    found = _find_titles(rows, {norm(b.title): b.key for b in SETTINGS_BLOCKS})
    former = {norm(t): key for key, titles in FORMER_TITLES.items() if key not in found
              for t in titles}
    titled = {r + 1 for r in found.values()}
    found.update((key, r) for key, r in _find_titles(rows, former).items() if r not in titled)
    return found


def _find_titles(rows: Sequence[Sequence[Any]], keys: dict[str, str]) -> dict[str, int]:
    """The first row whose column A holds one of ``keys`` (normalised titles), by key."""
    found: dict[str, int] = {}
    for r in range(len(rows)):
        key = keys.get(norm(_get(rows, r, 0)))
        if key and key not in found:
            found[key] = r
    return found


def _block_rows(rows, start: int, stops: list[int]) -> tuple[int | None, list[int]]:
    """The header row index and data row indices of the block titled on row ``start``."""
    end = min([s for s in stops if s > start], default=len(rows))
    inner = [r for r in range(start + 1, end) if not _row_empty(rows[r])]
    return (inner[0], inner[1:]) if inner else (None, [])


def _header_map(rows, r: int) -> dict[str, int]:
    return {norm(v): c for c, v in enumerate(rows[r] or ()) if not _is_empty(v)}


def _read_scalars(block: ScalarBlock, rows, sheet, start, stops, out: dict, where: dict):
    header, data = _block_rows(rows, start, stops)
    cols = _header_map(rows, header) if header is not None else {}
    label_col = cols.get(norm(SCALAR_HEADER[0]), 0)
    value_col = cols.get(norm(SCALAR_HEADER[1]), 1)
    by_label = {norm(p.label): p for p in block.params}
    for r in data:
        label = _get(rows, r, label_col)
        if _is_empty(label):
            continue
        param = by_label.get(norm(label))
        if param is None:
            raise _fail(sheet, r, label_col, D_UNKNOWN_PARAM.format(_to_text(label)))
        try:
            out[param.attr] = parse_value(_get(rows, r, value_col), param.kind, param.choices)
        except _Bad as bad:
            raise _fail(sheet, r, value_col, str(bad)) from None
        where[param.attr] = (r, value_col)
    for param in block.params:
        if param.attr not in out:
            where[param.attr] = (start, 0)
            out[param.attr] = _default_of(param.attr, block, sheet, start)


def _default_of(attr: str, block: ScalarBlock, sheet: str, start: int) -> Any:
    """The dataclass default of a setting whose row was deleted (an error if it has none)."""
    owners = {"certificate": CertificateLayout, "signer": Signer, "mail": MailSettings,
              "upper": UpperLink}
    prefix, _, name = attr.rpartition(".")
    owner = owners.get(prefix, Campaign)
    spec = next(f for f in fields(owner) if f.name == name)
    if spec.default is not MISSING:
        return spec.default
    label = next(p.label for p in block.params if p.attr == attr)
    raise _fail(sheet, start, 0, D_MISSING_PARAM.format(block.title, label))


def _read_table(block: TableBlock, rows, sheet, start, stops) -> list[Any]:
    header, data = _block_rows(rows, start, stops)
    if header is None:
        if any(c.required for c in block.columns):
            raise _fail(sheet, start + 1, 0,
                        D_MISSING_COLUMN.format(block.title, block.columns[0].label))
        return []
    cols = _header_map(rows, header)
    where: dict[str, int] = {}
    for column in block.columns:
        c = cols.get(norm(column.label))
        if c is None:
            raise _fail(sheet, header, 0, D_MISSING_COLUMN.format(block.title, column.label))
        where[column.attr] = c
    quota_cols: dict[int, str] = {}
    if block.quotas:
        known = set(where.values())
        quota_cols = {c: _to_text(v) for c, v in enumerate(rows[header])
                      if c not in known and not _is_empty(v)}
    items = []
    for r in data:
        kwargs: dict[str, Any] = {}
        for column in block.columns:
            c = where[column.attr]
            try:
                value = parse_value(_get(rows, r, c), column.kind, column.choices)
            except _Bad as bad:
                raise _fail(sheet, r, c, str(bad)) from None
            if column.required and value in (None, ""):
                raise _fail(sheet, r, c, D_REQUIRED.format(column.label))
            kwargs[column.attr] = value
        if quota_cols:
            quotas = {}
            for c, unit_type in quota_cols.items():
                try:
                    value = parse_value(_get(rows, r, c), Kind.INT)
                except _Bad as bad:
                    raise _fail(sheet, r, c, str(bad)) from None
                if value is not None:
                    quotas[unit_type] = value
            kwargs["quotas"] = quotas
        if block is AWARD_FORMS and kwargs["multiplier"] is None:
            kwargs["multiplier"] = 0.0
        items.append((r, block.item(**kwargs)))
    if block is PHASES:
        _check_unique(sheet, [(r, p.number) for r, p in items], where["number"])
    if block is NUMBERS:
        _check_unique(sheet, [(r, kind) for r, (kind, _) in items], where["kind"])
    if block is CRITERIA:
        _check_unique(sheet, [(r, c.code) for r, c in items], where["code"])
    return [item for _, item in items]


def _check_unique(sheet: str, keyed: list[tuple[int, Any]], col: int) -> None:
    seen: dict[Any, int] = {}
    for r, key in keyed:
        k = norm(key) if isinstance(key, str) else key
        if k in seen:
            raise _fail(sheet, r, col, D_DUPLICATE.format(key, _cell(seen[k], col)))
        seen[k] = r


def _settle_unit_blocks(campaign: Campaign) -> None:
    """A unit's block typed on Đơn vị is kept only where it differs from the block its code
    or type gives (so the sheet written from a campaign reads back as that campaign)."""
    for unit in campaign.units:
        if unit.block:
            named, unit.block = unit.block, ""
            by_rule = campaign.block_of(unit)
            if by_rule is None or norm(by_rule.name) != norm(named):
                unit.block = named


# What many units of a long list have in common: one string kept for all (13 MB at 130,000).
_COMMON_ATTRS = ("type", "block", "note")


def units_from_rows(unit_rows: Iterable[Sequence[Any] | None]) -> list[Unit]:
    """The unit list from the *Đơn vị* sheet's values (header found in the first rows),
    read as they come: a list of 130,000 units is never held as rows."""
    sheet = forms.ControlSheet.UNITS
    code_title = forms.UNIT_LIST_FIELDS[1].title
    rows = iter(unit_rows)
    head = [list(r or ()) for r in islice(rows, _UNIT_HEADER_ROWS)]
    header = next((r for r in range(len(head)) if norm(code_title) in _header_map(head, r)),
                  None)
    if header is None:
        raise _fail(sheet, 0, 0, D_MISSING_UNIT_HEADER.format(code_title))
    cols = _unit_columns(_header_map(head, header), header)
    units: list[Unit] = []
    seen: dict[str, int] = {}
    shared: dict[str, str] = {}  # one string for each of the texts units have in common
    code_col = cols["code"][1]
    for r, row in enumerate(chain(head[header + 1:], rows), start=header + 1):
        if _row_empty(row):
            continue
        kwargs = _unit_values(row, r, cols, shared)
        code = norm(kwargs["code"])
        if code in seen:
            raise _fail(sheet, r, code_col, D_DUPLICATE.format(
                kwargs["code"], _cell(seen[code], code_col)))
        seen[code] = r
        kwargs.setdefault("order", len(units) + 1)
        units.append(Unit(**kwargs))
    if not units:
        raise _fail(sheet, header + 1, 0, D_NO_UNITS)
    return units


_UNIT_HEADER_ROWS = 10  # the header of Đơn vị is looked for in its first rows


def _unit_columns(found: dict[str, int], header: int
                  ) -> dict[str, tuple[forms.Field, int]]:
    """Each unit attribute's field and column on *Đơn vị* (a required one missing fails)."""
    cols = {}
    for f in forms.UNIT_LIST_FIELDS:
        c = found.get(norm(f.title))
        if c is not None:
            cols[UNIT_ATTRS[f.key]] = (f, c)
        elif f.required:
            sheet = forms.ControlSheet.UNITS
            raise _fail(sheet, header, 0, D_MISSING_COLUMN.format(sheet, f.title))
    return cols


def _unit_values(row: Sequence[Any], r: int, cols: dict[str, tuple[forms.Field, int]],
                 shared: dict[str, str]) -> dict[str, Any]:
    """The attributes of the unit on row ``r`` of *Đơn vị* (those given)."""
    values: dict[str, Any] = {}
    for attr, (f, c) in cols.items():
        try:
            value = parse_value(row[c] if c < len(row) else None,
                                UNIT_KINDS.get(f.type, Kind.TEXT))
        except _Bad as bad:
            raise _fail(forms.ControlSheet.UNITS, r, c, str(bad)) from None
        if f.required and not value:
            raise _fail(forms.ControlSheet.UNITS, r, c, D_REQUIRED.format(f.title))
        if attr in _COMMON_ATTRS and type(value) is str:
            value = shared.setdefault(value, value)
        if value is not None:
            values[attr] = value
    return values


def campaign_from_rows(settings_rows: Iterable[Sequence[Any] | None],
                       unit_rows: Iterable[Sequence[Any] | None]) -> Campaign:
    """A Campaign from the values of the *Cấu hình* and *Đơn vị* sheets (both from A1, row
    by row).

    Raises :class:`SetupError` (Msg.BAD_SETTINGS, with sheet and cell) on anything it cannot
    read."""
    sheet = forms.ControlSheet.SETTINGS
    rows = [list(r) if r is not None else [] for r in settings_rows]
    starts = _locate_blocks(rows)
    for block in SETTINGS_BLOCKS:
        if block.key not in starts and block not in OPTIONAL_BLOCKS \
                and block.key not in ADDED_BLOCKS:
            raise _fail(sheet, 0, 0, D_MISSING_BLOCK.format(block.title))
    stops = sorted(starts.values())
    scalars: dict[str, Any] = {}
    where: dict[str, tuple[int, int]] = {}
    lists: dict[str, Any] = {}
    for block in SETTINGS_BLOCKS:
        if block.key not in starts:
            if block not in OPTIONAL_BLOCKS:  # an older workbook's (see settings_notes)
                _take_defaults(block, scalars, lists, sheet)
        elif isinstance(block, ScalarBlock):
            _read_scalars(block, rows, sheet, starts[block.key], stops, scalars, where)
        else:
            lists[block.key] = _read_table(block, rows, sheet, starts[block.key], stops)
    lists["next_numbers"] = dict(lists["next_numbers"])
    if DELEGATES_PER_UNIT.key in lists:
        lists[DELEGATES_PER_UNIT.key] = dict(lists[DELEGATES_PER_UNIT.key])
    top = {k: v for k, v in scalars.items() if "." not in k}
    signer = Signer(**{k.split(".")[1]: v for k, v in scalars.items() if k.startswith("signer.")})
    certificate = CertificateLayout(**{k.split(".")[1]: v for k, v in scalars.items()
                                       if k.startswith("certificate.")})
    mail = MailSettings(**{k.split(".")[1]: v for k, v in scalars.items()
                           if k.startswith("mail.") and v is not None})
    upper = UpperLink(**{k.split(".")[1]: v for k, v in scalars.items()
                         if k.startswith("upper.")})
    for attr in ("year", "current_phase", "base_salary", "rounding", "max_unpacked_mb",
                 "repeat_window_years"):
        if top[attr] is None:
            r, c = where[attr]
            label = next(p.label for p in GENERAL.params if p.attr == attr)
            raise _fail(sheet, r, c, D_REQUIRED.format(label))
    for attr in ("outstanding_phase", "delegates_allotted", "direct_min_percent"):
        if attr in top and top[attr] is None:  # issue 15
            r, c = where[attr]
            label = next(p.label for p in OUTSTANDING.params if p.attr == attr)
            raise _fail(sheet, r, c, D_REQUIRED.format(label))
    if top["list_order"] is None:
        top["list_order"] = ORDER_BY_UNIT
    campaign = Campaign(**top, **lists, units=units_from_rows(unit_rows), signer=signer,
                        certificate=certificate, mail=mail, upper=upper)
    _settle_unit_blocks(campaign)
    if not any(p.number == campaign.current_phase for p in campaign.phases):
        r, c = where["current_phase"]
        raise _fail(sheet, r, c, D_NO_PHASE.format(campaign.current_phase, PHASES.title))
    return campaign


def _take_defaults(block: Block, scalars: dict, lists: dict, sheet: str) -> None:
    """The values of a block an older control workbook does not have."""
    if isinstance(block, ScalarBlock):
        scalars.update((p.attr, _default_of(p.attr, block, sheet, 0)) for p in block.params)
    else:
        lists[block.key] = ADDED_LISTS[block.key](lists)


def settings_notes(settings_rows: Iterable[Sequence[Any] | None]) -> list[Problem]:
    """What reading *Cấu hình* (row 0 is Excel row 1) assumed of a control workbook made by
    an earlier version: each block added since, read as its defaults (C40), each block
    found under its former title (C41)."""
    sheet = forms.ControlSheet.SETTINGS
    rows = [list(r) if r is not None else [] for r in settings_rows]
    starts = _locate_blocks(rows)
    by_key = {b.key: b for b in SETTINGS_BLOCKS}
    notes = [Problem(Msg.SETTINGS_BLOCK_RENAMED, sheet=sheet, cell=_cell(starts[key], 0),
                     value=_to_text(_get(rows, starts[key], 0)), expected=by_key[key].title)
             for key in FORMER_TITLES if key in starts
             and norm(_get(rows, starts[key], 0)) != norm(by_key[key].title)]
    return notes + [Problem(Msg.SETTINGS_BLOCK_ADDED, sheet=sheet, value=by_key[key].title,
                            detail=D_ADDED[key])
                    for key in ADDED_BLOCKS if key not in starts]


def read_settings_notes(path: str | Path) -> list[Problem]:
    """:func:`settings_notes` of the control workbook file at ``path`` (none when it cannot
    be read: reading the campaign says why)."""
    try:
        with _sheet_rows(Path(path), (forms.ControlSheet.SETTINGS,)) as (settings,):
            return settings_notes(settings)
    except (SetupError, OSError):
        return []


def next_number_cells(settings_rows: Sequence[Sequence[Any]]) -> dict[str, tuple[int, int]]:
    """Where the *Cấu hình* values (row 0 is Excel row 1) hold each document kind's next
    number: kind -> (row, column), 0-based; empty when the block is not found."""
    rows = [list(r) if r is not None else [] for r in settings_rows]
    starts = _locate_blocks(rows)
    if NUMBERS.key not in starts:
        return {}
    header, data = _block_rows(rows, starts[NUMBERS.key], sorted(starts.values()))
    cols = _header_map(rows, header) if header is not None else {}
    kind_col, number_col = (cols.get(norm(c.label)) for c in NUMBERS.columns)
    if kind_col is None or number_col is None:
        return {}
    return {str(_get(rows, r, kind_col)).strip(): (r, number_col) for r in data
            if not _is_empty(_get(rows, r, kind_col))}


def read_campaign(path: str | Path) -> Campaign:
    """The Campaign stored on the control workbook file at ``path``."""
    with _sheet_rows(Path(path), _CAMPAIGN_SHEETS) as (settings, units):
        return campaign_from_rows(settings, units)


_CAMPAIGN_SHEETS = (forms.ControlSheet.SETTINGS, forms.ControlSheet.UNITS)


@contextmanager
def _sheet_rows(path: Path, sheets: tuple[str, ...]) -> Iterator[list[Iterator[tuple]]]:
    """The rows of each of ``sheets`` of the file at ``path``, read as they are asked for:
    only those sheets are read (*Đơn vị* has a row per unit). python-calamine reads them:
    openpyxl, even read-only, parsed every sheet's relationships first — the links of a
    control workbook of 130,000 units, two thirds of its 9.6 s of opening."""
    if not path.exists():
        raise SetupError(Problem(Msg.NO_CONTROL_WORKBOOK, value=str(path)))
    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # noqa: BLE001 — not a workbook calamine can open
        raise _unopened(path, forms.ControlSheet.SETTINGS, exc) from exc
    try:
        rows = []
        for name in sheets:
            if name not in book.sheet_names:
                raise SetupError(Problem(Msg.NOT_CONTROL_WORKBOOK, value=path.name,
                                         expected=name))
            try:
                rows.append(map(_as_openpyxl_row, book.get_sheet_by_name(name).iter_rows()))
            except Exception as exc:  # noqa: BLE001 — the sheet's XML is damaged
                raise _unopened(path, name, exc) from exc
        yield rows
    finally:
        book.close()


def _unopened(path: Path, sheet: str, exc: Exception) -> SetupError:
    """The control workbook could not be read at all (damaged, or no longer a workbook);
    what the reader said goes to the technical log, never to the clerk."""
    return SetupError(Problem(Msg.NOT_CONTROL_WORKBOOK, value=path.name, expected=sheet,
                              technical=technical(exc)))


def _as_openpyxl_row(row: list[Any]) -> tuple:
    """A row as openpyxl gives it: an empty cell None, a whole number an int."""
    return tuple(None if v == "" else int(v) if type(v) is float and v.is_integer() else v
                 for v in row)


# --- writing ------------------------------------------------------------------------------
TITLE_FONT = Font(bold=True, size=14)
BLOCK_FONT = Font(bold=True, size=12, color="1F4E79")
NOTE_FONT = Font(italic=True, color="595959")
TABLE_STYLE = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
ERROR_TITLE = "Giá trị không hợp lệ"
VALIDATION_TEXT = {
    Kind.INT: "Nhập số nguyên.",
    Kind.MONEY: "Nhập số tiền bằng đồng (số nguyên).",
    Kind.FLOAT: "Nhập một số.",
    Kind.DATE: "Nhập ngày dạng ngày/tháng/năm, ví dụ 25/06/2020.",
    Kind.YESNO: "Chọn Có hoặc Không.",
    Kind.CHOICE: "Chọn một giá trị trong danh sách.",
}


def unit_types(campaign: Campaign) -> list[str]:
    """Unit types in first-seen order: from the unit list, then from the award quotas."""
    seen = dict.fromkeys(u.type for u in campaign.ordered_units())
    for award in campaign.award_forms:
        seen.update(dict.fromkeys(award.quotas))
    return list(seen)


def _validation(kind: Kind, choices: Sequence[str] = (), source: str | None = None,
                ) -> DataValidation | None:
    """A warning-style validation for a kind of setting (None for free text)."""
    if kind is Kind.TEXT and not source:
        return None
    error = VALIDATION_TEXT.get(kind, VALIDATION_TEXT[Kind.CHOICE])
    common = dict(allow_blank=True, errorStyle="warning", showErrorMessage=True,
                  errorTitle=ERROR_TITLE, error=error)
    if kind in (Kind.YESNO, Kind.CHOICE) or source:
        items = YES_NO_CHOICES if kind is Kind.YESNO else choices
        formula = source or '"' + ",".join(items) + '"'
        return DataValidation(type="list", formula1=formula, **common)
    if kind in (Kind.INT, Kind.MONEY):
        return DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0",
                              **common)
    if kind is Kind.FLOAT:
        return DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0",
                              **common)
    return DataValidation(type="date", operator="greaterThanOrEqual", formula1="1", **common)


def _show(value: Any, kind: Kind) -> Any:
    if kind is Kind.YESNO:
        return forms.YES if value else forms.NO
    if value == "" or value is None:
        return None
    return value


def _fresh_sheet(wb: Workbook, title: str):
    if title in wb.sheetnames:
        index = wb.sheetnames.index(title)
        wb.remove(wb[title])
        return wb.create_sheet(title, index)
    return wb.create_sheet(title)


def _add_table(ws, name: str, first_row: int, last_row: int, n_cols: int) -> None:
    ref = f"A{first_row}:{get_column_letter(n_cols)}{max(last_row, first_row + 1)}"
    table = Table(displayName=name, ref=ref)
    table.tableStyleInfo = TABLE_STYLE
    ws.add_table(table)


def _write_block_title(ws, row: int, block: Block) -> None:
    ws.cell(row, 1, block.title).font = BLOCK_FONT
    if block.note:
        ws.cell(row, 2, block.note).font = NOTE_FONT


def _write_scalars(ws, row: int, block: ScalarBlock, campaign: Campaign) -> int:
    _write_block_title(ws, row, block)
    for c, label in enumerate(SCALAR_HEADER, start=1):
        ws.cell(row + 1, c, label)
    validations: dict[tuple, DataValidation] = {}
    r = row + 2
    for param in block.params:
        value = campaign
        for part in param.attr.split("."):
            value = getattr(value, part)
        ws.cell(r, 1, param.label)
        cell = ws.cell(r, 2, _show(value, param.kind))
        cell.number_format = NUMBER_FORMATS.get(param.kind, "General")
        cell.alignment = Alignment(horizontal="left", wrap_text=True, vertical="top")
        ws.cell(r, 3, param.note).font = NOTE_FONT
        dv_key = (param.kind, param.choices)
        if param.kind is not Kind.TEXT:
            if dv_key not in validations:
                validations[dv_key] = _validation(param.kind, param.choices)
                ws.add_data_validation(validations[dv_key])
            validations[dv_key].add(cell.coordinate)
        r += 1
    _add_table(ws, f"tbl_{block.key}", row + 1, r - 1, len(SCALAR_HEADER))
    return r


def _write_table(ws, row: int, block: TableBlock, campaign: Campaign,
                 types: list[str], sources: dict[str, str]) -> int:
    _write_block_title(ws, row, block)
    columns = list(block.columns)
    labels = [c.label for c in columns] + (types if block.quotas else [])
    for c, label in enumerate(labels, start=1):
        ws.cell(row + 1, c, label).alignment = Alignment(wrap_text=True, vertical="center")
    items = getattr(campaign, block.key)
    items = list(items.items()) if isinstance(items, dict) else list(items)
    first = row + 2
    for i, item in enumerate(items):
        values = block.values(item)
        for c, column in enumerate(columns, start=1):
            ws.cell(first + i, c, _show(values[column.attr], column.kind))
        if block.quotas:
            for c, unit_type in enumerate(types, start=len(columns) + 1):
                ws.cell(first + i, c, item.quotas.get(unit_type))
    last = first + max(len(items), 1) - 1
    spare_last = last + SPARE_ROWS
    kinds = [(c.kind, c.choices, sources.get(f"{block.key}.{c.attr}")) for c in columns]
    kinds += [(Kind.INT, (), None)] * (len(labels) - len(columns))
    for c, (kind, choices, source) in enumerate(kinds, start=1):
        letter = get_column_letter(c)
        fmt = NUMBER_FORMATS.get(kind)
        if fmt and kind is not Kind.TEXT:
            for r in range(first, spare_last + 1):
                ws.cell(r, c).number_format = fmt
        elif kind is Kind.TEXT:
            for r in range(first, last + 1):
                ws.cell(r, c).alignment = WRAP_TOP
        dv = _validation(kind, choices, source)
        if dv is not None:
            dv.add(f"{letter}{first}:{letter}{spare_last}")
            ws.add_data_validation(dv)
    _add_table(ws, f"tbl_{block.key}", row + 1, last, len(labels))
    return last + 1


def _block_heights(campaign: Campaign) -> dict[str, tuple[int, int]]:
    """First row of each block and the row its data starts on (1-based)."""
    out, row = {}, FIRST_BLOCK_ROW
    for block in SETTINGS_BLOCKS:
        if isinstance(block, ScalarBlock):
            n = len(block.params)
        else:
            n = max(len(getattr(campaign, block.key)), 1)
        out[block.key] = (row, row + 2)
        row += 2 + n + BLOCK_GAP
    return out


def write_settings(wb: Workbook, campaign: Campaign) -> None:
    """Write (or rewrite) the *Cấu hình* and *Đơn vị* sheets of ``wb`` from ``campaign``."""
    ws = _fresh_sheet(wb, forms.ControlSheet.SETTINGS)
    ws.cell(TITLE_ROW, 1, SHEET_TITLE).font = TITLE_FONT
    ws.cell(TITLE_ROW + 1, 1, SHEET_NOTE).font = NOTE_FONT
    types = unit_types(campaign)
    positions = _block_heights(campaign)
    ind_first = positions[INDICATORS.key][1]
    ind_last = ind_first + max(len(campaign.indicators), 1) - 1 + SPARE_ROWS
    sources = {"indicators.at_most": f"$A${ind_first}:$A${ind_last}"}
    widths: dict[int, float] = {1: 36, 2: 44, 3: 40}
    for block in SETTINGS_BLOCKS:
        row = positions[block.key][0]
        if isinstance(block, ScalarBlock):
            _write_scalars(ws, row, block, campaign)
        else:
            _write_table(ws, row, block, campaign, types, sources)
            for c, column in enumerate(block.columns, start=1):
                widths[c] = max(widths.get(c, 0), column.width)
            if block.quotas:
                for c in range(len(block.columns) + 1, len(block.columns) + len(types) + 1):
                    widths[c] = max(widths.get(c, 0), 14)
    for c, width in widths.items():
        ws.column_dimensions[get_column_letter(c)].width = width
    ws.sheet_view.zoomScale = 90
    awards_header = positions[AWARD_FORMS.key][0] + 1
    first_quota = len(AWARD_FORMS.columns) + 1
    type_range = (f"{quote_sheetname(ws.title)}!${get_column_letter(first_quota)}${awards_header}"
                  f":${get_column_letter(first_quota + max(len(types), 1) - 1)}${awards_header}")
    _write_units(wb, campaign, type_range)


def _unit_value(campaign: Campaign, unit: Unit, key: str) -> Any:
    if UNIT_ATTRS[key] == "block":  # the block the unit is in, however it got there
        block = campaign.block_of(unit)
        return block.name if block else None
    return getattr(unit, UNIT_ATTRS[key]) or None


def _write_units(wb: Workbook, campaign: Campaign, type_range: str) -> None:
    ws = _fresh_sheet(wb, forms.ControlSheet.UNITS)
    header = forms.CONTROL_HEADER_ROW
    for c, f in enumerate(forms.UNIT_LIST_FIELDS, start=1):
        cell = ws.cell(header, c, f.title)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[get_column_letter(c)].width = f.width
    units = campaign.units  # as listed: the order column says how they sort
    for r, unit in enumerate(units, start=header + 1):
        for c, f in enumerate(forms.UNIT_LIST_FIELDS, start=1):
            ws.cell(r, c, getattr(unit, UNIT_ATTRS[f.key]) if f.key == "thu_tu"
                    else _unit_value(campaign, unit, f.key))
    last = header + max(len(units), 1)
    spare_last = last + SPARE_ROWS
    for c, f in enumerate(forms.UNIT_LIST_FIELDS, start=1):
        letter = get_column_letter(c)
        if f.key == "loai_don_vi":
            dv = _validation(Kind.CHOICE, source=type_range)
        elif f.type is forms.FieldType.INTEGER:
            dv = _validation(Kind.INT)
        else:
            continue
        dv.add(f"{letter}{header + 1}:{letter}{spare_last}")
        ws.add_data_validation(dv)
    _add_table(ws, "tbl_don_vi", header, last, len(forms.UNIT_LIST_FIELDS))
    ws.freeze_panes = ws.cell(header + 1, 1)
