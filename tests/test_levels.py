"""Every level of the union (issue 16): a district's campaign from the province's template,
its report upward, and a new year started from the last."""
from __future__ import annotations

import random
import shutil
from collections import Counter
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from test_macros import remote_engine  # noqa: F401  (fixture)

from addin import demo_data
from addin.campaign_setup import init_campaign, load_campaign, write_templates
from addin.consolidate import consolidate
from addin.demo import fill_workbook, resolve_findings
from addin.documents import generate_documents
from addin.folder import CampaignFolder
from addin.lower_level import UPPER_DIR, init_from_upper
from addin.report_up import SOURCES_SHEET, report_up
from workbook_templates import forms
from workbook_templates.campaign import (
    Event, LEVEL_NATIONAL, TARGET_COLLECTIVE, TARGET_INDIVIDUAL, UT_DISTRICT, UT_GRASSROOTS,
    Unit,
    default_campaign)
from workbook_templates.forms import CONSOLIDATED_SHEET, NO, YES, ControlSheet
from workbook_templates.messages import Msg, Problem, Severity, SetupError
from workbook_templates.settings_sheet import write_settings

DISTRICTS = {"LD01": "TP", "LD02": "BL"}  # unit code at the province -> prefix of its CĐCS
PLACES = {"LD01": "Cao Bằng", "LD02": "Bảo Lâm"}  # "LĐLĐ Thành phố Cao Bằng", "… huyện Bảo Lâm"
DIRECT = "CS01"


def _province(root: Path):
    campaign = default_campaign()
    campaign.units = [u for u in campaign.units if u.code in (*DISTRICTS, DIRECT)]
    init_campaign(root, campaign)
    write_templates(root, 1)
    return campaign


def _set_settings(folder: Path, change) -> None:
    """Edit Cấu hình as the clerk would: read, change, write back."""
    paths, campaign = load_campaign(folder)
    change(campaign)
    wb = openpyxl.load_workbook(paths.control)
    write_settings(wb, campaign)
    wb.save(paths.control)


def _district_link(campaign) -> None:
    campaign.upper.reporter = "Hoàng Thị Lan"
    campaign.upper.phone = "0206 3852 123"
    campaign.upper.head = "Nông Văn Minh"
    campaign.upper.workers, campaign.upper.members = 200_000, 180_000
    campaign.phase(1).assessment = "Các CĐCS trong huyện hưởng ứng sôi nổi."
    campaign.signer.name = "Nông Văn Minh"


def _fill(folder: Path, campaign, rng, faults: dict[str, str]) -> dict[str, dict]:
    """Each unit's return typed into its template in inbox/; returns what each typed."""
    place = CampaignFolder.at(folder, campaign)
    typed = {}
    for unit in campaign.ordered_units():
        values = demo_data.unit_return(rng, campaign, unit, 1)
        fault = faults.get(unit.code)
        if fault == "phone":
            values["thong_tin"]["dien_thoai"] = "12"
        elif fault == "birth" and values["khen_ca_nhan"]:
            values["khen_ca_nhan"][0]["nam_sinh"] = 1900
        elif fault == "name" and values["khen_ca_nhan"]:
            values["khen_ca_nhan"][0]["ho_ten"] = None
        name = forms.template_file_name(unit.code, 1, campaign.year)
        fill_workbook(place.outbox / name, place.inbox / name, values)
        typed[unit.code] = values
    return typed


def _approve(folder: Path, quotas: dict[tuple[str, str], int]) -> None:
    """The district's clerk: approve every row, proposing upward within the province's
    quotas, then withdraw what the check before documents finds."""
    paths, campaign = load_campaign(folder)
    wb = openpyxl.load_workbook(paths.control)
    for form, target in ((forms.COLLECTIVE_NOMINATIONS, TARGET_COLLECTIVE),
                         (forms.INDIVIDUAL_NOMINATIONS, TARGET_INDIVIDUAL)):
        ws = wb[CONSOLIDATED_SHEET[form.key]]
        col = {c.value: c.column for c in ws[1]}
        used = Counter()
        for r in range(2, ws.max_row + 1):
            proposed = ws.cell(r, col["Hình thức đề nghị"]).value
            if not ws.cell(r, col["Mã đề nghị"]).value:
                continue
            award = campaign.award_form(proposed, target)
            ok = award is not None and (award.level != LEVEL_NATIONAL
                                        or used[proposed] < quotas[(proposed, target)])
            used[proposed] += ok and award.level == LEVEL_NATIONAL
            ws.cell(r, col["Duyệt"]).value = YES if ok else NO
            ws.cell(r, col["Hình thức được khen"]).value = proposed if ok else None
    wb.save(paths.control)
    resolve_findings(paths, campaign, 1)


