"""The province's standard forms, declared once.

Everything that writes, reads, checks or consolidates a unit workbook reads this module:
sheet titles, column titles, types, required flags, choices, bounds, locked cells, hints and
widths are written here and nowhere else (see ``shared/forms.md``).

A form is one sheet of the unit workbook. Three layouts exist:

* ``RECORD``: one value per row (label in column A, value in column B) -- *Thông tin*;
* ``FIXED``: one pre-filled, locked row per item of a campaign setting (movements,
  indicators) -- *Đăng ký thi đua*, *Kết quả*;
* ``TABLE``: free rows typed by the unit -- works, initiatives, nominations.

Choices that depend on the campaign are named by a :class:`ChoiceSource`; the campaign
resolves them (``Campaign.choices``). Cross-field rules are declared as :class:`Rule` data
and implemented once by the checker.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Iterable

FORM_ID = "thidua.unit-return"
FORM_VERSION = "2020.1"

# Rows of every sheet of the unit workbook (1-based, as Excel counts them).
TITLE_ROW = 1
SUBTITLE_ROW = 2
HEADER_ROW = 4
FIRST_DATA_ROW = 5
# Free rows prepared (formatted, validated, unlocked) in each TABLE sheet of a template.
TABLE_ENTRY_ROWS = 200

# Text bounds by kind: a name, any other text (titles, units, choices), an email address, a
# long account (under Excel's 32,767 characters a cell holds, with room for the sheet's own).
NAME_MAX = 100
TEXT_MAX = 250
EMAIL_MAX = 254
LONGTEXT_MAX = 32_000
_TYPE_MAX = {"text": TEXT_MAX, "choice": TEXT_MAX, "email": EMAIL_MAX, "longtext": LONGTEXT_MAX}

YES = "Có"
NO = "Không"
YES_NO = (YES, NO)

INSTRUCTIONS_SHEET = "Hướng dẫn"
LISTS_SHEET = "Danh mục"
META_SHEET = "_thidua_meta"
# Columns of a RECORD sheet (Thông tin): the field title, the entered value, the hint.
RECORD_COLUMNS = ("Nội dung", "Giá trị", "Hướng dẫn")
# Rows of the meta sheet: key in column A, value in column B (keys are ``records.Meta`` fields).
META_KEYS = ("form_id", "version", "unit_code", "phase", "year", "generated")


class FieldType(enum.Enum):
    """What a cell holds; drives formats, validation, parsing and checks."""

    TEXT = "text"
    LONGTEXT = "longtext"
    INTEGER = "integer"
    NUMBER = "number"
    MONEY = "money"
    DATE = "date"
    CHOICE = "choice"
    YESNO = "yesno"
    PHONE = "phone"
    EMAIL = "email"


class ChoiceSource(enum.Enum):
    """Lists of choices that come from the campaign settings (or a fixed catalogue)."""

    MOVEMENTS = "movements"
    EVENTS = "events"
    COLLECTIVE_FORMS = "collective_forms"  # by unit type
    INDIVIDUAL_FORMS = "individual_forms"  # by unit type
    ETHNIC_GROUPS = "ethnic_groups"


class DateWindow(enum.Enum):
    """Where a date must lie, relative to the campaign."""

    PHASE = "phase"  # inside the phase being reported
    YEAR = "year"  # inside the campaign year
    UNTIL_PHASE_END = "until_phase_end"  # any date up to the end of the phase
    REPORTING = "reporting"  # from the phase start to the report deadline


class Layout(enum.Enum):
    RECORD = "record"
    FIXED = "fixed"
    TABLE = "table"


@dataclass(frozen=True)
class Field:
    """One column (or, on a RECORD sheet, one row) of a form."""

    key: str
    title: str
    type: FieldType = FieldType.TEXT
    required: bool = False
    choices: tuple[str, ...] | ChoiceSource | None = None
    min: float | None = None
    max: float | None = None
    max_length: int | None = None
    date_window: DateWindow | None = None
    locked: bool = False
    hint: str = ""
    width: float = 14
    default: str | None = None
    identity: bool = False  # pre-filled from the unit/campaign and compared on reading
    severity_warning: bool = False  # a broken bound is a warning, the value is kept
    number_format: str | None = None  # Excel format code; None: the type's (TYPE_FORMAT)
    # issue 14: FIXED rows whose items are records (criteria): the item attribute a locked
    # cell is pre-filled with, and the item attribute bounding an entry cell from above.
    item_attr: str | None = None
    max_item: str | None = None

    @property
    def length_limit(self) -> int | None:
        """The most characters a text of this field may hold: its own ``max_length``, else
        the bound of its type (None for numbers, dates, yes/no and phones)."""
        return self.max_length or _TYPE_MAX.get(self.type.value)


class RuleKind(enum.Enum):
    REQUIRED_IF_YES = "required_if_yes"  # if `field` is Có, every `targets` is required
    NOT_BEFORE = "not_before"  # `field` is not before `targets[0]` (same row)
    AT_MOST_INFO = "at_most_info"  # `field` is at most the Thông tin value `targets[0]`
    AT_MOST_FIELD = "at_most_field"  # `field` is at most `targets[0]` (same record)
    AGE_BETWEEN = "age_between"  # birth year gives an age in [min, max] in the campaign year


@dataclass(frozen=True)
class Rule:
    kind: RuleKind
    field: str
    targets: tuple[str, ...] = ()
    bounds: tuple[int, int] | None = None
    warning: bool = False


@dataclass(frozen=True)
class Scoring:
    """What makes a FIXED form a scoring table (issue 14): the field holding each item's
    points, the cell under the table where the unit writes its total, and the form whose
    consolidated sheet receives the proposals of the ranking."""

    points: str
    total: Field
    proposes_on: str


@dataclass(frozen=True)
class Form:
    """One sheet of the unit workbook."""

    key: str
    sheet: str
    title: str  # the heading printed on row 1
    layout: Layout
    fields: tuple[Field, ...]
    rules: tuple[Rule, ...] = ()
    row_source: str | None = None  # FIXED: the campaign list giving one row per item
    row_key: str | None = None  # FIXED: the locked field holding that item
    free_text: Field | None = None  # a free text cell below a FIXED table
    # A sheet a return may lack (a template made before the office asked for it, a unit
    # with nothing to propose): its absence is noted, not an error (issue 15).
    optional: bool = False
    scoring: Scoring | None = None  # issue 14: a scoring table, ranked on consolidation
    year_end: bool = False  # issue 14: only in the templates of the year's last phase

    def field(self, key: str) -> Field:
        for f in self.fields:
            if f.key == key:
                return f
        raise KeyError(f"{self.key}: no field {key!r}")

    @property
    def cells_below(self) -> tuple[Field, ...]:
        """The single cells under a FIXED table: the free text, the unit's total."""
        return tuple(f for f in (self.free_text, self.scoring and self.scoring.total) if f)

    @property
    def entry_fields(self) -> tuple[Field, ...]:
        """Fields the unit types into (not locked, not the row number)."""
        return tuple(f for f in self.fields if not f.locked and f.key != "stt")


