"""The Documents run of a campaign folder: read the control workbook, take each document's
number from the register, have :mod:`docgen` write the files, record them, make the PDF
copies and show the next free numbers on *Cấu hình*. The CLI, the ribbon and the demo call
:func:`generate_report` and :func:`generate_documents`.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable, Iterable

from docgen import pdf as pdf_mod
from docgen.data import DocumentData, document_data_from_sheets, read_control_sheets
from docgen.delegates import (
    BOOKLET_TEMPLATE, DECISION_TEMPLATE as OUTSTANDING_DECISION_TEMPLATE, INVITATION_TEMPLATE,
    LIST_TEMPLATE, Delegate, build_booklet, build_delegate_list, build_invitations,
    build_outstanding_decision, delegates)
from docgen.documents import (
    CERTIFICATE_TEMPLATE, DECISION_TEMPLATE, PLAQUES_TEMPLATE, PROPOSAL_TEMPLATE,
    REPORT_TEMPLATE, award_names, award_total, build_certificates, build_decision,
    build_plaques, build_proposal, build_report, template_path)
from docgen.emulation import (
    CLASSIFICATION_TEMPLATE, PLEDGE_TEMPLATE, build_classification, build_pledge,
    pledge_blocks)
from workbook_templates.campaign import LEVEL_NATIONAL, LEVEL_PROVINCE, Campaign
from workbook_templates.forms import DELEGATE_FORM
from workbook_templates.messages import Msg, Problem
from workbook_templates.settings_sheet import read_settings_notes

from .campaign_setup import load_campaign as _setup_load
from .folder import CampaignFolder
from .issuing import Issuer, issuing
from .next_numbers import NumbersWriter, write_next_numbers
from .preflight import ensure_clear

ALL_KINDS = ("decisions", "proposal", "plaques", "certificates", "conference")
# What the register says a document awards when it awards no form of the catalogue.
PLAQUES_FORM = "Gắn biển công trình, sản phẩm"
# Where the figures of an earlier phase come from, in the problems about them.
REGISTER_LABEL = "Sổ theo dõi, đợt {phase}"
CERTIFICATES_PREFIX = "InBang_"  # print files for the certificate paper: no PDF copy
# Problems that tell why a document (or a PDF copy) was not made: part of the summary.
_SUMMARY_MSGS = frozenset({Msg.DOC_SKIPPED_NOBODY, Msg.DOC_SKIPPED_NO_PLAQUE, Msg.DOC_NO_PDF,
                           Msg.DOC_PDF_FAILED, Msg.DOC_PHASE_NOT_IN_REGISTER,
                           Msg.DOC_NUMBERS_NOT_SHOWN, Msg.DOC_SKIPPED_NO_BLOCKS,
                           Msg.DOC_SKIPPED_NO_SCORES})
# issue 14: what the register says the classification decision is about.
CLASSIFICATION_TITLE = "Công nhận kết quả xếp loại thi đua năm {year}"


@dataclass
class DocumentsResult:
    """What a run wrote, what it skipped and why, and the document numbers it used."""

    written: list[Path] = field(default_factory=list)
    pdfs: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    numbers: dict[str, list[int]] = field(default_factory=dict)  # "QĐ" -> [5, 6]
    next_numbers: dict[str, int] = field(default_factory=dict)  # shown on Cấu hình after

    @property
    def paths(self) -> list[Path]:
        """Every file written: the Word documents, then their PDF copies."""
        return self.written + self.pdfs

    @property
    def summary(self) -> str:
        """One line: how many Word files and PDF copies were written, and what was not made
        and why."""
        why = "".join(f" {p.text}" for p in self.problems if p.msg in _SUMMARY_MSGS)
        return Problem(Msg.DOC_SUMMARY, value=len(self.written), expected=len(self.pdfs),
                       detail=why).text

    @property
    def other_problems(self) -> list[Problem]:
        """The problems the summary does not tell (the clerk's review to look at again)."""
        return [p for p in self.problems if p.msg not in _SUMMARY_MSGS]

    @property
    def told(self) -> str:
        """What the clerk is shown (the ribbon's message box, the command line): the summary
        line, then each problem it does not already tell."""
        lines = [self.summary]
        lines += [f"{p.severity.value} [{p.code}]: {p.text}" for p in self.other_problems]
        return "\n".join(lines)


def load_campaign(folder: Path) -> Campaign:
    """The campaign settings of ``folder`` (the *Cấu hình* sheet of its control workbook)."""
    return _setup_load(folder)[1]


def generate_report(folder: Path, phase: int | None = None, *, replace: bool = False,
                    pdf: bool = True, campaign: Campaign | None = None,
                    numbers_to: NumbersWriter | None = None) -> DocumentsResult:
    """Write the report of ``phase`` (default: the campaign's current one): the Báo cáo sơ
    kết, or for the campaign's last phase of several the Báo cáo tổng kết of the year, whose
    earlier phases come from the register. ``campaign``: settings already read by the caller
    (default: read from the folder); ``numbers_to``: where the next free numbers go (default:
    the control workbook file)."""
    sheets, data, paths = _load(folder, phase, campaign)
    c = data.campaign
    result = DocumentsResult(problems=list(data.problems))
    when = _when(c)
    year_report = len(c.phases) > 1 and data.phase.number == max(p.number for p in c.phases)
    if year_report:
        stem, title = f"BaoCao_TongKet_{c.year}", f"Báo cáo tổng kết năm {c.year}"
    else:
        stem = f"BaoCao_SoKet_Dot{data.phase.number}_{c.year}"
        title = f"Báo cáo sơ kết đợt {data.phase.number} năm {c.year}"
    with issuing(paths, c, data.phase.number, sheets, when) as issue:
        phases = [data]
        if year_report:
            phases = _earlier_phases(issue, data, result.problems) + phases
        number = issue.number("BC")
        out = _free_name(paths.output, stem, replace)
        build_report(phases, issue.stage(out), number=number, when=when,
                     template=template_path(REPORT_TEMPLATE, paths.root))
        issue.record("BC", number, title, out,
                     counted=[n for d in phases for n in d.nominations])
        result.next_numbers = issue.next_free()
    result.written.append(out)
    result.numbers["BC"] = [number]
    _show_numbers(result, paths, numbers_to)
    _pdfs(result, pdf)
    return result


def _earlier_phases(issue: Issuer, data: DocumentData, problems: list[Problem]
                    ) -> list[DocumentData]:
    """The phases before ``data``'s as the register keeps them; one missing there is said
    (D08) and left out."""
    c = data.campaign
    found = []
    for number in sorted(p.number for p in c.phases if p.number < data.phase.number):
        sheets = issue.register.phase_sheets(c.year, number)
        if not sheets:
            problems.append(Problem(Msg.DOC_PHASE_NOT_IN_REGISTER, value=number))
            continue
        earlier = document_data_from_sheets(sheets, c, number,
                                            REGISTER_LABEL.format(phase=number))
        problems.extend(earlier.problems)
        found.append(earlier)
    return found


def generate_documents(folder: Path, phase: int | None = None, *, replace: bool = False,
                       pdf: bool = True, kinds: Iterable[str] = ALL_KINDS,
                       campaign: Campaign | None = None,
                       numbers_to: NumbersWriter | None = None) -> DocumentsResult:
    """Write the decisions, the proposal, the plaques decision and the certificate files of
    ``phase`` into the output folder; documents with nobody to name are skipped and said so.
    Numbers are proposed from the register, every document is recorded in it, and the next
    free number of each kind is written on *Cấu hình* (through ``numbers_to`` if given)."""
    kinds = set(kinds)
    sheets, data, paths = _load(folder, phase, campaign)
    c = data.campaign
    ensure_clear(paths, c, data.phase.number)  # nothing numbered over an open finding
    result = DocumentsResult(problems=list(data.problems))
    when = _when(c)
    with issuing(paths, c, data.phase.number, sheets, when) as issue:
        _decisions(issue, data, paths, kinds, replace, result, when)
        if "plaques" in kinds:
            _plaques(issue, data, paths, replace, result, when)
        if "proposal" in kinds:
            _proposal(issue, data, paths, replace, result, when)
        if "conference" in kinds:
            _conference(issue, data, delegates(sheets, c), paths, replace, result, when)
        if "decisions" in kinds and c.is_year_end(data.phase.number):
            _classification(issue, data, paths, replace, result, when)
        result.next_numbers = issue.next_free()
    _show_numbers(result, paths, numbers_to)
    _pdfs(result, pdf, skip_prefix=CERTIFICATES_PREFIX)
    return result


def _decisions(issue: Issuer, data: DocumentData, paths: CampaignFolder, kinds: set[str],
               replace: bool, result: DocumentsResult, when: date) -> None:
    c = data.campaign
    suffix = _suffix(data)
    for name in award_names(c, LEVEL_PROVINCE):
        nominees = data.awarded(name)
        if not nominees:
            result.problems.append(Problem(Msg.DOC_SKIPPED_NOBODY, value=f"Quyết định {name}",
                                           expected="tập thể, cá nhân"))
            continue
        if not kinds & {"decisions", "certificates"}:
            continue
        slug = _slug(name)
        qd = issue.number("QĐ", name)
        if "decisions" in kinds:
            out = _free_name(paths.output, f"QuyetDinh_{slug}_{suffix}", replace)
            build_decision(data, nominees, issue.stage(out), number=qd, when=when,
                           template=template_path(DECISION_TEMPLATE, paths.root))
            issue.record("QĐ", qd, name, out, listed=nominees,
                         total_money=award_total(c, nominees))
            result.written.append(out)
            result.numbers.setdefault("QĐ", []).append(qd)
        if "certificates" in kinds:
            out = _free_name(paths.output, f"{CERTIFICATES_PREFIX}{slug}_{suffix}", replace)
            build_certificates(data, nominees, issue.stage(out), number=qd, when=when,
                               template=template_path(CERTIFICATE_TEMPLATE, paths.root))
            result.written.append(out)


def _plaques(issue: Issuer, data: DocumentData, paths: CampaignFolder, replace: bool,
             result: DocumentsResult, when: date) -> None:
    works = [w for w in data.works if w.plaque]
    if not works:
        result.problems.append(Problem(Msg.DOC_SKIPPED_NO_PLAQUE,
                                       value="Quyết định gắn biển công trình, sản phẩm"))
        return
    qd = issue.number("QĐ", PLAQUES_FORM)
    out = _free_name(paths.output, f"QuyetDinh_GanBien_{_suffix(data)}", replace)
    build_plaques(data, works, issue.stage(out), number=qd, when=when,
                  template=template_path(PLAQUES_TEMPLATE, paths.root))
    issue.record("QĐ", qd, PLAQUES_FORM, out)
    result.written.append(out)
    result.numbers.setdefault("QĐ", []).append(qd)


def _proposal(issue: Issuer, data: DocumentData, paths: CampaignFolder, replace: bool,
              result: DocumentsResult, when: date) -> None:
    c = data.campaign
    proposed = [n for n in data.nominations if n.award.level == LEVEL_NATIONAL]
    if not proposed:
        result.problems.append(Problem(
            Msg.DOC_SKIPPED_NOBODY, value="Tờ trình đề nghị Tổng Liên đoàn khen thưởng",
            expected="tập thể, cá nhân đề nghị Tổng Liên đoàn khen thưởng"))
        return
    number = issue.number("TTr")
    out = _free_name(paths.output, f"ToTrinh_DeNghiTLD_{_suffix(data)}", replace)
    build_proposal(data, proposed, issue.stage(out), number=number, when=when,
                   template=template_path(PROPOSAL_TEMPLATE, paths.root))
    ordered = [n for name in award_names(c, LEVEL_NATIONAL) for n in proposed
               if n.award.name == name]
    issue.record("TTr", number, "; ".join(dict.fromkeys(n.award.award_name for n in ordered)),
                 out, listed=proposed)
    result.written.append(out)
    result.numbers["TTr"] = [number]


def _conference(issue: Issuer, data: DocumentData, chosen: list[Delegate],
                paths: CampaignFolder, replace: bool, result: DocumentsResult,
                when: date) -> None:
    """Issue 15: the decision recognising the chosen delegates (numbered, recorded with
    them), their list, one invitation each and the booklet of their stories."""
    if not chosen:
        result.problems.append(Problem(
            Msg.DOC_SKIPPED_NOBODY, value="Quyết định công nhận điển hình tiên tiến",
            expected="điển hình tiên tiến nào được chọn làm đại biểu; không"))
        return
    suffix = _suffix(data)
    qd = issue.number("QĐ", DELEGATE_FORM)
    out = _free_name(paths.output, f"QuyetDinh_DienHinh_{suffix}", replace)
    build_outstanding_decision(data, chosen, issue.stage(out), number=qd, when=when,
                               template=template_path(OUTSTANDING_DECISION_TEMPLATE, paths.root))
    issue.record("QĐ", qd, DELEGATE_FORM, out, listed=chosen)
    result.written.append(out)
    result.numbers.setdefault("QĐ", []).append(qd)
    for stem, build, name in ((f"DanhSach_DaiBieu_{suffix}", build_delegate_list, LIST_TEMPLATE),
                              (f"GiayMoi_DaiBieu_{suffix}", build_invitations,
                               INVITATION_TEMPLATE),
                              (f"KyYeu_DienHinh_{suffix}", build_booklet, BOOKLET_TEMPLATE)):
        out = _free_name(paths.output, stem, replace)
        build(data, chosen, issue.stage(out), when=when,
              template=template_path(name, paths.root))
        result.written.append(out)


# --- issue 14: emulation blocks -----------------------------------------------------------
def generate_pledges(folder: Path, *, replace: bool = False, pdf: bool = True,
                     campaign: Campaign | None = None) -> DocumentsResult:
    """Write one Giao ước thi đua per emulation block (its members, criteria and points, the
    signatures) into the output folder; they carry no number (the members sign them)."""
    c = campaign or load_campaign(folder)
    paths = CampaignFolder.at(folder, c)
    result = DocumentsResult()
    when = c.pledge_date or date.today()
    blocks = pledge_blocks(c)
    if not blocks:
        result.problems.append(Problem(Msg.DOC_SKIPPED_NO_BLOCKS))
    for block in blocks:
        out = _free_name(paths.output, f"GiaoUoc_{_slug(block.name)}_{c.year}", replace)
        build_pledge(c, block, out, template=template_path(PLEDGE_TEMPLATE, paths.root),
                     when=when)
        result.written.append(out)
    _pdfs(result, pdf)
    return result


def _classification(issue: Issuer, data: DocumentData, paths: CampaignFolder, replace: bool,
                    result: DocumentsResult, when: date) -> None:
    title = CLASSIFICATION_TITLE.format(year=data.campaign.year)
    if not data.standings:
        result.problems.append(Problem(Msg.DOC_SKIPPED_NO_SCORES, value=f"Quyết định {title}"))
        return
    qd = issue.number("QĐ", title)
    out = _free_name(paths.output, f"QuyetDinh_XepLoaiThiDua_{data.campaign.year}", replace)
    build_classification(data, issue.stage(out), number=qd, when=when,
                         template=template_path(CLASSIFICATION_TEMPLATE, paths.root))
    issue.record("QĐ", qd, title, out)
    result.written.append(out)
    result.numbers.setdefault("QĐ", []).append(qd)


# --- helpers ------------------------------------------------------------------------------
def _load(folder: Path, phase: int | None, campaign: Campaign | None
          ) -> tuple[dict[str, list[list]], DocumentData, CampaignFolder]:
    """The control workbook's sheets as the clerk left them, the phase's data read from
    them, and the campaign's paths."""
    campaign = campaign or load_campaign(folder)
    paths = CampaignFolder.at(folder, campaign)
    number = phase if phase is not None else campaign.current_phase
    sheets = read_control_sheets(paths.control)
    data = document_data_from_sheets(sheets, campaign, number, paths.control.name)
    data.problems.extend(read_settings_notes(paths.control))  # an older workbook's
    return sheets, data, paths


def _show_numbers(result: DocumentsResult, paths: CampaignFolder,
                  numbers_to: NumbersWriter | None) -> None:
    """The next free numbers onto *Cấu hình* (the file, or the caller's open workbook); a
    control workbook that cannot be written is said (C30), the documents stay."""
    write: Callable[[dict[str, int]], None] = numbers_to or (
        lambda numbers: write_next_numbers(paths.control, numbers))
    try:
        write(result.next_numbers)
    except OSError as err:
        result.problems.append(Problem(Msg.DOC_NUMBERS_NOT_SHOWN, value=paths.control.name,
                                       detail=err.strerror or type(err).__name__))


def _suffix(data: DocumentData) -> str:
    return f"Dot{data.phase.number}_{data.campaign.year}"


def _when(c: Campaign) -> date:
    return c.document_date or date.today()


def _slug(name: str) -> str:
    """"Bằng khen của BCH LĐLĐ tỉnh" -> "BangKhen" (the words before "của", ASCII)."""
    head = name.split(" của ")[0]
    plain = unicodedata.normalize("NFD", head.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    return "".join(w[:1].upper() + w[1:] for w in plain.split() if w.isalnum())


def _free_name(out_dir: Path, stem: str, replace: bool) -> Path:
    """``stem.docx`` in ``out_dir``, or ``stem_v2.docx`` (v3, ...) when it exists and
    ``replace`` is not set."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{stem}.docx"
    version = 2
    while path.exists() and not replace:
        path = out_dir / f"{stem}_v{version}.docx"
        version += 1
    return path


def _pdfs(result: DocumentsResult, wanted: bool, skip_prefix: str | None = None) -> None:
    """PDF copies of the written documents (not of the certificate print files)."""
    if not wanted:
        return
    if not pdf_mod.converter_available():
        result.problems.append(Problem(Msg.DOC_NO_PDF))
        return
    for docx in result.written:
        if skip_prefix and docx.name.startswith(skip_prefix):
            continue
        try:
            made = pdf_mod.to_pdf(docx)
        except pdf_mod.ConversionFailed as err:  # its text is the clerk's reason
            result.problems.append(Problem(Msg.DOC_PDF_FAILED, value=docx.name, detail=str(err),
                                           technical=err.detail[:300]))
            continue
        except OSError as err:
            result.problems.append(Problem(Msg.DOC_PDF_FAILED, value=docx.name,
                                           detail=pdf_mod.LIBREOFFICE_FAILED,
                                           technical=f"{type(err).__name__}: {err}"))
            continue
        if made is not None:
            result.pdfs.append(made)