def _result_totals(control: Path, campaign) -> dict[str, float]:
    ws = openpyxl.load_workbook(control, data_only=True)[ControlSheet.RESULTS]
    header = [c.value for c in ws[1]]
    total = next(r for r in ws.iter_rows(min_row=2, values_only=True)
                 if forms.TOTAL_LABEL in r)
    return {i.code: total[header.index(i.title)] for i in campaign.indicators}


def test_three_levels_end_to_end(tmp_path):
    rng = random.Random(16)
    prov_root = tmp_path / "tinh"
    province = _province(prov_root)
    prov = CampaignFolder.at(prov_root, province)
    typed_grassroots: list[dict] = []
    for code, prefix in DISTRICTS.items():
        root = tmp_path / code
        template = prov.outbox / forms.template_file_name(code, 1, 2020)
        units = [Unit(f"{prefix}{i:02d}", f"Công đoàn Trường Tiểu học số {i} ({prefix})",
                      UT_GRASSROOTS, order=i) for i in range(1, 6)]
        _, to_check = init_from_upper(root, template, units)
        assert all(p.msg is Msg.CHECK_SETTING for p in to_check) and to_check
        assert (root / UPPER_DIR / template.name).is_file()
        _set_settings(root, _district_link)
        paths, district = load_campaign(root)
        assert district.movements == province.movements
        assert [i.title for i in district.indicators] == [i.title for i in province.indicators]
        assert district.upper.unit_code == code and district.year == 2020
        assert district.province == PLACES[code]
        own = [a for a in district.award_forms if a.level != LEVEL_NATIONAL]
        assert {a.name for a in own} == {f"Giấy khen của {province.unit(code).name}"}
        write_templates(root, 1)
        typed = _fill(root, district, rng, {f"{prefix}02": "phone", f"{prefix}03": "birth",
                                            f"{prefix}04": "name"})
        typed_grassroots += typed.values()
        result = consolidate(root, 1)
        assert result.counts["units_in"] == 5
        assert any(p.severity is Severity.ERROR for p in result.problems)  # the faults
        quotas = {(a.name, a.target): a.quotas[UT_DISTRICT] for a in province.award_forms
                  if a.quotas.get(UT_DISTRICT)}
        _approve(root, quotas)
        docs = generate_documents(root, 1, pdf=False)  # the district's own decision
        assert any(p.name.startswith("QuyetDinh_GiayKhen") for p in docs.written)
        up = report_up(root, 1)
        assert sorted(up.units) == [u.code for u in units]
        results = openpyxl.load_workbook(up.path)[forms.RESULTS.sheet]
        notes = {r[3] for r in results.iter_rows(min_row=forms.FIRST_DATA_ROW, values_only=True)
                 if r[1]}
        assert notes == {f"Cộng 5/5 đơn vị: {', '.join(u.code for u in units)}"}
        sources = openpyxl.load_workbook(up.path)[SOURCES_SHEET]
        assert {r[2] for r in sources.iter_rows(min_row=2, values_only=True)} == \
            {u.code for u in units}
        shutil.copy2(up.path, prov.inbox / up.path.name)
    direct = demo_data.unit_return(rng, province, province.unit(DIRECT), 1)
    name = forms.template_file_name(DIRECT, 1, 2020)
    fill_workbook(prov.outbox / name, prov.inbox / name, direct)

    result = consolidate(prov_root, 1)

    errors = [p for p in result.problems if p.severity is Severity.ERROR]
    assert errors == []
    assert result.counts["units_in"] == 3
    totals = _result_totals(prov.control, province)
    for ind in province.indicators:
        expected = sum(v["ket_qua"][ind.title]["gia_tri"]
                       for v in (*typed_grassroots, direct))
        assert totals[ind.code] == expected, ind.title
    ws = openpyxl.load_workbook(prov.control)[ControlSheet.INDIVIDUAL]
    from_districts = [r for r in ws.iter_rows(min_row=2, values_only=True)
                      if r[1] in DISTRICTS]
    assert from_districts  # the nominations the districts proposed upward