class NumberFormat:
    """Excel number format codes of the forms' cells (English codes, as Excel stores them)."""

    PLAIN = "0"  # years, codes, row numbers: 1973, not 1,973
    COUNT = "#,##0"  # counts and amounts of money: 1,500,000
    DECIMAL = "#,##0.0##"  # a number that has decimals: 39.5 (a whole 39 stays COUNT)
    DATE = "dd/mm/yyyy"
    DATE_TIME = "dd/mm/yyyy hh:mm"
    TEXT = "@"  # kept as typed: "0912 345 678", "01"


_MIDNIGHT = datetime.min.time()
TYPE_FORMAT = {
    FieldType.INTEGER: NumberFormat.COUNT,
    FieldType.NUMBER: NumberFormat.COUNT,
    FieldType.MONEY: NumberFormat.COUNT,
    FieldType.DATE: NumberFormat.DATE,
}


def cell_format(f: Field, value: Any = None) -> str:
    """The number format of ``f``'s cell holding ``value``: the field's own format or its
    type's (text types: TEXT); decimals only where a number has them, the time only where a
    date has one."""
    if isinstance(value, float) and f.type is FieldType.NUMBER and not value.is_integer():
        return NumberFormat.DECIMAL
    if isinstance(value, datetime) and f.type is FieldType.DATE and value.time() != _MIDNIGHT:
        return NumberFormat.DATE_TIME
    return f.number_format or TYPE_FORMAT.get(f.type, NumberFormat.TEXT)


def _stt() -> Field:
    return Field("stt", "STT", FieldType.INTEGER, locked=True, width=6,
                 number_format=NumberFormat.PLAIN)


