"""Campaign settings: what changes from year to year and province to province.

The built-in default is the 2020 movement of LĐLĐ tỉnh Cao Bằng (``shared/seed``,
``shared/domain.md``). The clerk edits these values on the *Cấu hình* and *Đơn vị* sheets of
the control workbook; :mod:`workbook_templates.settings_sheet` reads and writes them there.
Values marked "sample" in the unit list are synthetic where the real ones are not known.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .forms import ChoiceSource, Form, phase_forms
from .messages import Msg, Problem, SetupError

# The 54 ethnic groups of Vietnam (Tổng cục Thống kê list of names).
ETHNIC_GROUPS = (
    "Kinh", "Tày", "Thái", "Mường", "Khmer", "Hoa", "Nùng", "Mông", "Dao", "Gia Rai", "Ê Đê",
    "Ba Na", "Sán Chay", "Chăm", "Cơ Ho", "Xơ Đăng", "Sán Dìu", "Hrê", "Ra Glai", "Mnông",
    "Thổ", "Xtiêng", "Khơ Mú", "Bru - Vân Kiều", "Cơ Tu", "Giáy", "Tà Ôi", "Mạ",
    "Giẻ - Triêng", "Co", "Chơ Ro", "Xinh Mun", "Hà Nhì", "Chu Ru", "Lào", "Kháng", "La Chí",
    "Phù Lá", "La Hủ", "La Ha", "Pà Thẻn", "Chứt", "Lự", "Lô Lô", "Mảng", "Cờ Lao", "Bố Y",
    "Cống", "Ngái", "Si La", "Pu Péo", "Rơ Măm", "Brâu", "Ơ Đu",
)

# Unit types (Loại đơn vị) of the units that report to the province.
UT_DISTRICT = "LĐLĐ huyện, thành phố"
UT_SECTOR = "Công đoàn ngành"
UT_PUBLIC = "Công đoàn Viên chức tỉnh"
UT_GRASSROOTS = "CĐCS trực thuộc"
UNIT_TYPES = (UT_DISTRICT, UT_SECTOR, UT_PUBLIC, UT_GRASSROOTS)

TARGET_COLLECTIVE = "Tập thể"
TARGET_INDIVIDUAL = "Cá nhân"
LEVEL_PROVINCE = "LĐLĐ tỉnh"  # the province awards it
LEVEL_NATIONAL = "Tổng Liên đoàn"  # the province proposes it upward

ORDER_BY_UNIT = "Theo đơn vị"
ORDER_BY_NAME = "Theo tên"

# The legal frame's defaults (domain.md: the laws and rules in force in 2020).
LAW_BASIS = ("Luật Thi đua, khen thưởng ngày 26 tháng 11 năm 2003; Luật sửa đổi, bổ sung một "
             "số điều của Luật Thi đua, khen thưởng ngày 14 tháng 6 năm 2005 và ngày 16 tháng "
             "11 năm 2013")
CHARTER_BASIS = "Điều lệ Công đoàn Việt Nam"
RULES_BASIS = ("Quy chế Khen thưởng của tổ chức Công đoàn ban hành kèm theo Quyết định số "
               "1689/QĐ-TLĐ ngày 12/11/2019 của Đoàn Chủ tịch Tổng Liên đoàn Lao động Việt Nam")
EFFECT_CLAUSE = "Quyết định có hiệu lực kể từ ngày ký."
# The indicator the participation chart shows (the first indicator when it is not declared).
CHART_INDICATOR = "luot_tham_gia"


@dataclass
class Phase:
    number: int
    theme: str
    start: date
    end: date
    deadline: date
    # The clerk's narrative for the phase report (typed on *Cấu hình*).
    assessment: str = ""  # đánh giá chung
    shortcomings: str = ""  # tồn tại, hạn chế
    directions: str = ""  # phương hướng, nhiệm vụ thời gian tới

    @property
    def label(self) -> str:
        return f"Đợt {self.number}"


@dataclass
class Event:
    name: str
    day: date | None = None


@dataclass
class Indicator:
    code: str
    title: str
    at_most: str | None = None  # code of an indicator this one may not exceed
    money: bool = False


@dataclass
class AwardForm:
    """A form of commendation that can be proposed, with its money and quotas."""

    name: str  # as shown in the unit's drop-down ("Hình thức đề nghị")
    target: str  # TARGET_COLLECTIVE or TARGET_INDIVIDUAL
    level: str  # LEVEL_PROVINCE (awarded by the province) or LEVEL_NATIONAL (proposed)
    award_name: str  # as named in documents ("Bằng khen của Ban Chấp hành LĐLĐ tỉnh")
    multiplier: float = 0.0  # of the base salary; 0 for forms the province only proposes
    quotas: dict[str, int] = field(default_factory=dict)  # unit type -> most per unit


@dataclass(slots=True)
class Unit:
    code: str
    name: str
    type: str
    email: str = ""
    order: int = 0
    note: str = ""
    block: str = ""  # issue 14: the block typed on Đơn vị, when not the one of its type


@dataclass
class Signer:
    on_behalf: str = "TM. BAN THƯỜNG VỤ"
    title: str = "CHỦ TỊCH"
    name: str = "Nguyễn Ngọc Thư"


@dataclass
class CertificateLayout:
    """Where each line is printed on pre-printed certificate paper (mm from top-left)."""

    page_width_mm: float = 297
    page_height_mm: float = 210
    name_top_mm: float = 95
    unit_top_mm: float = 112
    achievement_top_mm: float = 124
    decision_top_mm: float = 160
    left_mm: float = 40
    right_mm: float = 40
    name_size_pt: float = 26
    text_size_pt: float = 16


SECURITY_STARTTLS = "STARTTLS"
SECURITY_SSL = "SSL"
SECURITY_PLAIN = "Không mã hóa"  # only when the office sets it (a server on its own network)
SECURITY_CHOICES = (SECURITY_STARTTLS, SECURITY_SSL, SECURITY_PLAIN)


@dataclass
class MailSettings:
    """The office's mailbox (issue 17). The password is never here: it is kept in the
    operating system's credential store, or asked for (:mod:`addin.mail.settings`)."""

    smtp_host: str = ""
    smtp_port: int = 587
    smtp_security: str = SECURITY_STARTTLS
    imap_host: str = ""
    imap_port: int = 993
    imap_security: str = SECURITY_SSL
    account: str = ""  # the login, usually the office's address
    sender_name: str = ""  # shown as the sender ("Ban TCTGNC - LĐLĐ tỉnh Cao Bằng")
    folder: str = "INBOX"  # the IMAP folder the returns are read from
    after_fetch: str = ""  # "" leave as it is; "Đánh dấu đã đọc"; or a folder to move to
    seconds_between: float = 1.0  # throttling between two messages sent
    reply_days: int = 5  # a corrected file is asked for within this many days