def test_report_up_refuses_a_changed_movement_list(tmp_path):
    prov_root = tmp_path / "tinh"
    province = _province(prov_root)
    template = CampaignFolder.at(prov_root, province).outbox / "LD01_Dot1_2020.xlsx"
    root = tmp_path / "LD01"
    init_from_upper(root, template, [Unit("TP01", "Công đoàn Trường THCS Hợp Giang",
                                          UT_GRASSROOTS)])
    _set_settings(root, lambda c: c.movements.append("Phong trào riêng của huyện"))
    with pytest.raises(SetupError) as err:
        report_up(root, 1)
    assert err.value.problem.msg is Msg.UPPER_MISMATCH
    assert "Phong trào riêng của huyện" in err.value.problem.text


def test_init_from_upper_refuses_a_file_that_is_not_a_template(tmp_path):
    wb = openpyxl.Workbook()
    wb.active["A1"] = "Danh sách đơn vị"
    wb.save(tmp_path / "x.xlsx")
    with pytest.raises(SetupError) as err:
        init_from_upper(tmp_path / "d", tmp_path / "x.xlsx")
    assert err.value.problem.msg is Msg.UPPER_NOT_TEMPLATE
    assert not (tmp_path / "d").exists()


@pytest.fixture(scope="module")
def demo_2020(tmp_path_factory):
    from addin.demo import run_demo

    root = tmp_path_factory.mktemp("levels") / "demo-2020"
    run_demo(root, say=lambda _: None, pdf=False)
    return root


def _commended_2020(root: Path) -> dict:
    """A person approved in 2020 on the demo's Khen cá nhân sheet, as the unit typed them."""
    ws = openpyxl.load_workbook(CampaignFolder.at(root).control)[ControlSheet.INDIVIDUAL]
    header = [c.value for c in ws[1]]
    row = next(r for r in ws.iter_rows(min_row=2, values_only=True)
               if r[header.index("Duyệt")] == YES and r[header.index("Họ và tên")])
    return {f.key: row[header.index(f.title)]
            for f in (*forms.INDIVIDUAL_NOMINATIONS.fields, forms.SOURCE_FIELDS[0])
            if f.title in header}


def test_a_new_year_starts_from_the_last(tmp_path, demo_2020):
    from addin.new_year import init_from_last_year

    root = tmp_path / "ThiDua2021"
    _, to_check = init_from_last_year(root, demo_2020)

    _, last = load_campaign(demo_2020)
    paths, campaign = load_campaign(root)
    assert campaign.year == 2021 and campaign.current_phase == 1
    assert [(u.code, u.name, u.type) for u in campaign.units] == \
        [(u.code, u.name, u.type) for u in last.units]
    assert campaign.signer == last.signer
    assert campaign.recipients == last.recipients
    assert campaign.award_forms == last.award_forms and campaign.indicators == last.indicators
    assert campaign.base_salary == last.base_salary
    assert campaign.events == [] and campaign.launch_number == ""
    assert [p.start.year for p in campaign.phases] == [2021] * len(last.phases)
    assert all(p.theme == "" for p in campaign.phases)
    assert campaign.next_numbers == {k: 1 for k in last.next_numbers}
    assert any("SỰ KIỆN CHÀO MỪNG" in p.text for p in to_check)

    person = _commended_2020(demo_2020)
    unit = campaign.unit(person.pop("ma_don_vi"))
    _set_settings(root, lambda c: c.events.append(Event("91 năm thành lập Đảng Cộng sản Việt "
                                                        "Nam", date(2021, 2, 3))))
    campaign = load_campaign(root)[1]
    write_templates(root, 1)
    values = demo_data.unit_return(random.Random(21), campaign, unit, 1)
    values["khen_ca_nhan"] = [person]
    name = forms.template_file_name(unit.code, 1, 2021)
    fill_workbook(paths.outbox / name, paths.inbox / name, values)

    result = consolidate(root, 1)

    repeats = [p for p in result.problems if p.msg is Msg.ALREADY_AWARDED]
    assert [p.value for p in repeats] == [person["ho_ten"]]
    assert "2020" in repeats[0].text


def _book_of(path: Path):
    from test_macros import make_book

    wb = openpyxl.load_workbook(path, data_only=True)
    return make_book(path, {ws.title: [list(r) for r in ws.iter_rows(values_only=True)]
                            for ws in wb})