INFO = Form(
    key="thong_tin",
    sheet="Thông tin",
    title="THÔNG TIN ĐƠN VỊ BÁO CÁO",
    layout=Layout.RECORD,
    fields=(
        Field("ma_don_vi", "Mã đơn vị", locked=True, identity=True),
        Field("ten_don_vi", "Tên đơn vị", locked=True, identity=True),
        Field("loai_don_vi", "Loại đơn vị", locked=True, identity=True),
        Field("nam", "Năm", FieldType.INTEGER, locked=True, identity=True,
              number_format=NumberFormat.PLAIN),
        Field("dot", "Đợt", FieldType.INTEGER, locked=True, identity=True,
              number_format=NumberFormat.PLAIN),
        Field("phien_ban", "Phiên bản biểu mẫu", locked=True, identity=True),
        Field("so_cdcs", "Số CĐCS trực thuộc", FieldType.INTEGER, min=0,
              hint="Số công đoàn cơ sở trực thuộc đơn vị (số nguyên, không âm)."),
        Field("tong_cnvcld", "Tổng số CNVCLĐ", FieldType.INTEGER, min=0,
              hint="Tổng số công nhân, viên chức, lao động (số nguyên, không âm)."),
        Field("tong_doan_vien", "Tổng số đoàn viên", FieldType.INTEGER, min=0,
              hint="Tổng số đoàn viên công đoàn; thường không lớn hơn tổng số CNVCLĐ."),
        Field("nguoi_lap", "Người lập biểu", required=True, max_length=NAME_MAX,
              hint="Họ và tên người lập biểu."),
        Field("dien_thoai", "Điện thoại", FieldType.PHONE, required=True,
              hint="10–11 chữ số, có thể có dấu cách hoặc dấu chấm."),
        Field("email", "Email", FieldType.EMAIL, hint="Không bắt buộc, ví dụ: congdoan@gmail.com"),
        Field("ngay_bao_cao", "Ngày báo cáo", FieldType.DATE, required=True,
              date_window=DateWindow.YEAR, hint="Ngày/tháng/năm, ví dụ 25/06/2020."),
        Field("thu_truong", "Thủ trưởng đơn vị", required=True, max_length=NAME_MAX,
              hint="Họ và tên thủ trưởng (chủ tịch) đơn vị."),
    ),
    rules=(
        Rule(RuleKind.AT_MOST_FIELD, "tong_doan_vien", ("tong_cnvcld",), warning=True),
    ),
)

REGISTRATION = Form(
    key="dang_ky",
    sheet="Đăng ký thi đua",
    title="ĐĂNG KÝ THAM GIA CÁC PHONG TRÀO THI ĐUA",
    layout=Layout.FIXED,
    row_source="movements",
    row_key="phong_trao",
    fields=(
        _stt(),
        Field("phong_trao", "Phong trào, cuộc vận động", locked=True, width=48),
        Field("dang_ky", "Đăng ký", FieldType.YESNO, choices=YES_NO, width=10,
              hint="Chọn Có hoặc Không."),
        Field("so_cdcs_tham_gia", "Số CĐCS tham gia", FieldType.INTEGER, min=0, width=12,
              hint="Bắt buộc khi Đăng ký = Có; không vượt quá số CĐCS trực thuộc."),
        Field("so_nguoi_tham_gia", "Số đoàn viên, CNVCLĐ tham gia", FieldType.INTEGER, min=0,
              width=16, hint="Bắt buộc khi Đăng ký = Có; không vượt quá tổng số CNVCLĐ."),
        Field("noi_dung", "Nội dung, chỉ tiêu đăng ký", FieldType.LONGTEXT, max_length=1000,
              width=40),
    ),
    rules=(
        Rule(RuleKind.REQUIRED_IF_YES, "dang_ky", ("so_cdcs_tham_gia", "so_nguoi_tham_gia")),
        Rule(RuleKind.AT_MOST_INFO, "so_cdcs_tham_gia", ("so_cdcs",)),
        Rule(RuleKind.AT_MOST_INFO, "so_nguoi_tham_gia", ("tong_cnvcld",)),
    ),
)

WORKS = Form(
    key="cong_trinh",
    sheet="Công trình, sản phẩm",
    title="CÔNG TRÌNH, SẢN PHẨM CHÀO MỪNG",
    layout=Layout.TABLE,
    fields=(
        _stt(),
        Field("ten", "Tên công trình, sản phẩm", required=True, width=36),
        Field("loai", "Loại", FieldType.CHOICE,
              choices=("Công trình", "Sản phẩm", "Phần việc", "Đề tài"), width=12),
        Field("don_vi_thuc_hien", "Đơn vị thực hiện", required=True, width=26),
        Field("su_kien", "Chào mừng sự kiện", FieldType.CHOICE, choices=ChoiceSource.EVENTS,
              width=30),
        Field("gia_tri", "Giá trị (đồng)", FieldType.MONEY, min=0, width=16,
              hint="Số tiền bằng đồng, ví dụ 1500000."),
        Field("ngay_khoi_cong", "Ngày khởi công", FieldType.DATE,
              date_window=DateWindow.UNTIL_PHASE_END, width=12),
        Field("ngay_hoan_thanh", "Ngày hoàn thành", FieldType.DATE,
              date_window=DateWindow.PHASE, width=12,
              hint="Trong thời gian của đợt thi đua; không trước ngày khởi công."),
        Field("de_nghi_gan_bien", "Đề nghị gắn biển", FieldType.YESNO, choices=YES_NO, width=10),
        Field("ghi_chu", "Ghi chú", width=20),
    ),
    rules=(Rule(RuleKind.NOT_BEFORE, "ngay_hoan_thanh", ("ngay_khoi_cong",)),),
)