@dataclass
class UpperLink:
    """A lower level's link to the level above it (issue 16): which unit it is there, and the
    Thông tin it reports upward. Empty ``unit_code``: the campaign reports to no one."""

    unit_code: str = ""
    body: str = ""  # the level above, as its templates name it ("Liên đoàn Lao động tỉnh …")
    reporter: str = ""  # Người lập biểu
    phone: str = ""
    email: str = ""
    head: str = ""  # Thủ trưởng đơn vị
    workers: int | None = None  # Tổng số CNVCLĐ
    members: int | None = None  # Tổng số đoàn viên


# issue 14: emulation blocks (khối thi đua), their criteria and the classification.
CRIT_STANDARD = "Chuẩn"  # an item of the scoring table, 0 to its maximum
CRIT_BONUS = "Điểm thưởng"  # added, 0 to its maximum
CRIT_PENALTY = "Điểm trừ"  # the points deducted, 0 to its maximum, subtracted from the total
CRITERION_KINDS = (CRIT_STANDARD, CRIT_BONUS, CRIT_PENALTY)


@dataclass
class EmulationBlock:
    """A khối thi đua: who belongs (unit types, or units named by code, which win over
    types) and how many of its leaders are proposed for a flag and a Bằng khen."""

    name: str
    unit_types: list[str] = field(default_factory=list)
    unit_codes: list[str] = field(default_factory=list)
    flags: int = 1
    merits: int = 2


