"""Synthetic but realistic content for the demo campaign's returns (deterministic).

Names, works, initiatives and achievements read like what Cao Bằng's units send; every
value is drawn from a seeded generator, so the same demo is produced on every machine.
"""
from __future__ import annotations

import random
from datetime import date, timedelta

from workbook_templates.campaign import (
    CRIT_STANDARD, TARGET_COLLECTIVE, TARGET_INDIVIDUAL, Campaign, Unit)

FAMILY = ["Nguyễn", "Nông", "Hoàng", "Lương", "Bế", "Đàm", "Triệu", "Lục", "Hà", "Trần",
          "Lê", "Phạm", "Mạc", "Sầm", "Lý", "Đinh", "Vi", "Lâm", "Ma", "Chu"]
MIDDLE_MALE = ["Văn", "Đức", "Minh", "Quang", "Hữu", "Thế", "Ngọc", "Xuân", "Trung"]
MIDDLE_FEMALE = ["Thị", "Thu", "Hồng", "Ngọc", "Thanh", "Bích", "Kim", "Mỹ"]
GIVEN_MALE = ["An", "Bình", "Cường", "Dũng", "Đức", "Hải", "Hùng", "Khánh", "Lâm", "Long",
              "Nam", "Phúc", "Quân", "Sơn", "Thắng", "Tiến", "Toàn", "Tuấn", "Việt", "Vinh"]
GIVEN_FEMALE = ["Anh", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hoa", "Hương", "Huyền", "Lan",
                "Liên", "Linh", "Mai", "Ngân", "Nga", "Phương", "Thảo", "Thủy", "Trang",
                "Yến"]
ETHNIC = ["Tày"] * 5 + ["Nùng"] * 4 + ["Kinh"] * 3 + ["Mông", "Dao", "Sán Chay", "Lô Lô"]

JOBS_PRODUCTION = ["Công nhân vận hành lò nung", "Công nhân sửa chữa đường dây điện",
                   "Công nhân xây dựng", "Tổ trưởng tổ sản xuất", "Công nhân cơ khí",
                   "Công nhân vận hành trạm bơm", "Công nhân khai thác mỏ"]
JOBS_OFFICE = ["Giáo viên Trường THCS", "Bác sĩ Khoa Nội", "Điều dưỡng trưởng", "Kế toán",
               "Chuyên viên", "Chủ tịch công đoàn cơ sở", "Phó Chủ tịch công đoàn cơ sở",
               "Kỹ sư", "Giáo viên Trường Tiểu học", "Cán bộ thuế"]
PLACES = ["xã Hưng Đạo", "xã Chu Trinh", "phường Sông Hiến", "thị trấn Nước Hai",
          "xã Quang Trung", "thị trấn Trùng Khánh", "xã Đức Long", "thị trấn Tĩnh Túc",
          "xã Thông Nông", "thị trấn Đông Khê", "xã Hạnh Phúc", "phường Hợp Giang"]
WORKS = ["Sửa chữa, nâng cấp nhà văn hóa xóm {p}", "Bê tông hóa đường liên xóm {p}",
         "Lắp đặt hệ thống chiếu sáng đường quê {p}", "Xây dựng Mái ấm Công đoàn tại {p}",
         "Trồng cây xanh, cải tạo khuôn viên cơ quan tại {p}",
         "Cải tạo, nâng cấp trạm biến áp phục vụ {p}",
         "Xây dựng công trình nước sạch cho đồng bào {p}",
         "Sân thể thao cho công nhân lao động {p}"]
INITIATIVES = ["Ứng dụng phần mềm quản lý hồ sơ đoàn viên tại {u}",
               "Cải tiến quy trình kiểm tra an toàn điện tại {u}",
               "Giải pháp tiết kiệm nhiên liệu lò nung clinker",
               "Đổi mới phương pháp dạy học theo dự án cho học sinh dân tộc thiểu số",
               "Quy trình chăm sóc người bệnh sau phẫu thuật rút ngắn thời gian nằm viện",
               "Số hóa sổ sách kế toán công đoàn cơ sở",
               "Cải tiến thiết bị nâng hạ trong xưởng sửa chữa"]
COLLECTIVES = ["Tổ Khoa học Tự nhiên Trường THCS {p}", "Khoa Nhi Bệnh viện Đa khoa {p}",
               "Công đoàn cơ sở {p}", "Đội quản lý vận hành lưới điện {p}",
               "Phòng Kế hoạch - Kỹ thuật", "Tổ sản xuất số 2", "Trạm Y tế {p}"]