INITIATIVES = Form(
    key="sang_kien",
    sheet="Sáng kiến",
    title="SÁNG KIẾN, GIẢI PHÁP",
    layout=Layout.TABLE,
    fields=(
        _stt(),
        Field("ten", "Tên sáng kiến, giải pháp", required=True, width=40),
        Field("tac_gia", "Tác giả", required=True, max_length=NAME_MAX, width=28,
              hint="Nhiều tác giả cách nhau bằng dấu chấm phẩy (;)."),
        Field("don_vi", "Đơn vị", required=True, width=26),
        Field("cap_cong_nhan", "Cấp công nhận", FieldType.CHOICE,
              choices=("Cơ sở", "Ngành", "Tỉnh", "Chưa công nhận"), width=14),
        Field("gia_tri_lam_loi", "Giá trị làm lợi (đồng)", FieldType.MONEY, min=0, width=16),
        Field("ngay_cong_nhan", "Ngày công nhận", FieldType.DATE, date_window=DateWindow.YEAR,
              width=12),
    ),
)

COLLECTIVE_NOMINATIONS = Form(
    key="khen_tap_the",
    sheet="Khen tập thể",
    title="DANH SÁCH TẬP THỂ ĐỀ NGHỊ KHEN THƯỞNG",
    layout=Layout.TABLE,
    fields=(
        _stt(),
        Field("ten_tap_the", "Tên tập thể", required=True, width=36),
        Field("thuoc_don_vi", "Thuộc đơn vị", required=True, width=28),
        Field("hinh_thuc", "Hình thức đề nghị", FieldType.CHOICE, required=True,
              choices=ChoiceSource.COLLECTIVE_FORMS, width=32),
        Field("phong_trao", "Phong trào", FieldType.CHOICE, choices=ChoiceSource.MOVEMENTS,
              width=30),
        Field("thanh_tich", "Thành tích tóm tắt", FieldType.LONGTEXT, required=True,
              max_length=1000, width=60),
    ),
)

INDIVIDUAL_NOMINATIONS = Form(
    key="khen_ca_nhan",
    sheet="Khen cá nhân",
    title="DANH SÁCH CÁ NHÂN ĐỀ NGHỊ KHEN THƯỞNG",
    layout=Layout.TABLE,
    fields=(
        _stt(),
        Field("ho_ten", "Họ và tên", required=True, max_length=NAME_MAX, width=24),
        Field("gioi_tinh", "Giới tính", FieldType.CHOICE, choices=("Nam", "Nữ"), width=8),
        Field("nam_sinh", "Năm sinh", FieldType.INTEGER, width=8,
              number_format=NumberFormat.PLAIN, hint="Năm sinh đủ 4 chữ số; tuổi trong năm thi đua từ 18 đến 70."),
        Field("dan_toc", "Dân tộc", FieldType.CHOICE, choices=ChoiceSource.ETHNIC_GROUPS,
              default="Kinh", width=10),
        Field("chuc_vu", "Chức vụ, nghề nghiệp", required=True, width=24),
        Field("don_vi_cong_tac", "Đơn vị công tác", required=True, width=28),
        Field("truc_tiep_sx", "Trực tiếp sản xuất", FieldType.YESNO, choices=YES_NO, width=10),
        Field("hinh_thuc", "Hình thức đề nghị", FieldType.CHOICE, required=True,
              choices=ChoiceSource.INDIVIDUAL_FORMS, width=32),
        Field("phong_trao", "Phong trào", FieldType.CHOICE, choices=ChoiceSource.MOVEMENTS,
              width=30),
        Field("thanh_tich", "Thành tích tóm tắt", FieldType.LONGTEXT, required=True,
              max_length=1000, width=60),
    ),
    rules=(Rule(RuleKind.AGE_BETWEEN, "nam_sinh", bounds=(18, 70)),),
)

RESULTS = Form(
    key="ket_qua",
    sheet="Kết quả",
    title="KẾT QUẢ PHONG TRÀO THI ĐUA",
    layout=Layout.FIXED,
    row_source="indicators",
    row_key="chi_tieu",
    fields=(
        _stt(),
        Field("chi_tieu", "Chỉ tiêu", locked=True, width=60),
        Field("gia_tri", "Kết quả", FieldType.NUMBER, min=0, width=18,
              hint="Số liệu của đợt thi đua (số, không âm)."),
        Field("ghi_chu", "Ghi chú", width=30),
    ),
    free_text=Field("danh_gia", "Đánh giá, kiến nghị", FieldType.LONGTEXT, max_length=5000,
                    hint="Đánh giá chung, khó khăn, kiến nghị của đơn vị."),
)