@dataclass
class Criterion:
    """One scored item of a block's table; ``code`` is unique in the campaign."""

    block: str
    code: str
    section: str
    title: str
    max_points: float
    kind: str = CRIT_STANDARD
    evidence: str = ""

    def signed(self, points: float) -> float:
        """What ``points`` add to the total (deducted points subtract)."""
        return -points if self.kind == CRIT_PENALTY else points


@dataclass
class ScoreClass:
    """A classification (xếp loại) reached from ``min_score`` points."""

    name: str
    min_score: float


def _default_classes() -> list[ScoreClass]:
    return [ScoreClass("Xuất sắc", 95), ScoreClass("Khá", 80), ScoreClass("Trung bình", 65),
            ScoreClass("Yếu", 0)]


@dataclass
class Campaign:
    year: int
    province: str  # "Cao Bằng"
    parent_body: str  # "TỔNG LĐLĐ VIỆT NAM"
    issuing_body: str  # "LĐLĐ TỈNH CAO BẰNG"
    issuing_body_full: str  # "Liên đoàn Lao động tỉnh Cao Bằng"
    standing_committee: str  # "Ban Thường vụ LĐLĐ tỉnh Cao Bằng"
    launch_document: str  # what the launch document does: "phát động phong trào thi đua …"
    phases: list[Phase]
    movements: list[str]
    events: list[Event]
    indicators: list[Indicator]
    award_forms: list[AwardForm]
    units: list[Unit]
    base_salary: int = 1_490_000
    rounding: int = 1_000  # amounts rounded to this many đồng
    signer: Signer = field(default_factory=Signer)
    drafting_unit: str = "Ban TCTGNC"
    drafting_unit_full: str = "Ban Tổ chức - Tuyên giáo - Nữ công"
    recipients: list[str] = field(default_factory=list)  # Nơi nhận of the decisions
    report_recipients: list[str] = field(default_factory=list)  # of the phase report
    proposal_recipients: list[str] = field(default_factory=list)  # of the Tờ trình (to TLĐ)
    # The legal frame of the documents (căn cứ); an empty one is left out of them.
    launch_number: str = ""  # "05/KH-LĐLĐ"
    launch_date: date | None = None
    basis_law: str = LAW_BASIS
    basis_charter: str = CHARTER_BASIS
    basis_rules: str = RULES_BASIS
    effect_clause: str = EFFECT_CLAUSE
    office_contact: str = ""
    inbox: str = "inbox"
    outbox: str = "outbox"
    output: str = "output"
    current_phase: int = 1  # the phase the ribbon's buttons work on
    list_order: str = ORDER_BY_UNIT
    max_unpacked_mb: int = 200
    # Next number of each kind of document ("QĐ", "BC", "TTr"), proposed by the register.
    next_numbers: dict[str, int] = field(default_factory=lambda: {"QĐ": 1, "BC": 1, "TTr": 1})
    document_date: date | None = None  # the date written on documents; None: the day of the run
    register_url: str = ""  # empty: SQLite file in the campaign folder
    repeat_window_years: int = 1
    certificate: CertificateLayout = field(default_factory=CertificateLayout)
    mail: MailSettings = field(default_factory=MailSettings)  # issue 17
    upper: UpperLink = field(default_factory=UpperLink)  # issue 16
    # issue 15: the outstanding examples and the provincial conference of them
    outstanding_phase: int = 1  # the phase whose templates ask for them (0: none)
    delegates_allotted: int = 20  # delegates the province may send to the conference
    delegates_per_unit: dict[str, int] = field(default_factory=dict)  # unit code -> most
    direct_min_percent: float = 30.0  # least share of direct-production workers
    conference_name: str = ("Hội nghị điển hình tiên tiến trong công nhân, viên chức, lao "
                            "động tỉnh Cao Bằng giai đoạn 2015 - 2020")
    conference_date: date | None = None
    conference_place: str = "Hội trường Liên đoàn Lao động tỉnh Cao Bằng"
    # issue 14: emulation blocks; the award forms the ranking proposes.
    emulation_blocks: list[EmulationBlock] = field(default_factory=list)
    criteria: list[Criterion] = field(default_factory=list)
    score_classes: list[ScoreClass] = field(default_factory=_default_classes)
    ranking_flag_form: str = "Cờ thi đua của LĐLĐ tỉnh"
    ranking_merit_form: str = "Bằng khen của BCH LĐLĐ tỉnh"
    pledge_date: date | None = None  # the date written on the pledges; None: the day of the run

    # --- look-ups -------------------------------------------------------------------
    def phase(self, number: int) -> Phase:
        """The phase numbered ``number``; SetupError (UNKNOWN_PHASE) when Cấu hình has none."""
        for p in self.phases:
            if p.number == number:
                return p
        raise SetupError(Problem(Msg.UNKNOWN_PHASE, value=number,
                                 expected=", ".join(str(p.number) for p in self.phases)))

    def unit(self, code: str) -> Unit | None:
        """The unit with this code. Every returned file asks, so the answer comes from
        :meth:`unit_positions`, checked against the unit found there; a linear search when
        that check fails."""
        units = self.units
        at = self.unit_positions().get(code)
        if at is not None and units[at].code == code:
            return units[at]
        return next((u for u in units if u.code == code), None)

    def unit_positions(self) -> dict[str, int]:
        """The position of each unit code in ``units`` (the first unit of a code, as a
        search finds it), built once and again when the list is replaced or changes
        length. Consolidate builds it before its reading processes fork, so they share it."""
        units = self.units
        key = (id(units), len(units))
        index = self.__dict__.get("_unit_index")
        if index is None or index[0] != key:
            positions: dict[str, int] = {}
            for i, u in enumerate(units):
                positions.setdefault(u.code, i)
            index = (key, positions)
            self.__dict__["_unit_index"] = index
        return index[1]

    def award_form(self, name: str, target: str) -> AwardForm | None:
        """The award form called ``name`` for collectives or individuals (``target``)."""
        for a in self.award_forms:
            if a.name == name and a.target == target:
                return a
        return None

    def forms_for(self, target: str, unit_type: str | None = None) -> list[AwardForm]:
        """Award forms for collectives or individuals that ``unit_type`` may propose."""
        return [a for a in self.award_forms if a.target == target
                and (unit_type is None or a.quotas.get(unit_type, 0) > 0)]

    def choices(self, source: ChoiceSource, unit_type: str | None = None) -> list[str]:
        """The list behind a drop-down of the forms, for a unit of ``unit_type``."""
        if source is ChoiceSource.MOVEMENTS:
            return list(self.movements)
        if source is ChoiceSource.EVENTS:
            return [e.name for e in self.events]
        if source is ChoiceSource.ETHNIC_GROUPS:
            return list(ETHNIC_GROUPS)
        if source is ChoiceSource.COLLECTIVE_FORMS:
            return [a.name for a in self.forms_for(TARGET_COLLECTIVE, unit_type)]
        if source is ChoiceSource.INDIVIDUAL_FORMS:
            return [a.name for a in self.forms_for(TARGET_INDIVIDUAL, unit_type)]
        raise KeyError(source)

    def row_items(self, row_source: str, unit: Unit | None = None) -> list:
        """Items giving one pre-filled row each on a FIXED form (for ``unit`` where the list
        depends on the unit; every item of the campaign when ``unit`` is None)."""
        if row_source == "movements":
            return list(self.movements)
        if row_source == "indicators":
            return [i.title for i in self.indicators]
        if row_source == "criteria":
            if unit is None:
                return list(self.criteria)
            block = self.block_of(unit)
            return self.criteria_of(block.name) if block else []
        raise KeyError(row_source)

    # issue 14: blocks and classification
    def is_year_end(self, phase_number: int) -> bool:
        """Whether ``phase_number`` is the year's last phase (its templates ask for more)."""
        return phase_number == max(p.number for p in self.phases)

    def block_of(self, unit: Unit) -> EmulationBlock | None:
        """The block ``unit`` belongs to: the one naming its code, else the one of its type."""
        named = next((b for b in self.emulation_blocks if b.name == unit.block), None) \
            or next((b for b in self.emulation_blocks if unit.code in b.unit_codes), None)
        return named or next((b for b in self.emulation_blocks
                              if unit.type in b.unit_types), None)

    def block_members(self, block: EmulationBlock) -> list[Unit]:
        return [u for u in self.ordered_units() if self.block_of(u) is block]

    def criteria_of(self, block_name: str) -> list[Criterion]:
        return [c for c in self.criteria if c.block == block_name]

    def classify(self, score: float | None) -> str:
        """The class ``score`` reaches (the highest threshold at or under it)."""
        if score is None:
            return ""
        reached = [c for c in self.score_classes if score >= c.min_score]
        return max(reached, key=lambda c: c.min_score).name if reached else ""

    def amount(self, form: AwardForm) -> int:
        """Money for one award of ``form``, rounded as the office sets."""
        raw = form.multiplier * self.base_salary
        step = max(1, self.rounding)
        return int(round(raw / step) * step)

    def chart_indicator(self) -> Indicator:
        """The indicator the participation charts show (workbook and report alike)."""
        return next((i for i in self.indicators if i.code == CHART_INDICATOR),
                    self.indicators[0])

    def unit_forms(self, phase: int) -> tuple[Form, ...]:
        """The forms of the unit workbook of ``phase`` (issue 15: with the outstanding
        examples in the phase the office set)."""
        return phase_forms(phase, self.outstanding_phase, self.is_year_end(phase))

    def ordered_units(self) -> list[Unit]:
        return sorted(self.units, key=lambda u: (u.order, u.code))