ACHIEVEMENTS = [
    "Hoàn thành xuất sắc nhiệm vụ đợt thi đua; tích cực tham gia phong trào “{m}”",
    "Có nhiều đóng góp trong phong trào “{m}”, được đơn vị ghi nhận, biểu dương",
    "Dẫn đầu phong trào “{m}” của đơn vị; có sáng kiến được công nhận cấp cơ sở",
    "Tích cực chăm lo đời sống đoàn viên, hoàn thành vượt mức chỉ tiêu đăng ký phong trào "
    "“{m}”",
]
# issue 15: the models (mô hình, cách làm hay) and the stories of the outstanding examples
MODELS = ["Tổ sản xuất an toàn, tiết kiệm vật tư", "Mô hình “Bữa cơm Công đoàn”",
          "Cách làm hay trong vận hành lưới điện vùng cao", "Mô hình “Mái ấm Công đoàn”",
          "Đổi mới phương pháp dạy học cho học sinh dân tộc thiểu số",
          "Mô hình “Dân vận khéo” trong chăm sóc người bệnh",
          "Cải tiến dây chuyền nghiền clinker"]
STORY = ("{name} là {job} tại {unit}. Trong giai đoạn 2015 - 2020, {pronoun} luôn đi đầu "
         "trong phong trào “{m}”: {model_lower} được áp dụng rộng rãi trong đơn vị, giúp "
         "tiết kiệm chi phí, nâng cao năng suất lao động và đời sống của người lao động. "
         "{pronoun_cap} nhiều năm liền đạt danh hiệu Lao động giỏi, tích cực giúp đỡ đồng "
         "nghiệp, tham gia các hoạt động xã hội ở {place}, là tấm gương để đoàn viên, người lao "
         "động học tập, noi theo.")
WORK_KINDS = ["Công trình", "Sản phẩm", "Phần việc", "Đề tài"]
LEVELS = ["Cơ sở", "Ngành", "Tỉnh", "Chưa công nhận"]


def person_name(rng: random.Random, female: bool) -> str:
    middle = rng.choice(MIDDLE_FEMALE if female else MIDDLE_MALE)
    given = rng.choice(GIVEN_FEMALE if female else GIVEN_MALE)
    return f"{rng.choice(FAMILY)} {middle} {given}"