# issue 14: the unit's self-scoring against its emulation block's criteria (year end).
SELF_SCORE = Form(
    key="tu_cham_diem",
    sheet="Tự chấm điểm",
    title="BẢNG TỰ CHẤM ĐIỂM THI ĐUA",
    layout=Layout.FIXED,
    row_source="criteria",
    row_key="ma_tieu_chi",
    fields=(
        _stt(),
        Field("ma_tieu_chi", "Mã tiêu chí", locked=True, width=10, item_attr="code"),
        Field("phan", "Phần", locked=True, width=24, item_attr="section"),
        Field("tieu_chi", "Tiêu chí", locked=True, width=48, item_attr="title"),
        Field("loai_diem", "Loại điểm", locked=True, width=12, item_attr="kind"),
        Field("diem_toi_da", "Điểm tối đa", FieldType.NUMBER, locked=True, width=10,
              item_attr="max_points"),
        Field("diem_tu_cham", "Điểm tự chấm", FieldType.NUMBER, min=0, width=10,
              max_item="max_points",
              hint="Từ 0 đến điểm tối đa của tiêu chí; điểm trừ: ghi số điểm bị trừ."),
        Field("minh_chung", "Minh chứng", FieldType.LONGTEXT, max_length=1000, width=40,
              hint="Văn bản, số liệu chứng minh điểm tự chấm."),
    ),
    scoring=Scoring(
        points="diem_tu_cham",
        total=Field("tong_diem", "Tổng điểm tự chấm", FieldType.NUMBER, min=0,
                    hint="Cộng điểm các tiêu chí và điểm thưởng, trừ điểm trừ."),
        proposes_on="khen_tap_the",
    ),
    year_end=True,
)

UNIT_FORMS: tuple[Form, ...] = (
    INFO, REGISTRATION, WORKS, INITIATIVES, COLLECTIVE_NOMINATIONS, INDIVIDUAL_NOMINATIONS,
    RESULTS,
)
NOMINATION_FORMS = (COLLECTIVE_NOMINATIONS, INDIVIDUAL_NOMINATIONS)
# issue 14: the sheets only the year's last phase asks for, and every form of any phase (what
# the template writer, reader, checks and consolidation take; each keeps a phase's own).
YEAR_END_FORMS: tuple[Form, ...] = (SELF_SCORE,)
ALL_UNIT_FORMS: tuple[Form, ...] = (*UNIT_FORMS, *YEAR_END_FORMS)


def forms_of_phase(form_defs: Iterable[Form], year_end: bool | None) -> tuple[Form, ...]:
    """The forms of a phase's templates: the year-end forms only at the year end (all of
    them when it is not known which phase it is)."""
    return tuple(f for f in form_defs if not f.year_end or year_end is not False)


def row_value(item: Any, f: Field) -> Any:
    """What a FIXED row's ``item`` puts in ``f``'s locked cell (the item itself when the
    items are plain names)."""
    return getattr(item, f.item_attr) if f.item_attr else item

# --- issue 15: outstanding examples (điển hình tiên tiến) ------------------------------
COLLECTIVE = "Tập thể"
INDIVIDUAL = "Cá nhân"
# What the register keeps of an outstanding example: proposed as this, chosen as that.
OUTSTANDING_PROPOSED = "Điển hình tiên tiến"
DELEGATE_FORM = "Đại biểu Hội nghị điển hình tiên tiến"
STORY_MIN = 200  # a story shorter than this is too short to publish
STORY_MAX = 8000
OUTSTANDING = Form(
    key="dien_hinh",
    sheet="Điển hình tiên tiến",
    title="ĐIỂN HÌNH TIÊN TIẾN ĐỀ NGHỊ TUYÊN DƯƠNG",
    layout=Layout.TABLE,
    fields=(
        _stt(),
        Field("doi_tuong", "Tập thể/Cá nhân", FieldType.CHOICE, required=True,
              choices=(INDIVIDUAL, COLLECTIVE), default=INDIVIDUAL, width=11),
        replace(INDIVIDUAL_NOMINATIONS.field("ho_ten"), title="Họ và tên (tên tập thể)"),
        *(INDIVIDUAL_NOMINATIONS.field(k) for k in ("gioi_tinh", "nam_sinh", "dan_toc")),
        replace(INDIVIDUAL_NOMINATIONS.field("chuc_vu"), required=False),
        INDIVIDUAL_NOMINATIONS.field("don_vi_cong_tac"),
        Field("truc_tiep_sx", "Công nhân, lao động trực tiếp sản xuất", FieldType.YESNO,
              choices=YES_NO, default=NO, width=12),
        Field("mo_hinh", "Mô hình, cách làm hay", required=True, width=36),
        Field("thanh_tich", "Thành tích, câu chuyện điển hình", FieldType.LONGTEXT,
              max_length=STORY_MAX, width=60,
              hint=f"Câu chuyện điển hình (từ {STORY_MIN} chữ cái trở lên) để đăng bản tin, "
                   "kỷ yếu hội nghị."),
        Field("giai_doan", "Giai đoạn", default="2015-2020", width=11,
              hint="Các năm của thành tích, ví dụ 2015-2020."),
        Field("dien_thoai", "Điện thoại liên hệ", FieldType.PHONE, width=14),
    ),
    rules=(Rule(RuleKind.AGE_BETWEEN, "nam_sinh", bounds=(18, 70)),),
    optional=True,
)