_PROVINCE_FORMS_QUOTAS = {UT_DISTRICT: 2, UT_SECTOR: 2, UT_PUBLIC: 2, UT_GRASSROOTS: 1}


def default_campaign() -> Campaign:
    """The 2020 emulation movement of LĐLĐ tỉnh Cao Bằng, as launched in the seed."""
    districts = [
        "Thành phố Cao Bằng", "huyện Bảo Lâm", "huyện Bảo Lạc", "huyện Hà Quảng",
        "huyện Hạ Lang", "huyện Hòa An", "huyện Nguyên Bình", "huyện Quảng Hòa",
        "huyện Thạch An", "huyện Trùng Khánh",
    ]
    units = [Unit(f"LD{i:02d}", f"LĐLĐ {d}", UT_DISTRICT, order=i)
             for i, d in enumerate(districts, start=1)]
    sectors = ["Giáo dục", "Y tế", "Công Thương", "Nông nghiệp và Phát triển nông thôn"]
    units += [Unit(f"CDN{i:02d}", f"Công đoàn ngành {s}", UT_SECTOR, order=10 + i,
                   note="Tên mẫu")
              for i, s in enumerate(sectors, start=1)]
    units.append(Unit("CDVC", "Công đoàn Viên chức tỉnh", UT_PUBLIC, order=15))
    grassroots = [
        "Công đoàn Công ty Điện lực Cao Bằng",
        "Công đoàn Bưu điện tỉnh Cao Bằng",
        "Công đoàn Công ty Cổ phần Xi măng Cao Bằng",
        "Công đoàn Ngân hàng Nông nghiệp và PTNT chi nhánh Cao Bằng",
        "Công đoàn Công ty TNHH MTV Cấp thoát nước Cao Bằng",
        "Công đoàn Cục Thuế tỉnh Cao Bằng",
    ]
    units += [Unit(f"CS{i:02d}", n, UT_GRASSROOTS, order=15 + i, note="Tên mẫu")
              for i, n in enumerate(grassroots, start=1)]
    for u in units:
        u.email = f"{u.code.lower()}@congdoancaobang.vn"

    award_forms = [
        AwardForm("Cờ thi đua của LĐLĐ tỉnh", TARGET_COLLECTIVE, LEVEL_PROVINCE,
                  "Cờ thi đua của Ban Chấp hành Liên đoàn Lao động tỉnh", 8.0,
                  {UT_DISTRICT: 1, UT_SECTOR: 1, UT_PUBLIC: 1, UT_GRASSROOTS: 1}),
        AwardForm("Bằng khen của BCH LĐLĐ tỉnh", TARGET_COLLECTIVE, LEVEL_PROVINCE,
                  "Bằng khen của Ban Chấp hành Liên đoàn Lao động tỉnh", 2.0,
                  {UT_DISTRICT: 3, UT_SECTOR: 3, UT_PUBLIC: 3, UT_GRASSROOTS: 1}),
        AwardForm("Đề nghị Cờ thi đua của Tổng Liên đoàn", TARGET_COLLECTIVE, LEVEL_NATIONAL,
                  "Cờ thi đua của Tổng Liên đoàn Lao động Việt Nam", 0.0,
                  {UT_DISTRICT: 1, UT_SECTOR: 1, UT_PUBLIC: 1, UT_GRASSROOTS: 0}),
        AwardForm("Đề nghị Bằng khen của BCH Tổng Liên đoàn", TARGET_COLLECTIVE,
                  LEVEL_NATIONAL, "Bằng khen của Ban Chấp hành Tổng Liên đoàn Lao động Việt Nam",
                  0.0, {UT_DISTRICT: 1, UT_SECTOR: 1, UT_PUBLIC: 1, UT_GRASSROOTS: 1}),
        AwardForm("Bằng khen của BCH LĐLĐ tỉnh", TARGET_INDIVIDUAL, LEVEL_PROVINCE,
                  "Bằng khen của Ban Chấp hành Liên đoàn Lao động tỉnh", 1.0,
                  {UT_DISTRICT: 5, UT_SECTOR: 5, UT_PUBLIC: 4, UT_GRASSROOTS: 2}),
        AwardForm("Đề nghị Bằng khen của BCH Tổng Liên đoàn", TARGET_INDIVIDUAL, LEVEL_NATIONAL,
                  "Bằng khen của Ban Chấp hành Tổng Liên đoàn Lao động Việt Nam", 0.0,
                  {UT_DISTRICT: 2, UT_SECTOR: 2, UT_PUBLIC: 2, UT_GRASSROOTS: 1}),
        AwardForm("Đề nghị Bằng Lao động sáng tạo", TARGET_INDIVIDUAL, LEVEL_NATIONAL,
                  "Bằng Lao động sáng tạo của Tổng Liên đoàn Lao động Việt Nam", 0.0,
                  {UT_DISTRICT: 1, UT_SECTOR: 1, UT_PUBLIC: 1, UT_GRASSROOTS: 1}),
    ]

    blocks, criteria = _blocks_2020()
    return Campaign(
        emulation_blocks=blocks,
        criteria=criteria,
        year=2020,
        province="Cao Bằng",
        parent_body="TỔNG LĐLĐ VIỆT NAM",
        issuing_body="LĐLĐ TỈNH CAO BẰNG",
        issuing_body_full="Liên đoàn Lao động tỉnh Cao Bằng",
        standing_committee="Ban Thường vụ LĐLĐ tỉnh Cao Bằng",
        launch_document=("phát động phong trào thi đua trong cán bộ, công chức, viên chức và "
                         "người lao động tỉnh Cao Bằng năm 2020"),
        phases=[
            Phase(1, "Mừng Đảng quang vinh - Mừng sinh nhật Bác",
                  date(2020, 1, 1), date(2020, 6, 30), date(2020, 7, 10)),
            Phase(2, "Chào mừng Đại hội thi đua yêu nước và Đại hội đại biểu toàn quốc "
                     "lần thứ XIII của Đảng",
                  date(2020, 7, 1), date(2020, 12, 31), date(2020, 12, 15)),
        ],
        movements=[
            "Lao động giỏi, Lao động sáng tạo",
            "Giỏi việc nước, đảm việc nhà",
            "Xanh, Sạch, Đẹp, Bảo đảm an toàn vệ sinh lao động",
            "Đổi mới, sáng tạo, hiệu quả trong hoạt động của tổ chức Công đoàn",
            "Tham mưu giỏi, phục vụ tốt",
            "Cán bộ, công chức, viên chức nói không với tiêu cực",
            "Cả nước chung sức xây dựng nông thôn mới",
            "Cả nước chung tay vì người nghèo, không để ai bị bỏ lại phía sau",
            "Doanh nghiệp Việt Nam hội nhập và phát triển",
            "Cán bộ, công chức, viên chức thi đua thực hiện văn hoá công sở",
            "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
        ],
        events=[
            Event("90 năm thành lập Đảng Cộng sản Việt Nam", date(2020, 2, 3)),
            Event("45 năm Giải phóng miền Nam, thống nhất đất nước", date(2020, 4, 30)),
            Event("130 năm ngày sinh Chủ tịch Hồ Chí Minh", date(2020, 5, 19)),
            Event("91 năm thành lập Công đoàn Việt Nam", date(2020, 7, 28)),
            Event("75 năm Cách mạng Tháng Tám và Quốc khánh 2/9", date(2020, 9, 2)),
            Event("Đại hội thi đua yêu nước các cấp và toàn quốc lần thứ X"),
            Event("Đại hội Đảng các cấp và Đại hội đại biểu toàn quốc lần thứ XIII của Đảng"),
        ],
        indicators=[
            Indicator("cdcs_phat_dong", "Số CĐCS tổ chức phát động thi đua"),
            Indicator("luot_tham_gia", "Số lượt đoàn viên, CNVCLĐ tham gia phong trào"),
            Indicator("sang_kien", "Số sáng kiến được công nhận"),
            Indicator("gia_tri_sang_kien", "Giá trị làm lợi từ sáng kiến (đồng)", money=True),
            Indicator("cong_trinh", "Số công trình, sản phẩm chào mừng"),
            Indicator("gia_tri_cong_trinh", "Tổng giá trị công trình, sản phẩm (đồng)",
                      money=True),
            Indicator("tham_hoi_tet", "Số đoàn viên, người lao động được thăm hỏi, tặng quà "
                                      "dịp Tết"),
            Indicator("kinh_phi_tet", "Kinh phí chăm lo Tết (đồng)", money=True),
            Indicator("tap_the_khen", "Số tập thể được khen thưởng ở cấp đơn vị"),
            Indicator("ca_nhan_khen", "Số cá nhân được khen thưởng ở cấp đơn vị"),
            Indicator("cn_truc_tiep", "trong đó công nhân, lao động trực tiếp sản xuất",
                      at_most="ca_nhan_khen"),
            Indicator("dien_hinh", "Số gương điển hình tiên tiến được phát hiện, nhân rộng"),
        ],
        award_forms=award_forms,
        units=units,
        recipients=[
            "TT Tỉnh ủy, HĐND, UBND tỉnh",
            "Ban Dân vận tỉnh",
            "Ban TĐKT tỉnh",
            "Ban CSKTXH và TĐKT TLĐ",
            "TT, các Ban LĐLĐ tỉnh",
            "UV HĐTĐKT LĐLĐ tỉnh",
            "Các cấp công đoàn trong tỉnh",
        ],
        report_recipients=[  # the seed's list
            "TT Tỉnh ủy, HĐND, UBND tỉnh",
            "Ban Dân vận tỉnh",
            "Ban TĐKT tỉnh",
            "Ban CSKTXH và TĐKT TLĐ",
            "Cụm Thi đua 7 tỉnh và các thành viên",
            "Khối thi đua số VI và các thành viên",
            "TT, các Ban LĐLĐ tỉnh",
            "UV HĐTĐKT LĐLĐ tỉnh",
            "Các cấp công đoàn trong tỉnh",
        ],
        proposal_recipients=[
            "Ban CSKTXH và TĐKT TLĐ",
            "TT LĐLĐ tỉnh",
        ],
        office_contact=("Ban Tổ chức - Tuyên giáo - Nữ công, LĐLĐ tỉnh Cao Bằng; "
                        "email: bantctgnc@congdoancaobang.vn"),
    )