def unit_return(rng: random.Random, campaign: Campaign, unit: Unit, phase: int) -> dict:
    """The values one unit types into its workbook, by form key (Thông tin: field -> value;
    the other forms: a list of rows field -> value; FIXED forms by row item)."""
    p = campaign.phase(phase)
    size = {"LĐLĐ huyện, thành phố": 40, "Công đoàn ngành": 60,
            "Công đoàn Viên chức tỉnh": 50}.get(unit.type, 1)
    cdcs = rng.randint(size // 2, size) if size > 1 else 0
    workers = rng.randint(300, 700) * max(cdcs, 1) // (3 if size > 1 else 1) + rng.randint(80, 300)
    members = int(workers * rng.uniform(0.82, 0.98))
    chief_female = rng.random() < 0.4
    info = {
        "so_cdcs": cdcs, "tong_cnvcld": workers, "tong_doan_vien": members,
        "nguoi_lap": person_name(rng, rng.random() < 0.6),
        "dien_thoai": f"0{rng.choice([206, 912, 915, 983, 979])}{rng.randint(1000000, 9999999)}",
        "email": unit.email,
        "ngay_bao_cao": p.deadline - timedelta(days=rng.randint(1, 12)),
        "thu_truong": person_name(rng, chief_female),
    }
    registration = {}
    for m in campaign.movements:
        yes = rng.random() < 0.75
        registration[m] = {
            "dang_ky": "Có" if yes else "Không",
            "so_cdcs_tham_gia": rng.randint(max(cdcs // 2, 0), cdcs) if yes else None,
            "so_nguoi_tham_gia": rng.randint(members // 3, members) if yes else None,
            "noi_dung": (f"Phấn đấu 100% CĐCS tổ chức hưởng ứng phong trào “{m}”"
                         if yes else None),
        }
    events = [e for e in campaign.events if e.day is None or p.start <= e.day <= p.end]
    works = []
    for _ in range(rng.randint(1, 4)):
        start = p.start + timedelta(days=rng.randint(0, 90))
        value = rng.choice([15, 25, 40, 60, 120, 250, 480]) * 1_000_000
        works.append({
            "ten": rng.choice(WORKS).format(p=rng.choice(PLACES)),
            "loai": rng.choice(WORK_KINDS[:3]), "don_vi_thuc_hien": unit.name,
            "su_kien": rng.choice(events).name, "gia_tri": value,
            "ngay_khoi_cong": start,
            "ngay_hoan_thanh": min(start + timedelta(days=rng.randint(20, 80)), p.end),
            "de_nghi_gan_bien": "Có" if value >= 100_000_000 else "Không",
            "ghi_chu": "Vốn xã hội hóa" if rng.random() < 0.3 else None,
        })
    initiatives = []
    for _ in range(rng.randint(0, 3)):
        authors = "; ".join(person_name(rng, rng.random() < 0.5)
                            for _ in range(rng.randint(1, 3)))
        level = rng.choice(LEVELS)
        initiatives.append({
            "ten": rng.choice(INITIATIVES).format(u=unit.name), "tac_gia": authors,
            "don_vi": unit.name, "cap_cong_nhan": level,
            "gia_tri_lam_loi": rng.choice([0, 20, 35, 80, 150]) * 1_000_000,
            "ngay_cong_nhan": (p.start + timedelta(days=rng.randint(30, 150))
                               if level != "Chưa công nhận" else None),
        })
    collectives = []
    for award in campaign.forms_for(TARGET_COLLECTIVE, unit.type):
        for _ in range(rng.randint(0, award.quotas[unit.type])):
            collectives.append({
                "ten_tap_the": rng.choice(COLLECTIVES).format(p=rng.choice(PLACES)),
                "thuoc_don_vi": unit.name, "hinh_thuc": award.name,
                "phong_trao": (m := rng.choice(campaign.movements)),
                "thanh_tich": rng.choice(ACHIEVEMENTS).format(m=m),
            })
    individuals = []
    for award in campaign.forms_for(TARGET_INDIVIDUAL, unit.type):
        for _ in range(rng.randint(0, award.quotas[unit.type])):
            female = rng.random() < 0.5
            production = rng.random() < 0.4
            individuals.append({
                "ho_ten": person_name(rng, female), "gioi_tinh": "Nữ" if female else "Nam",
                "nam_sinh": rng.randint(1966, 1995), "dan_toc": rng.choice(ETHNIC),
                "chuc_vu": rng.choice(JOBS_PRODUCTION if production else JOBS_OFFICE),
                "don_vi_cong_tac": unit.name, "truc_tiep_sx": "Có" if production else "Không",
                "hinh_thuc": award.name, "phong_trao": (m := rng.choice(campaign.movements)),
                "thanh_tich": rng.choice(ACHIEVEMENTS).format(m=m),
            })
    own = random.Random(f"dien-hinh-{unit.code}")  # the other draws stay as they were
    examples = [outstanding_example(own, campaign, unit) for _ in range(own.randint(1, 2))]
    total_value = sum(w["gia_tri"] for w in works)
    recognised = [i for i in initiatives if i["cap_cong_nhan"] != "Chưa công nhận"]
    individuals_awarded = rng.randint(5, 40)
    results = {
        "cdcs_phat_dong": cdcs, "luot_tham_gia": rng.randint(members // 2, members),
        "sang_kien": len(recognised),
        "gia_tri_sang_kien": sum(i["gia_tri_lam_loi"] for i in recognised),
        "cong_trinh": len(works), "gia_tri_cong_trinh": total_value,
        "tham_hoi_tet": rng.randint(members // 10, members // 4),
        "kinh_phi_tet": rng.randint(50, 400) * 1_000_000,
        "tap_the_khen": rng.randint(2, 15), "ca_nhan_khen": individuals_awarded,
        "cn_truc_tiep": rng.randint(1, individuals_awarded),
        "dien_hinh": rng.randint(1, 8),
    }
    assessment = ("Phong trào thi đua được triển khai sâu rộng đến các công đoàn cơ sở, thu "
                  "hút đông đảo đoàn viên tham gia; đề nghị LĐLĐ tỉnh tiếp tục hướng dẫn, "
                  "biểu dương kịp thời các điển hình tiên tiến.")
    by_title = {i.title: {"gia_tri": results[i.code]} for i in campaign.indicators
                if i.code in results}
    return {"thong_tin": info, "dang_ky": registration, "cong_trinh": works,
            "sang_kien": initiatives, "khen_tap_the": collectives,
            "khen_ca_nhan": individuals, "ket_qua": by_title, "danh_gia": assessment,
            "dien_hinh": examples}


def outstanding_example(rng: random.Random, campaign: Campaign, unit: Unit) -> dict:
    """One outstanding example a unit proposes (issue 15), with its story."""
    female = rng.random() < 0.5
    production = rng.random() < 0.5
    name = person_name(rng, female)
    job = rng.choice(JOBS_PRODUCTION if production else JOBS_OFFICE)
    model = rng.choice(MODELS)
    pronoun = "chị" if female else "anh"
    story = STORY.format(name=name, job=job.lower(), unit=unit.name, pronoun=pronoun,
                         pronoun_cap=pronoun.capitalize(), m=rng.choice(campaign.movements),
                         model_lower=model[0].lower() + model[1:], place=rng.choice(PLACES))
    return {"doi_tuong": "Cá nhân", "ho_ten": name, "gioi_tinh": "Nữ" if female else "Nam",
            "nam_sinh": rng.randint(1968, 1994), "dan_toc": rng.choice(ETHNIC),
            "chuc_vu": job, "don_vi_cong_tac": unit.name,
            "truc_tiep_sx": "Có" if production else "Không", "mo_hinh": model,
            "thanh_tich": story, "giai_doan": "2015-2020",
            "dien_thoai": f"09{rng.randint(10000000, 99999999)}"}


def phase_narrative(phase: int) -> dict[str, str]:
    """The clerk's own assessment of the phase, as typed on Cấu hình for the demo."""
    if phase == 1:
        return {
            "assessment": (
                "Đợt thi đua thứ nhất được các cấp công đoàn trong tỉnh triển khai kịp thời, "
                "gắn với kỷ niệm 90 năm Ngày thành lập Đảng, 130 năm Ngày sinh Chủ tịch Hồ "
                "Chí Minh và công tác phòng, chống dịch Covid-19. Nhiều công trình, sản phẩm "
                "chào mừng được hoàn thành, phong trào lao động giỏi, lao động sáng tạo tiếp "
                "tục lan tỏa trong công nhân, viên chức, lao động."),
            "shortcomings": (
                "Một số đơn vị báo cáo chậm, số liệu chưa đầy đủ; việc phát hiện, bồi dưỡng "
                "điển hình tiên tiến là công nhân trực tiếp sản xuất ở khu vực doanh nghiệp "
                "ngoài nhà nước còn hạn chế."),
            "directions": (
                "Tiếp tục đẩy mạnh phong trào thi đua đợt 2 chào mừng Đại hội Thi đua yêu nước "
                "toàn quốc lần thứ X và Đại hội đại biểu toàn quốc lần thứ XIII của Đảng; các "
                "đơn vị gửi báo cáo đúng hạn, đúng biểu mẫu."),
        }
    return {
        "assessment": (
            "Đợt thi đua thứ hai hướng về Đại hội Thi đua yêu nước toàn quốc lần thứ X và Đại "
            "hội đại biểu toàn quốc lần thứ XIII của Đảng; các cấp công đoàn hoàn thành tốt "
            "các chỉ tiêu đăng ký, chăm lo Tết cho đoàn viên, người lao động."),
        "shortcomings": "Công tác tổng hợp, báo cáo ở một số đơn vị còn chậm.",
        "directions": ("Tổ chức tổng kết phong trào thi đua năm 2020, xây dựng kế hoạch phát "
                       "động thi đua năm 2021."),
    }


def received_time(rng: random.Random, deadline: date, late: bool) -> date:
    if late:
        return deadline + timedelta(days=rng.randint(2, 9))
    return deadline - timedelta(days=rng.randint(0, 10))


# issue 14: the year-end self-scoring against the unit's block criteria.
EVIDENCE = ["Kế hoạch số {n}/KH-CĐ", "Báo cáo số {n}/BC-CĐ", "Quyết định số {n}/QĐ-CĐ",
            "Biên bản kiểm tra ngày {d}/12/2020"]


def self_scores(rng: random.Random, campaign: Campaign, unit: Unit) -> dict:
    """What one unit types on its self-scoring sheet: points and evidence by criterion
    code, and the total it adds up (right here; the demo's mistakes are made by the caller)."""
    strength = rng.uniform(0.78, 0.99)
    scores = {}
    for c in campaign.row_items("criteria", unit):
        if c.kind == CRIT_STANDARD:
            points = min(c.max_points, round(c.max_points * strength * rng.uniform(0.93, 1.05)
                                             * 2) / 2)
        else:
            points = float(rng.choice([0, 0, 1, 2])) if c.max_points >= 2 else 0.0
        scores[c.code] = {"diem_tu_cham": points,
                          "minh_chung": rng.choice(EVIDENCE).format(n=rng.randint(5, 95),
                                                                    d=rng.randint(1, 28))}
    total = sum(c.signed(scores[c.code]["diem_tu_cham"])
                for c in campaign.row_items("criteria", unit))
    return {"rows": scores, "total": round(total, 2)}