def phase_forms(phase: int, outstanding_phase: int, year_end: bool) -> tuple[Form, ...]:
    """The forms of the unit workbook of ``phase``: the outstanding examples are asked for in
    the phase the office sets (``Campaign.outstanding_phase``) only, the year-end forms
    (issue 14) in the year's last phase only."""
    return (UNIT_FORMS + ((OUTSTANDING,) if phase == outstanding_phase else ())
            + (YEAR_END_FORMS if year_end else ()))


def with_title(form: Form, field_key: str, title: str) -> Form:
    """A copy of ``form`` with one column retitled (used where a campaign renames a column)."""
    return replace(form, fields=tuple(
        replace(f, title=title) if f.key == field_key else f for f in form.fields))


def template_file_name(unit_code: str, phase: int, year: int) -> str:
    """``<Mã đơn vị>_Dot<N>_<Năm>.xlsx`` as forms.md names the unit workbook."""
    return f"{unit_code}_Dot{phase}_{year}.xlsx"


# --- The control workbook (the clerk's) -------------------------------------------------
# Every sheet Consolidate writes has its header on row 1 and data from row 2; a totals row,
# where there is one, says TOTAL_LABEL in its name column.
CONTROL_HEADER_ROW = 1
TOTAL_LABEL = "TỔNG CỘNG"

class ControlSheet:
    """Sheet titles of the control workbook."""

    SETTINGS = "Cấu hình"
    UNITS = "Đơn vị"
    STATUS = "Tình hình nộp"
    PROBLEMS = "Lỗi"
    REGISTRATION = "Đăng ký"
    WORKS = "Công trình"
    INITIATIVES = "Sáng kiến"
    COLLECTIVE = "Khen tập thể"
    INDIVIDUAL = "Khen cá nhân"
    RESULTS = "Kết quả"
    CHART = "Biểu đồ"
    HISTORY = "Lịch sử"
    PREFLIGHT = "Kiểm tra trước khi in"
    MAIL_LOG = "Thư đi, thư đến"  # issue 17
    OUTSTANDING = "Điển hình"  # issue 15
    SCORING = "Chấm điểm"  # issue 14


# Consolidated sheet of the control workbook for each table form of the unit workbook.
CONSOLIDATED_SHEET = {
    REGISTRATION.key: ControlSheet.REGISTRATION,
    WORKS.key: ControlSheet.WORKS,
    INITIATIVES.key: ControlSheet.INITIATIVES,
    COLLECTIVE_NOMINATIONS.key: ControlSheet.COLLECTIVE,
    INDIVIDUAL_NOMINATIONS.key: ControlSheet.INDIVIDUAL,
    RESULTS.key: ControlSheet.RESULTS,
    OUTSTANDING.key: ControlSheet.OUTSTANDING,  # issue 15
    **{f.key: ControlSheet.SCORING for f in YEAR_END_FORMS if f.scoring},
}

# Columns put before the form's own columns in every consolidated sheet.
SOURCE_FIELDS = (
    Field("ma_don_vi", "Mã đơn vị", width=10),
    Field("ten_don_vi", "Tên đơn vị", width=28),
)
# After the form's own columns: where the row came from.
ORIGIN_FIELDS = (
    Field("tep", "Tệp", width=24),
    Field("o", "Ô", width=8),
)
NOMINATION_ID = Field("ma_de_nghi", "Mã đề nghị", width=16,
                      hint="Mã ổn định của đề nghị; không sửa.")
# The clerk's review columns: a new Consolidate keeps what the clerk entered here.
REVIEW_FIELDS = (
    Field("duyet", "Duyệt", FieldType.YESNO, choices=YES_NO, width=8),
    Field("hinh_thuc_duoc_khen", "Hình thức được khen", FieldType.CHOICE, width=32),
    Field("ghi_chu_duyet", "Ghi chú", width=30),
    Field("da_xem_xet", "Đã xem xét", FieldType.YESNO, choices=YES_NO, width=10,
          hint="Có: cảnh báo của dòng đã được xem xét (ghi lý do ở Ghi chú) nên vẫn đưa vào "
               "văn bản."),
)
# The open findings of a row (code and short reason), written by Consolidate next to Duyệt.
FLAGS_FIELD = Field("canh_bao", "Cảnh báo", FieldType.LONGTEXT, width=40)

STATUS_SUBMITTED = "Đã nộp"
STATUS_LATE = "Nộp muộn"
STATUS_MISSING = "Chưa nộp"
STATUS_ERRORS = "Có lỗi"