# issue 14: the 2020 blocks and their scoring tables (sample: the province's own tables are
# not in the seed; these follow the launch document's aims, 100 points plus bonus/deductions).
_SECTIONS = ("I. Tổ chức phong trào thi đua", "II. Kết quả thực hiện nhiệm vụ",
             "III. Công tác khen thưởng")
_COMMON_ITEMS = (
    (0, "Ban hành kế hoạch, phát động, đăng ký thi đua đúng thời gian", 10,
     "Kế hoạch, văn bản phát động, bản đăng ký"),
    (0, "Tổ chức sơ kết, tổng kết, báo cáo đúng hạn, đúng biểu mẫu", 10,
     "Báo cáo sơ kết, tổng kết"),
    (1, "Chăm lo, bảo vệ quyền, lợi ích hợp pháp của đoàn viên, người lao động", 20,
     "Báo cáo kết quả chăm lo"),
    (2, "Phát hiện, bồi dưỡng, nhân rộng điển hình tiên tiến", 15,
     "Danh sách điển hình, bài viết tuyên truyền"),
    (2, "Khen thưởng đúng đối tượng, đúng quy trình, kịp thời", 10, "Quyết định khen thưởng"),
)
_BLOCK_ITEMS = {
    "Khối LĐLĐ huyện, thành phố": (
        (1, "Phát triển đoàn viên, thành lập công đoàn cơ sở", 20, "Số liệu phát triển"),
        (1, "Tham gia xây dựng nông thôn mới, giảm nghèo", 15, "Báo cáo kết quả")),
    "Khối Công đoàn ngành, Công đoàn Viên chức": (
        (1, "Thực hiện chỉ tiêu chuyên môn của ngành", 20, "Báo cáo của ngành"),
        (1, "Xây dựng văn hóa công sở, phòng chống tiêu cực", 15, "Kết quả kiểm tra")),
    "Khối CĐCS trực thuộc": (
        (1, "Hoàn thành kế hoạch sản xuất, kinh doanh", 20, "Báo cáo sản xuất, kinh doanh"),
        (1, "Phong trào Lao động giỏi, Lao động sáng tạo; sáng kiến", 15,
         "Danh sách sáng kiến")),
}
_BLOCK_CODES = {"Khối LĐLĐ huyện, thành phố": "A",
                "Khối Công đoàn ngành, Công đoàn Viên chức": "B", "Khối CĐCS trực thuộc": "C"}