def test_the_ribbon_makes_the_district_campaign_and_reports_up(tmp_path, remote_engine):
    from addin import macros

    prov_root = tmp_path / "tinh"
    province = _province(prov_root)
    received = tmp_path / "thu_den"  # where the district saved the province's e-mail
    received.mkdir()
    template = shutil.copy2(CampaignFolder.at(prov_root, province).outbox
                            / "LD02_Dot1_2020.xlsx", received)
    book = _book_of(Path(template))
    macros.from_upper_button(book)
    root = received / "ThiDua_LD02_2020"
    (alert,) = [a for a in book.json()["actions"] if a["func"] == "alert"]
    assert alert["args"][3] == "info" and str(root) in alert["args"][0]
    assert "BÁO CÁO LÊN CẤP TRÊN" in alert["args"][0]  # what to check on Cấu hình

    control = CampaignFolder.at(root).control
    wb = openpyxl.load_workbook(control)  # the clerk types the grassroots unions on Đơn vị
    for i in (1, 2):
        wb[ControlSheet.UNITS].append([i, f"BL{i:02d}", f"Công đoàn Trường Mầm non số {i}",
                                       UT_GRASSROOTS])
    wb.save(control)
    _set_settings(root, _district_link)
    paths, district = load_campaign(root)
    write_templates(root, 1)
    _fill(root, district, random.Random(3), {})
    consolidate(root, 1)
    book = _book_of(paths.control)
    macros.report_up_button(book)

    (alert,) = [a for a in book.json()["actions"] if a["func"] == "alert"]
    out = root / "bao_cao_cap_tren" / "LD02_Dot1_2020.xlsx"
    assert out.is_file() and alert["args"][3] == "info"
    assert Problem(Msg.UPPER_REPORT_DONE, value=out.name, expected=2).text in alert["args"][0]


def test_the_command_line_makes_a_district_campaign_and_refuses_a_province_report(tmp_path):
    from click.testing import CliRunner

    from addin.cli import main

    prov_root = tmp_path / "tinh"
    province = _province(prov_root)
    template = CampaignFolder.at(prov_root, province).outbox / "LD01_Dot1_2020.xlsx"
    units = tmp_path / "cdcs.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append([f.title for f in forms.UNIT_LIST_FIELDS])
    wb.active.append([1, "TP01", "Công đoàn Trường THPT Thành phố", UT_GRASSROOTS])
    wb.save(units)

    done = CliRunner().invoke(main, ["init", str(tmp_path / "LD01"), "--from-upper",
                                     str(template), "--units", str(units)])

    assert done.exit_code == 0, done.output
    assert "L09" not in done.output and "BÁO CÁO LÊN CẤP TRÊN" in done.output
    assert [u.code for u in load_campaign(tmp_path / "LD01")[1].units] == ["TP01"]
    refused = CliRunner().invoke(main, ["report-up", str(prov_root)])
    assert refused.exit_code == 2 and "[L06]" in refused.output
    both = CliRunner().invoke(main, ["init", str(tmp_path / "x"), "--from-upper",
                                     str(template), "--from", str(prov_root)])
    assert both.exit_code == 2 and "[C15]" in both.output and not (tmp_path / "x").exists()


def test_report_up_stops_over_the_province_quota(tmp_path):
    prov_root = tmp_path / "tinh"
    province = _province(prov_root)
    template = CampaignFolder.at(prov_root, province).outbox / "LD02_Dot1_2020.xlsx"
    root = tmp_path / "LD02"
    init_from_upper(root, template, [Unit(f"BL{i:02d}", f"Công đoàn Trường Mầm non số {i}",
                                          UT_GRASSROOTS, order=i) for i in (1, 2, 3)])
    _set_settings(root, _district_link)
    paths, district = load_campaign(root)
    write_templates(root, 1)
    _fill(root, district, random.Random(5), {})
    consolidate(root, 1)
    upward = "Đề nghị Bằng Lao động sáng tạo"  # the province allows the district one
    wb = openpyxl.load_workbook(paths.control)
    ws = wb[ControlSheet.INDIVIDUAL]
    col = {c.value: c.column for c in ws[1]}
    first_of_unit = {}
    for r in range(2, ws.max_row + 1):
        first_of_unit.setdefault(ws.cell(r, col["Mã đơn vị"]).value, r)
    assert len(first_of_unit) >= 2
    for r in first_of_unit.values():  # one per unit: within each CĐCS's own quota
        ws.cell(r, col["Duyệt"]).value = YES
        ws.cell(r, col["Hình thức được khen"]).value = upward
    wb.save(paths.control)

    with pytest.raises(SetupError) as err:
        report_up(root, 1)

    assert err.value.problem.msg is Msg.UPPER_OVER_QUOTA
    assert err.value.problem.value == len(first_of_unit) and err.value.problem.expected == 1
    assert not (root / "bao_cao_cap_tren").exists()