STATUS_FIELDS = (
    Field("stt", "STT", FieldType.INTEGER, width=6, number_format=NumberFormat.PLAIN),
    Field("dot", "Đợt", FieldType.INTEGER, width=6, number_format=NumberFormat.PLAIN),
    Field("ma_don_vi", "Mã đơn vị", width=10),
    Field("ten_don_vi", "Tên đơn vị", width=32),
    Field("loai_don_vi", "Loại đơn vị", width=22),
    Field("tinh_trang", "Tình trạng", width=12),
    Field("tep", "Tệp", width=30),
    Field("thoi_gian_nhan", "Thời gian nhận", FieldType.DATE, width=17),
    Field("so_loi", "Số lỗi", FieldType.INTEGER, width=8),
    Field("so_canh_bao", "Số cảnh báo", FieldType.INTEGER, width=10),
    Field("ghi_chu", "Ghi chú", width=40),
)

PROBLEM_FIELDS = (
    Field("muc_do", "Mức độ", width=10),
    Field("ma_loi", "Mã", width=7),
    Field("ma_don_vi", "Mã đơn vị", width=10),
    Field("tep", "Tệp", width=28),
    Field("sheet", "Trang tính", width=18),
    Field("o", "Ô", width=7),
    Field("gia_tri", "Giá trị tìm thấy", width=22),
    Field("yeu_cau", "Yêu cầu", width=28),
    Field("noi_dung", "Nội dung", width=60),
    Field("lien_ket", "Mở ô", width=10),
    Field("chi_tiet_ky_thuat", "Chi tiết kỹ thuật", width=40),  # a library's words (issue 10)
)

# *Kiểm tra trước khi in*: what stopped Documents, one row per finding of an approved row.
PREFLIGHT_FIELDS = (
    Field("muc_do", "Mức độ", width=10),
    Field("ma_loi", "Mã", width=7),
    Field("ma_don_vi", "Mã đơn vị", width=10),
    Field("trang", "Trang tính", width=14),
    Field("dong", "Dòng", FieldType.INTEGER, width=7),
    Field("ten", "Tên tập thể, cá nhân", width=30),
    Field("noi_dung", "Nội dung", width=70),
    Field("lien_ket", "Mở dòng", width=10),
)

# issue 17: the *Thư đi, thư đến* sheet, one row per message sent or attachment received.
MAIL_LOG_FIELDS = (
    Field("thoi_gian", "Thời gian", FieldType.DATE, width=17),
    Field("loai", "Loại thư", width=16),
    Field("dot", "Đợt", FieldType.INTEGER, width=6),
    Field("ma_don_vi", "Mã đơn vị", width=10),
    Field("dia_chi", "Địa chỉ", width=30),
    Field("tep", "Tệp", width=36),
    Field("message_id", "Message-ID", width=40),
    Field("ket_qua", "Kết quả", width=14),
    Field("ghi_chu", "Ghi chú", width=50),
)

UNIT_LIST_FIELDS = (
    Field("thu_tu", "Thứ tự", FieldType.INTEGER, width=7, number_format=NumberFormat.PLAIN),
    Field("ma_don_vi", "Mã đơn vị", required=True, width=10),
    Field("ten_don_vi", "Tên đơn vị", required=True, width=36),
    Field("loai_don_vi", "Loại đơn vị", required=True, width=24),
    Field("email", "Email", FieldType.EMAIL, width=28),
    Field("ghi_chu", "Ghi chú", width=24),
    Field("khoi_thi_dua", "Khối thi đua", width=30),  # issue 14
)

# The *Lịch sử* sheet: each nomination the register remembers, over all phases and years.
HISTORY_FIELDS = (
    Field("nam", "Năm", FieldType.INTEGER, width=7, number_format=NumberFormat.PLAIN),
    Field("dot", "Đợt", FieldType.INTEGER, width=6, number_format=NumberFormat.PLAIN),
    Field("ma_don_vi", "Mã đơn vị", width=10),
    NOMINATION_ID,
    Field("doi_tuong", "Đối tượng", width=10),
    Field("ten", "Tên tập thể, cá nhân", width=32),
    Field("nam_sinh", "Năm sinh", FieldType.INTEGER, width=8, number_format=NumberFormat.PLAIN),
    Field("hinh_thuc", "Hình thức đề nghị", width=32),
    Field("duyet", "Duyệt", width=8),
    Field("hinh_thuc_duoc_khen", "Hình thức được khen", width=32),
    Field("van_ban", "Văn bản", width=36),
)


def results_fields(indicators) -> tuple[Field, ...]:
    """Columns of the consolidated *Kết quả* sheet: one row per unit, one column per indicator
    of the campaign (``Campaign.indicators``), then the unit's assessment."""
    per_indicator = tuple(
        Field(i.code, i.title, FieldType.MONEY if i.money else FieldType.NUMBER, width=16)
        for i in indicators)
    assessment = replace(RESULTS.free_text, width=40)  # a paragraph: a wide column
    return (*SOURCE_FIELDS, *per_indicator, assessment,
            Field("ghi_chu", "Ghi chú", width=30), *ORIGIN_FIELDS[:1])