_BLOCK_TYPES = {"Khối LĐLĐ huyện, thành phố": [UT_DISTRICT],
                "Khối Công đoàn ngành, Công đoàn Viên chức": [UT_SECTOR, UT_PUBLIC],
                "Khối CĐCS trực thuộc": [UT_GRASSROOTS]}
_BLOCK_AWARDS = {"Khối LĐLĐ huyện, thành phố": (1, 2),
                 "Khối Công đoàn ngành, Công đoàn Viên chức": (1, 1),
                 "Khối CĐCS trực thuộc": (1, 2)}


def _blocks_2020() -> tuple[list[EmulationBlock], list[Criterion]]:
    blocks, criteria = [], []
    for name, prefix in _BLOCK_CODES.items():
        flags, merits = _BLOCK_AWARDS[name]
        blocks.append(EmulationBlock(name, _BLOCK_TYPES[name], [], flags, merits))
        items = sorted(_COMMON_ITEMS + _BLOCK_ITEMS[name], key=lambda i: i[0])
        counters = [0] * len(_SECTIONS)
        for section, title, points, evidence in items:
            counters[section] += 1
            code = f"{prefix}.{section + 1}.{counters[section]}"
            criteria.append(Criterion(name, code, _SECTIONS[section], title, points,
                                      CRIT_STANDARD, evidence))
        criteria.append(Criterion(name, f"{prefix}.4.1", "IV. Điểm thưởng, điểm trừ",
                                  "Điểm thưởng: mô hình mới, cách làm hay được nhân rộng", 5,
                                  CRIT_BONUS, "Văn bản công nhận mô hình"))
        criteria.append(Criterion(name, f"{prefix}.4.2", "IV. Điểm thưởng, điểm trừ",
                                  "Điểm trừ: báo cáo chậm, sai biểu mẫu, vi phạm quy chế", 10,
                                  CRIT_PENALTY, "Ghi rõ nội dung bị trừ điểm"))
    return blocks, criteria