def titles(fields: Iterable[Field]) -> list[str]:
    return [f.title for f in fields]


def consolidated_fields(form: Form) -> tuple[Field, ...]:
    """The columns of the consolidated sheet of ``form`` in the control workbook."""
    if form.key == OUTSTANDING.key:
        return outstanding_fields()
    own = tuple(f for f in form.fields if f.key != "stt")
    if form in NOMINATION_FORMS:
        return (NOMINATION_ID, *SOURCE_FIELDS, *own, FLAGS_FIELD, *REVIEW_FIELDS,
                *ORIGIN_FIELDS)
    if form.key == WORKS.key:
        return (*SOURCE_FIELDS, *own, FLAGS_FIELD, *ORIGIN_FIELDS)
    return (*SOURCE_FIELDS, *own, *ORIGIN_FIELDS)


# --- issue 15: the *Điển hình* sheet -------------------------------------------------------
# The clerk's columns on *Điển hình*, kept across runs.
DELEGATE_REVIEW_FIELDS = (
    Field("chon_dai_bieu", "Chọn làm đại biểu", FieldType.YESNO, choices=YES_NO, width=10),
    Field("ghi_chu_chon", "Ghi chú", width=30),
)


def outstanding_fields() -> tuple[Field, ...]:
    """The columns of *Điển hình*: the proposal, its findings, the clerk's choice, its origin."""
    own = tuple(f for f in OUTSTANDING.fields if f.key != "stt")
    return (NOMINATION_ID, *SOURCE_FIELDS, *own, FLAGS_FIELD, *DELEGATE_REVIEW_FIELDS,
            *ORIGIN_FIELDS)


def review_fields(form: Form) -> tuple[Field, ...]:
    """The clerk's columns of ``form``'s consolidated sheet that a new Consolidate keeps."""
    if form in NOMINATION_FORMS:
        return REVIEW_FIELDS
    return DELEGATE_REVIEW_FIELDS if form.key == OUTSTANDING.key else ()


# Forms whose consolidated rows carry an id and the clerk's kept columns.
REVIEWED_FORMS = (*NOMINATION_FORMS, OUTSTANDING)


# --- issue 14: the Chấm điểm sheet (one row per unit of a block) --------------------------
RANKING_SOURCE = "Xếp hạng thi đua"  # what Tệp says on a proposal made by the ranking
BLOCK_FIELD = Field("khoi_thi_dua", "Khối thi đua", width=28)
# The federation's columns, after the self-scores: kept across runs (per section, added).
ASSESSED_TOTAL = Field("tong_tham_dinh", "Tổng điểm thẩm định", FieldType.NUMBER, width=12)
ASSESSED_NOTE = Field("ghi_chu_tham_dinh", "Ghi chú thẩm định", width=30)
BASIS_ASSESSED, BASIS_SELF = "Thẩm định", "Tự chấm"  # which score a unit is ranked by
RANKING_FIELDS = (
    Field("diem_xep_hang", "Điểm xếp hạng", FieldType.NUMBER, width=10),
    Field("can_cu_xep_hang", "Căn cứ xếp hạng", width=10),
    Field("xep_hang", "Xếp hạng trong khối", FieldType.INTEGER, width=10,
          number_format=NumberFormat.PLAIN),
    Field("dong_hang", "Đồng hạng", width=10),
    Field("xep_loai", "Xếp loại", width=14),
)


def assessed_field(section_number: int, section: str) -> Field:
    """The federation's score of one section (numbered from 1 in the order of Cấu hình)."""
    return Field(f"tham_dinh_{section_number}", f"Thẩm định {section}", FieldType.NUMBER,
                 width=12)


def scoring_fields(form: Form, codes: Iterable[str], sections: Iterable[str]
                   ) -> tuple[tuple[Field, ...], tuple[str, ...]]:
    """The columns of a scoring form's consolidated sheet (one per criterion code, then the
    self-score total, the federation's per section and total, the ranking) and the keys of
    the federation's columns, which a new consolidation keeps."""
    per_item = tuple(Field(f"diem_{code}", code, FieldType.NUMBER, width=8) for code in codes)
    assessed = (*(assessed_field(i, s) for i, s in enumerate(sections, start=1)),
                ASSESSED_TOTAL, ASSESSED_NOTE)
    fields = (*SOURCE_FIELDS, BLOCK_FIELD, *per_item,
              replace(form.scoring.total, width=12), *assessed, *RANKING_FIELDS,
              FLAGS_FIELD, *ORIGIN_FIELDS[:1])
    return fields, tuple(f.key for f in assessed)


def standing_fields(form: Form) -> tuple[Field, ...]:
    """The columns of a scoring form's consolidated sheet that documents read (the unit, its
    block, the totals, the rank and the class)."""
    return (*SOURCE_FIELDS, BLOCK_FIELD, form.scoring.total, ASSESSED_TOTAL, *RANKING_FIELDS)
