"""One catalogue of every message a clerk can read, each with a code and placeholders.

Checks never write Vietnamese text inline: they create a :class:`Problem` from a
:class:`Msg` member, and tests assert on the same member (as pyxform does with its
``ErrorCode`` catalogue). Placeholders: ``{field}`` (column or row title), ``{sheet}``,
``{cell}``, ``{value}`` (what was found), ``{expected}`` (what was expected), ``{detail}``.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field as dataclass_field


class Severity(str, enum.Enum):
    ERROR = "Lỗi"  # the value (or file) is not taken
    WARNING = "Cảnh báo"  # taken, but the clerk should look
    INFO = "Ghi nhận"  # what was understood or changed while reading


class Msg(enum.Enum):
    """code -> (severity, template)."""

    # --- the file as a whole ------------------------------------------------------------
    FILE_EMPTY = ("F01", Severity.ERROR, "Tệp rỗng (0 byte), không có nội dung để đọc.")
    FILE_CORRUPT = ("F02", Severity.ERROR,
                    "Tệp bị hỏng hoặc không phải bảng tính đọc được. Đề nghị đơn vị mở lại "
                    "bằng Excel, chọn Lưu thành (Save As) kiểu “Excel Workbook (*.xlsx)” rồi "
                    "gửi lại.")
    FILE_ENCRYPTED = ("F03", Severity.ERROR,
                      "Tệp được đặt mật khẩu mở nên không đọc được. Đề nghị đơn vị gỡ mật "
                      "khẩu (Tệp > Thông tin > Bảo vệ sổ làm việc) rồi gửi lại.")
    FILE_NOT_A_FORM = ("F04", Severity.ERROR,
                       "Không phải biểu mẫu thi đua của LĐLĐ tỉnh (không thấy trang "
                       "“{expected}”). Đề nghị đơn vị dùng đúng biểu mẫu đã gửi.")
    FILE_UNKNOWN_UNIT = ("F05", Severity.ERROR,
                         "Mã đơn vị “{value}” không có trong danh sách đơn vị (trang Đơn vị).")
    FILE_OTHER_PHASE = ("F06", Severity.ERROR,
                        "Biểu mẫu của đợt {value}, không phải đợt đang tổng hợp (đợt "
                        "{expected}); không tổng hợp tệp này.")
    FILE_OTHER_YEAR = ("F07", Severity.ERROR,
                       "Biểu mẫu của năm {value}, không phải năm {expected}; không tổng hợp "
                       "tệp này.")
    FILE_OLD_VERSION = ("F08", Severity.ERROR,
                        "Biểu mẫu phiên bản {value} đã cũ (phiên bản hiện hành {expected}). "
                        "Đề nghị đơn vị nhập lại vào biểu mẫu mới.")
    FILE_TOO_LARGE = ("F09", Severity.ERROR,
                      "Tệp quá lớn khi giải nén ({value} MB, giới hạn {expected} MB); không "
                      "đọc để tránh treo máy.")
    FILE_SUPERSEDED = ("F10", Severity.WARNING,
                       "Đơn vị gửi nhiều tệp; tệp này cũ hơn nên không dùng (dùng tệp "
                       "“{expected}”).")
    FILE_SEVERAL = ("F11", Severity.WARNING,
                    "Đơn vị gửi {value} tệp; dùng tệp này vì mới nhất (các tệp khác: "
                    "{expected}).")
    FILE_IDENTITY_MISMATCH = ("F12", Severity.ERROR,
                              "Ô “{field}” ghi “{value}” nhưng tệp được tạo cho “{expected}”. "
                              "Có thể đơn vị đã chép biểu mẫu của đơn vị khác; không tổng hợp.")
    FILE_NO_META = ("F13", Severity.WARNING,
                    "Tệp không còn trang thông tin ẩn của biểu mẫu (có thể đã chép sang sổ "
                    "mới); đơn vị được xác định theo trang “{sheet}”.")
    FILE_LATE = ("F14", Severity.WARNING,
                 "Tệp nhận ngày {value}, sau hạn báo cáo {expected}.")
    FILE_NAME_MISMATCH = ("F15", Severity.WARNING,
                          "Tên tệp mang mã “{value}” nhưng nội dung là của đơn vị “{expected}”; "
                          "tổng hợp theo nội dung.")
    FILE_IGNORED = ("F16", Severity.INFO, "Không đọc tệp này: {detail}")
    FILE_READ_CRASH = ("F17", Severity.ERROR,
                       "Không đọc được tệp do lỗi bất thường của chương trình đọc; các tệp khác "
                       "vẫn được tổng hợp. Đề nghị gửi tệp này cho bộ phận kỹ thuật (xem cột "
                       "Chi tiết kỹ thuật).")
    FILE_DISGUISED = ("F18", Severity.ERROR,
                      "Tệp mang đuôi {value} nhưng thực chất là {detail}, không phải sổ Excel. "
                      "Đề nghị đơn vị mở tệp bằng Excel, chọn Lưu thành (Save As) kiểu “Excel "
                      "Workbook (*.xlsx)” rồi gửi lại.")

    # issue 10: reading
    FILE_READER_DIED = ("F19", Severity.ERROR,
                        "Chương trình đọc bị dừng đột ngột khi đọc tệp này (tệp hỏng hoặc cần "
                        "quá nhiều bộ nhớ); các tệp khác vẫn được tổng hợp. Đề nghị đơn vị mở "
                        "tệp bằng Excel, chọn Lưu thành (Save As) kiểu “Excel Workbook (*.xlsx)” "
                        "rồi gửi lại.")
    FILE_TIMED_OUT = ("F20", Severity.ERROR,
                      "Đọc tệp quá {expected} giây nên đã dừng; các tệp khác vẫn được tổng "
                      "hợp. Đề nghị đơn vị xóa các dòng, cột, hình ảnh thừa, lưu lại bằng "
                      "Excel rồi gửi lại.")
    FILE_OUT_OF_MEMORY = ("F21", Severity.ERROR,
                          "Tệp cần quá nhiều bộ nhớ để đọc nên không đọc; các tệp khác vẫn được "
                          "tổng hợp. Đề nghị đơn vị xóa các dòng, cột thừa rồi lưu và gửi lại.")
    SHEET_TOO_FAR = ("F22", Severity.ERROR,
                     "Trang “{sheet}” có dữ liệu tới ô {cell}, vượt xa phạm vi biểu mẫu "
                     "({expected}); không đọc tệp để tránh treo máy. Đề nghị đơn vị bấm Ctrl+End "
                     "trên trang này để tìm ô xa nhất, xóa các dòng, cột thừa rồi lưu và gửi lại.")
    FILE_TOO_OLD = ("F23", Severity.ERROR,
                    "Tệp là {detail}, một định dạng cũ không chứa được biểu mẫu nhiều trang. Đề "
                    "nghị đơn vị nhập số liệu vào biểu mẫu đã gửi (tệp .xlsx), lưu bằng Excel "
                    "rồi gửi lại.")
    FILE_DEFAULT_PASSWORD = ("F24", Severity.INFO,
                             "Tệp được mã hóa bằng mật khẩu mặc định của Excel (Excel mở không "
                             "cần hỏi mật khẩu); đã giải mã để đọc.")
    FILE_SECOND_READER = ("F25", Severity.WARNING,
                          "Bộ đọc chính không đọc được tệp ({detail}); đã đọc bằng bộ đọc dự "
                          "phòng. Đề nghị kiểm tra kỹ số liệu của đơn vị này.")

    # --- sheets and columns ---------------------------------------------------------------
    SHEET_MISSING = ("S01", Severity.ERROR,
                     "Thiếu trang tính “{sheet}”; phần này của đơn vị chưa được tổng hợp.")
    COLUMN_MISSING = ("S02", Severity.ERROR,
                      "Trang “{sheet}” không có cột “{expected}”; cột này để trống.")
    COLUMN_RENAMED = ("S03", Severity.INFO,
                      "Cột “{value}” ở ô {cell} được hiểu là cột “{expected}”.")
    COLUMN_UNKNOWN = ("S04", Severity.WARNING,
                      "Cột “{value}” ở ô {cell} không có trong biểu mẫu; bỏ qua cột này.")
    MERGED_CELLS = ("S05", Severity.WARNING,
                    "Vùng ô gộp {value} trên trang “{sheet}”: chỉ lấy giá trị ở ô đầu.")
    ROW_NOT_IN_FORM = ("S06", Severity.WARNING,
                       "Dòng “{value}” ở ô {cell} không có trong danh mục “{expected}”; "
                       "bỏ qua dòng này.")
    SHEET_RENAMED = ("S07", Severity.INFO,
                     "Trang “{value}” được hiểu là trang “{expected}”.")

    # --- values ---------------------------------------------------------------------------
    REQUIRED = ("V01", Severity.ERROR, "Chưa nhập “{field}” (bắt buộc).")
    NOT_A_NUMBER = ("V02", Severity.ERROR, "“{field}”: “{value}” không phải là số.")
    NOT_AN_INTEGER = ("V03", Severity.ERROR, "“{field}”: “{value}” không phải là số nguyên.")
    NOT_A_DATE = ("V04", Severity.ERROR,
                  "“{field}”: “{value}” không phải là ngày (nhập theo dạng ngày/tháng/năm).")
    NOT_A_CHOICE = ("V05", Severity.ERROR,
                    "“{field}”: “{value}” không có trong danh sách chọn ({expected}).")
    BELOW_MIN = ("V06", Severity.ERROR, "“{field}”: {value} nhỏ hơn {expected}.")
    ABOVE_MAX = ("V07", Severity.ERROR, "“{field}”: {value} lớn hơn {expected}.")
    DATE_OUTSIDE = ("V08", Severity.WARNING,
                    "“{field}”: ngày {value} nằm ngoài {expected}.")
    TOO_LONG = ("V09", Severity.ERROR,
                "“{field}”: dài {value} ký tự, quá {expected} ký tự cho phép.")
    BAD_PHONE = ("V10", Severity.ERROR,
                 "“{field}”: “{value}” không phải số điện thoại (10–11 chữ số).")
    BAD_EMAIL = ("V11", Severity.WARNING, "“{field}”: “{value}” không phải địa chỉ email.")
    REQUIRED_IF_YES = ("V12", Severity.ERROR,
                       "Đã đăng ký (“{detail}” = Có) nhưng chưa nhập “{field}”.")
    ABOVE_UNIT_TOTAL = ("V13", Severity.ERROR,
                        "“{field}”: {value} lớn hơn “{detail}” của đơn vị ({expected}).")
    ABOVE_FIELD = ("V14", Severity.WARNING,
                   "“{field}”: {value} lớn hơn “{detail}” ({expected}).")
    DATE_BEFORE = ("V15", Severity.ERROR,
                   "“{field}”: ngày {value} trước “{detail}” ({expected}).")
    AGE_OUT_OF_RANGE = ("V16", Severity.ERROR,
                        "“{field}”: năm sinh {value} cho tuổi {detail} trong năm thi đua, "
                        "ngoài khoảng {expected}.")
    IDENTITY_CHANGED = ("V17", Severity.WARNING,
                        "Ô khóa “{field}” đã bị sửa thành “{value}”; dùng giá trị gốc "
                        "“{expected}”.")
    ABOVE_INDICATOR = ("V18", Severity.ERROR,
                       "“{field}”: {value} lớn hơn chỉ tiêu “{detail}” ({expected}).")

    # --- what was understood while reading --------------------------------------------------
    CONVERTED_TCVN3 = ("N01", Severity.INFO,
                       "Đã chuyển {value} ô gõ bằng bảng mã TCVN3 (ABC) sang Unicode: "
                       "{detail}. Đề nghị xem lại các ô này.")
    CONVERTED_VNI = ("N02", Severity.INFO,
                     "Đã chuyển {value} ô gõ bằng bảng mã VNI sang Unicode: {detail}. Đề nghị "
                     "xem lại các ô này.")
    NUMBER_FROM_TEXT = ("N03", Severity.INFO,
                        "“{field}”: số gõ dạng chữ “{value}” được hiểu là {expected}.")
    DATE_FROM_TEXT = ("N04", Severity.INFO,
                      "“{field}”: ngày gõ dạng chữ “{value}” được hiểu là {expected}.")
    FORMULA_VALUE = ("N05", Severity.INFO,
                     "“{field}”: ô có công thức; dùng giá trị đã tính {value}.")
    CHOICE_FROM_TEXT = ("N06", Severity.INFO,
                        "“{field}”: “{value}” được hiểu là “{expected}”.")

    # issue 13: what people type
    LEGACY_UNDECIDED = ("V19", Severity.WARNING,
                        "“{field}”: “{value}” có vẻ gõ bằng bảng mã cũ (TCVN3 hoặc VNI) nhưng "
                        "không xác định được bảng mã nên giữ nguyên. Đề nghị đơn vị gõ lại "
                        "bằng Unicode.")
    NOT_FINITE = ("V20", Severity.ERROR,
                  "“{field}”: “{value}” không phải là một số hữu hạn; không lấy giá trị này.")
    NUMBER_TOO_LARGE = ("V21", Severity.ERROR,
                        "“{field}”: “{value}” lớn bất thường (quá một triệu tỷ); không lấy giá "
                        "trị này, đề nghị đơn vị kiểm tra lại.")
    DATE_YEAR_ONLY = ("V22", Severity.WARNING,
                      "“{field}”: chỉ ghi năm {value}, không phải ngày; đề nghị ghi đủ "
                      "ngày/tháng/năm.")
    CELL_ERROR = ("V23", Severity.ERROR,
                  "“{field}”: ô có lỗi công thức {value}; không lấy giá trị. Đề nghị đơn vị "
                  "sửa công thức rồi gửi lại.")
    FORMULA_NO_VALUE = ("V24", Severity.WARNING,
                        "“{field}”: ô có công thức nhưng tệp không lưu giá trị đã tính; coi như "
                        "để trống. Đề nghị đơn vị mở tệp bằng Excel, lưu lại rồi gửi.")
    DUPLICATE_ROW = ("V25", Severity.WARNING,
                     "“{value}” có hai lần trên trang “{sheet}” (dòng {expected} và dòng "
                     "{detail}); chỉ lấy dòng {expected}, đề nghị đơn vị bỏ dòng thừa.")
    CONTROL_STRIPPED = ("N20", Severity.INFO,
                        "“{field}”: đã bỏ ký tự điều khiển hoặc ký tự đảo chiều văn bản "
                        "trong “{value}”.")

    # --- across files -----------------------------------------------------------------------
    DUPLICATE_PERSON = ("X01", Severity.WARNING,
                        "“{value}” được đề nghị hai lần (cũng có ở {expected}).")
    QUOTA_EXCEEDED = ("X02", Severity.WARNING,
                      "Đơn vị đề nghị {value} “{field}”, vượt số tối đa {expected} cho loại "
                      "đơn vị này.")
    ALREADY_AWARDED = ("X03", Severity.WARNING,
                       "“{value}” đã được khen “{field}” ({detail}); xem lại trước khi duyệt.")
    DUPLICATE_COLLECTIVE = ("X04", Severity.WARNING,
                            "Tập thể “{value}” được đề nghị hai lần (cũng có ở {expected}).")

    # issue 11: the clerk's review, its flags, and the check before documents
    NAME_WITHOUT_DIACRITICS = ("X05", Severity.WARNING,
                               "“{value}” viết không dấu, có thể là “{expected}” ({detail}); "
                               "xem có phải cùng một người không.")
    REVIEW_NOT_MATCHED = ("X06", Severity.WARNING,
                          "Không tìm thấy dòng để giữ kết quả duyệt: “{value}” ({detail}). "
                          "Đơn vị đã bỏ hoặc sửa dòng này; kết quả duyệt cũ vẫn lưu trong sổ "
                          "theo dõi, đề nghị duyệt lại dòng mới.")
    REVIEW_KEPT = ("N12", Severity.INFO,
                   "Không còn dòng này trong tệp đơn vị gửi lại; kết quả duyệt cũ: {detail}")
    NOTES_SUMMARY = ("N10", Severity.INFO,
                     "{value} ô được ghi nhận cùng loại; ví dụ ô {cell}: {detail}")
    NAME_CASE_TIDIED = ("N11", Severity.INFO,
                        "“{field}”: “{value}” gõ toàn chữ thường hoặc chữ hoa, được ghi là "
                        "“{expected}”.")
    PREFLIGHT_BLOCKED = ("C20", Severity.ERROR,
                         "Chưa tạo văn bản: còn {value} vấn đề trong các dòng đã duyệt. Sửa cột "
                         "Duyệt, hoặc với cảnh báo đã xem xét thì ghi “Đã xem xét” = Có và lý do "
                         "ở cột Ghi chú, rồi bấm Tạo văn bản lại. Không văn bản nào được đánh "
                         "số hay ghi.\n{detail}")
    PREFLIGHT_SAME_FORM_TWICE = ("C21", Severity.ERROR,
                                 "được duyệt hai lần cùng hình thức “{field}” (cũng ở "
                                 "{expected}); chỉ được duyệt một lần.")
    PREFLIGHT_TWICE = ("C22", Severity.WARNING,
                       "được duyệt hai lần (cũng ở {expected}, “{field}”).")
    PREFLIGHT_QUOTA = ("C23", Severity.WARNING,
                       "đơn vị có {detail} “{field}” được duyệt, vượt số tối đa {expected}.")
    PREFLIGHT_ALREADY_AWARDED = ("C24", Severity.WARNING,
                                 "đã được khen “{field}” ({detail}).")
    PREFLIGHT_UNKNOWN_FORM = ("C25", Severity.ERROR,
                              "hình thức được khen “{field}” không có trong danh mục tỉnh khen "
                              "hoặc đề nghị khen cho {expected}.")
    PREFLIGHT_ROW_ERROR = ("C26", Severity.ERROR,
                           "dòng còn lỗi chưa sửa ({detail}); không duyệt dòng có lỗi.")
    PREFLIGHT_NO_FORM = ("C27", Severity.ERROR,
                         "được duyệt nhưng chưa chọn “Hình thức được khen”.")
    PREFLIGHT_NO_REASON = ("C28", Severity.WARNING,
                           "đánh dấu “Đã xem xét” nhưng chưa ghi lý do ở cột Ghi chú: {detail}")

    # --- the clerk's own set-up (the run cannot go on) --------------------------------------
    NO_CONTROL_WORKBOOK = ("C01", Severity.ERROR,
                           "Không tìm thấy sổ tổng hợp “{value}”. Chạy “thidua init” để tạo "
                           "thư mục phong trào.")
    BAD_SETTINGS = ("C02", Severity.ERROR,
                    "Không đọc được cấu hình trên trang “{sheet}” ô {cell}: {detail}")
    NOT_CONTROL_WORKBOOK = ("C03", Severity.ERROR,
                            "Sổ “{value}” không phải sổ tổng hợp thi đua (thiếu trang "
                            "“{expected}”).")
    REGISTER_UNAVAILABLE = ("C04", Severity.ERROR,
                            "Không ghi được sổ theo dõi ({detail}); sổ tổng hợp và sổ theo dõi "
                            "giữ nguyên như trước lần chạy.")
    CONTROL_OTHER_PHASE = ("C08", Severity.ERROR,
                           "Sổ tổng hợp đang chứa số liệu đợt {value}, không phải đợt "
                           "{expected}. Chạy Tổng hợp cho đợt {expected} trước khi tạo văn bản.")
    CONTROL_LOCKED = ("C09", Severity.ERROR,
                      "Không ghi được sổ tổng hợp “{value}”: sổ đang mở trong Excel "
                      "hoặc thư mục không cho ghi. Đóng sổ rồi chạy lại, hoặc bấm Tổng hợp ngay "
                      "trong Excel. Sổ tổng hợp và sổ theo dõi vẫn giữ nguyên.")
    TEMPLATE_FIELD_MISSING = ("C05", Severity.ERROR,
                              "Mẫu văn bản “{value}” cần trường “{field}” mà dữ liệu không có.")
    CONTROL_EXISTS = ("C06", Severity.ERROR,
                      "Thư mục đã có sổ tổng hợp “{value}”; không ghi đè. Chọn thư mục khác, "
                      "hoặc tự đổi tên sổ cũ nếu thật sự muốn tạo lại.")
    UNKNOWN_PHASE = ("C07", Severity.ERROR,
                     "Không có đợt {value} trên trang Cấu hình (các đợt: {expected}).")
    # issue 10: commands
    BAD_COMMAND_LINE = ("C15", Severity.ERROR,
                        "Lệnh “{value}” chưa đúng: {detail}. Gõ “{value} --help” để xem cách "
                        "dùng.")
    CONTROL_UNREADABLE = ("C16", Severity.ERROR,
                          "Không mở được sổ tổng hợp “{value}”: tệp bị hỏng hoặc không còn là "
                          "tệp Excel. Bản sao gần nhất là “{expected}” (thư mục backup): chép "
                          "bản đó ra thư mục phong trào, đặt lại tên “{value}” rồi chạy lại.")
    CONTROL_UNREADABLE_NO_BACKUP = ("C17", Severity.ERROR,
                                    "Không mở được sổ tổng hợp “{value}”: tệp bị hỏng hoặc "
                                    "không còn là tệp Excel, và thư mục backup chưa có bản sao "
                                    "nào. Lấy lại sổ từ bản lưu của văn phòng rồi chạy lại.")
    UNEXPECTED_ERROR = ("C18", Severity.ERROR,
                        "“{value}” dừng vì một lỗi ngoài dự kiến của chương trình. Chi tiết kỹ "
                        "thuật đã ghi vào tệp “{expected}”; gửi tệp đó cho bộ phận kỹ thuật.")
    ADDIN_NO_BOOK = ("C19", Severity.ERROR,
                     "Chưa có sổ nào đang mở để sửa. Mở sổ tổng hợp của thư mục phong trào "
                     "(TongHopThiDua.xlsx); nếu Excel mở sổ ở Chế độ xem được bảo vệ (Protected "
                     "View), bấm “Enable Editing” (Cho phép sửa). Rồi bấm lại nút trên thẻ "
                     "Thi đua.")
    # issue 10: register
    DECISION_NUMBER_TAKEN = ("C10", Severity.ERROR,
                             "Số văn bản {value} đã cấp cho văn bản của đợt {field}; không ghi "
                             "đè văn bản đó bằng văn bản của đợt {expected}. Không văn bản nào "
                             "của lần chạy này được lưu; chạy lại để lấy số mới.")

    # issue 12
    DOC_NUMBERS_NOT_SHOWN = ("C30", Severity.WARNING,
                             "Đã tạo văn bản nhưng không ghi được số văn bản tiếp theo lên "
                             "trang Cấu hình của sổ “{value}” ({detail}). Đóng sổ trong Excel "
                             "rồi sửa khối “SỐ VĂN BẢN” theo sổ theo dõi.")

    # issue 15: outstanding examples and the delegates to their conference
    OUTSTANDING_TWICE = ("E01", Severity.WARNING,
                         "“{value}” được nhiều đơn vị đề nghị là điển hình tiên tiến (cũng có ở "
                         "{expected}); chỉ chọn ở một đơn vị.")
    STORY_MISSING = ("E02", Severity.WARNING,
                     "“{value}” chưa có thành tích, câu chuyện điển hình; đề nghị đơn vị bổ "
                     "sung trước khi chọn làm đại biểu.")
    STORY_TOO_SHORT = ("E03", Severity.WARNING,
                       "Câu chuyện điển hình của “{value}” chỉ có {detail} ký tự, ít hơn "
                       "{expected}; đề nghị đơn vị viết đầy đủ hơn để đăng kỷ yếu.")
    DELEGATES_OVER = ("E04", Severity.ERROR,
                      "đã chọn {detail} đại biểu, vượt số được cử {expected}; bỏ chọn bớt ở cột "
                      "“Chọn làm đại biểu”.")
    DELEGATES_UNIT_OVER = ("E05", Severity.ERROR,
                           "đơn vị có {detail} đại biểu được chọn, vượt số tối đa {expected} "
                           "của đơn vị.")
    DELEGATES_SHARE_LOW = ("E06", Severity.ERROR,
                           "trong {detail} đại biểu được chọn chỉ có {field} công nhân, lao "
                           "động trực tiếp sản xuất, dưới tỷ lệ tối thiểu {expected}.")
    DELEGATE_TWICE = ("E07", Severity.ERROR,
                      "được chọn làm đại biểu hai lần (cũng ở {expected}); chỉ chọn một lần.")
    OPTIONAL_SHEET_MISSING = ("E09", Severity.INFO,
                              "Tệp không có trang “{sheet}”: coi như đơn vị không đề nghị "
                              "điển hình tiên tiến.")
    DELEGATE_BEFORE = ("E10", Severity.WARNING,
                       "“{value}” đã là đại biểu hội nghị điển hình tiên tiến ({detail}); xem "
                       "xét trước khi chọn lại.")
    CONFERENCE_UNSET = ("E08", Severity.ERROR,
                        "đã chọn đại biểu nhưng trang Cấu hình chưa có {field} (khối “ĐIỂN "
                        "HÌNH TIÊN TIẾN”); giấy mời cần ghi đủ ngày và địa điểm hội nghị.")
    # QA: a control workbook made by an earlier version
    SETTINGS_BLOCK_ADDED = ("C40", Severity.WARNING,
                            "Trang Cấu hình chưa có khối “{value}” (sổ tạo bằng phiên bản "
                            "trước): đã dùng giá trị mặc định, {detail}. Kiểm tra văn bản; "
                            "muốn sửa, chép khối này từ trang Cấu hình của một sổ mới (lệnh "
                            "“thidua init”) vào dưới cùng trang Cấu hình rồi sửa.")
    SETTINGS_BLOCK_RENAMED = ("C41", Severity.INFO,
                              "Khối “{value}” ở ô {cell} trang Cấu hình được hiểu là khối "
                              "“{expected}”.")

    # --- documents (docgen) -------------------------------------------------------------------
    DOC_SHEET_MISSING = ("D01", Severity.WARNING,
                         "Sổ tổng hợp chưa có trang “{sheet}” (chưa chạy Tổng hợp?); văn bản "
                         "coi phần này là không có số liệu.")
    DOC_APPROVED_NO_FORM = ("D02", Severity.WARNING,
                            "Ô {cell}: “{value}” được duyệt nhưng chưa chọn “{field}”; không "
                            "đưa vào quyết định.")
    DOC_UNKNOWN_AWARD = ("D03", Severity.WARNING,
                         "Ô {cell}: hình thức “{value}” không có trong danh mục hình thức khen "
                         "thưởng cho {expected}; không đưa vào văn bản.")
    DOC_SKIPPED_NOBODY = ("D04", Severity.INFO,
                          "Không tạo “{value}”: không có {expected} nào được duyệt.")
    DOC_SKIPPED_NO_PLAQUE = ("D05", Severity.INFO,
                             "Không tạo “{value}”: không có công trình, sản phẩm nào đề nghị "
                             "gắn biển.")
    DOC_NO_PDF = ("D06", Severity.WARNING,
                  "Không tìm thấy LibreOffice hoặc Microsoft Word: chỉ tạo tệp Word, không tạo "
                  "bản PDF.")
    DOC_PDF_FAILED = ("D07", Severity.WARNING,
                      "Không chuyển được “{value}” sang PDF ({detail}).")
    DOC_PHASE_NOT_IN_REGISTER = ("D08", Severity.WARNING,
                                 "Sổ theo dõi chưa có số liệu đợt {value}; báo cáo tổng kết "
                                 "chỉ tính các đợt đã có.")
    DOC_SUMMARY = ("D09", Severity.INFO,
                   "Đã tạo {value} tệp Word và {expected} bản PDF.{detail}")

    # --- the register ------------------------------------------------------------------------
    HISTORY_EMPTY = ("H01", Severity.INFO,
                     "Sổ theo dõi chưa có đề nghị khen thưởng nào khớp với {detail}.")

    # --- the Excel add-in (ribbon buttons) ----------------------------------------------------
    ADDIN_WINDOWS_ONLY = ("A01", Severity.ERROR,
                          "Chỉ cài được add-in trên Windows có Excel (máy này: {value}). Chạy "
                          "“thidua addin build” rồi chép tệp thidua.xlam sang máy Windows.")
    ADDIN_RUNNING = ("A02", Severity.INFO, "Thi đua: đang {detail}…")
    ADDIN_DONE = ("A03", Severity.INFO, "{detail}\nThư mục kết quả: {value}")
    ADDIN_TEMPLATES_DONE = ("A04", Severity.INFO,
                            "Đã tạo {value} biểu mẫu cho đợt {expected}.")
    ADDIN_FOLDER = ("A05", Severity.INFO, "Thư mục kết quả: {value}")

    # issue 17 --- mail: sending templates, collecting returns, replying -------------------
    MAIL_NOT_SET = ("M01", Severity.ERROR,
                    "Chưa nhập “{field}” trong khối “THƯ ĐIỆN TỬ” của trang Cấu hình.")
    MAIL_NO_PASSWORD = ("M02", Severity.ERROR,
                        "Chưa có mật khẩu của tài khoản thư “{value}”. Chạy lệnh trong cửa "
                        "sổ dòng lệnh để nhập mật khẩu (được lưu trong máy, không ghi vào "
                        "sổ), hoặc đặt biến môi trường {expected}.")
    MAIL_CONNECT_FAILED = ("M03", Severity.ERROR,
                           "Không kết nối được máy chủ thư {value} ({detail}). Kiểm tra địa "
                           "chỉ, cổng, kiểu bảo mật trên trang Cấu hình và mạng.")
    MAIL_LOGIN_FAILED = ("M04", Severity.ERROR,
                         "Máy chủ thư {value} không chấp nhận tài khoản “{expected}”: kiểm "
                         "tra tên tài khoản và mật khẩu.")
    MAIL_UNIT_NO_ADDRESS = ("M05", Severity.WARNING,
                            "Đơn vị {value} chưa có địa chỉ thư (trang Đơn vị, cột Email): "
                            "không gửi.")
    MAIL_NO_TEMPLATE = ("M06", Severity.WARNING,
                        "Chưa có biểu mẫu của đơn vị {value} trong thư mục {expected}: bấm "
                        "Tạo biểu mẫu trước.")
    MAIL_SEND_FAILED = ("M07", Severity.ERROR,
                        "Không gửi được thư cho đơn vị {value} ({detail}); lần chạy sau sẽ "
                        "gửi lại.")
    MAIL_SENT_SUMMARY = ("M08", Severity.INFO,
                         "Đã gửi {value} thư, {expected} thư không gửi được, {detail} thư đã "
                         "gửi từ trước.")
    MAIL_DRY_RUN = ("M09", Severity.INFO,
                    "Chạy thử: sẽ gửi {value} thư (không gửi thư nào).")
    MAIL_WRONG_SENDER = ("M10", Severity.WARNING,
                         "Tệp “{value}” gửi từ địa chỉ {field} của đơn vị {expected}, nhưng "
                         "tên tệp là của đơn vị {detail}. Kiểm tra lại trước khi tổng hợp.")
    MAIL_UNKNOWN_SENDER = ("M11", Severity.WARNING,
                           "Tệp “{value}” gửi từ địa chỉ {field} không có trong danh sách "
                           "đơn vị (trang Đơn vị, cột Email).")
    MAIL_DUPLICATE = ("M12", Severity.INFO,
                      "Tệp “{value}” trùng nội dung với tệp đã nhận “{expected}”: không lưu "
                      "lại.")
    MAIL_TOO_MANY = ("M13", Severity.ERROR,
                     "Thư của {field} có {value} tệp đính kèm, quá giới hạn {expected}; các "
                     "tệp sau không được lưu.")
    MAIL_UNSAFE_NAME = ("M14", Severity.WARNING,
                        "Tên tệp đính kèm “{value}” chứa đường dẫn; chỉ giữ tên tệp "
                        "“{expected}”.")
    MAIL_ZIP_BOMB = ("M15", Severity.ERROR,
                     "Tệp nén “{value}” giải nén quá lớn hoặc quá nhiều tệp (giới hạn "
                     "{expected} MB): không giải nén.")
    MAIL_BAD_ZIP = ("M16", Severity.ERROR,
                    "Tệp nén “{value}” bị hỏng, không giải nén được ({detail}).")
    MAIL_BAD_PART = ("M17", Severity.ERROR,
                     "Thư của {field} (tiêu đề “{value}”) có phần đính kèm hỏng, không đọc "
                     "được ({detail}); các phần khác vẫn được nhận.")
    MAIL_FETCH_SUMMARY = ("M18", Severity.INFO,
                          "Đã đọc {value} thư mới, lưu {expected} tệp vào thư mục nhận{detail}.")
    MAIL_ATTACHMENT_TOO_LARGE = ("M19", Severity.ERROR,
                                 "Tệp đính kèm “{value}” quá lớn ({detail} MB, giới hạn "
                                 "{expected} MB): không lưu.")
    MAIL_NO_CONSOLIDATION = ("M20", Severity.ERROR,
                             "Sổ tổng hợp chưa có trang “{sheet}”: bấm Tổng hợp trước khi "
                             "gửi phản hồi.")
    MAIL_REPLIED_BEFORE = ("M21", Severity.INFO,
                           "Đơn vị {value} đã được phản hồi về tệp “{expected}”: không gửi "
                           "lại.")
    MAIL_MESSAGE_CRASH = ("M22", Severity.ERROR,
                          "Không đọc được thư số {value} ({detail}); các thư khác vẫn được "
                          "nhận. Thư vẫn còn nguyên trong hộp thư.")
    MAIL_MAILBOX_MISSING = ("M23", Severity.ERROR,
                            "Hộp thư không có thư mục “{value}” (trang Cấu hình, “Thư mục thư "
                            "đến (IMAP)”).")
    MAIL_UNIT_BAD_ADDRESS = ("M24", Severity.WARNING,
                             "Địa chỉ thư “{expected}” của đơn vị {value} không đúng dạng "
                             "(trang Đơn vị, cột Email): không gửi.")
    MAIL_NO_LOCAL_SERVER = ("M25", Severity.ERROR,
                            "Máy chưa cài Dovecot nên không chạy được phần thư điện tử của "
                            "bản chạy thử (cài bằng: apt-get install dovecot-imapd).")
    # issue 16: every level of the union (a lower level's campaign, report upward, new year)
    UPPER_NOT_TEMPLATE = ("L01", Severity.ERROR,
                          "Tệp “{value}” không phải biểu mẫu thi đua do cấp trên gửi ({detail}). "
                          "Dùng đúng tệp biểu mẫu cấp trên gửi cho đơn vị (tên dạng "
                          "<Mã đơn vị>_Dot<N>_<Năm>.xlsx), không mở ra sửa trước.")
    UPPER_NO_TEMPLATE = ("L02", Severity.ERROR,
                         "Thư mục “{value}” không có biểu mẫu đợt {expected} của cấp trên cho "
                         "đơn vị {field}. Chép tệp biểu mẫu cấp trên gửi vào thư mục đó rồi "
                         "chạy lại.")
    UPPER_MISMATCH = ("L03", Severity.ERROR,
                      "Trang Cấu hình khác biểu mẫu của cấp trên ở khối “{field}”: {detail}. "
                      "Khối này phải giữ đúng như cấp trên (không thêm, bớt, sửa); sửa lại "
                      "trang Cấu hình rồi chạy lại.")
    UPPER_OVER_QUOTA = ("L04", Severity.ERROR,
                        "Đã duyệt đề nghị lên cấp trên {value} {field} “{detail}”, vượt số "
                        "lượng cấp trên cho phép ({expected}). Sửa cột Duyệt trên trang "
                        "{sheet} rồi chạy lại.")
    UPPER_ROW_LEFT_OUT = ("L05", Severity.WARNING,
                          "Dòng {cell} trang {sheet} ({value}) không đưa vào báo cáo lên cấp "
                          "trên vì thiếu “{field}”.")
    UPPER_NOT_LINKED = ("L06", Severity.ERROR,
                        "Trang Cấu hình chưa ghi “Mã đơn vị ở cấp trên” (khối BÁO CÁO LÊN CẤP "
                        "TRÊN); thư mục phong trào này không được tạo từ biểu mẫu cấp trên.")
    UPPER_REPORT_DONE = ("L07", Severity.INFO,
                         "Đã lập báo cáo lên cấp trên “{value}” từ {expected} đơn vị; gửi "
                         "chính tệp này cho cấp trên.")
    LAST_YEAR_MISSING = ("L08", Severity.ERROR,
                         "Không thấy sổ tổng hợp của năm trước trong thư mục “{value}”.")
    CHECK_SETTING = ("L09", Severity.INFO, "Kiểm tra trên trang Cấu hình: {field} — {detail}")
    # issue 14: emulation blocks, self-scoring, the federation's scoring and the ranking
    ROW_OF_OTHER_BLOCK = ("B01", Severity.ERROR,
                          "“{value}” là {expected} của khối thi đua khác, không phải khối của "
                          "đơn vị: đơn vị chấm điểm sai khối. Dòng này không được tính; đề "
                          "nghị đơn vị chấm lại trên biểu mẫu mới gửi.")
    SCORE_ABOVE_ITEM_MAX = ("B02", Severity.ERROR,
                            "“{field}”: {value} lớn hơn điểm tối đa {expected} của tiêu chí; "
                            "điểm này không được tính. Đề nghị đơn vị chấm lại.")
    SCORE_TOTAL_MISMATCH = ("B03", Severity.WARNING,
                            "Tổng điểm tự chấm ghi {value} nhưng cộng các tiêu chí được "
                            "{expected}; Chấm điểm dùng {expected}.")
    SCORE_MISSING = ("B04", Severity.WARNING,
                     "Đơn vị thuộc “{value}” chưa có điểm tự chấm (chưa nộp báo cáo cuối "
                     "năm hoặc chưa chấm tiêu chí nào); không xếp hạng.")
    ASSESSED_TOTAL_MISMATCH = ("B05", Severity.WARNING,
                               "Ô {cell}: tổng điểm thẩm định {value} khác tổng các phần "
                               "{expected}; xếp hạng theo {value} đã nhập.")
    ASSESSED_NOT_A_NUMBER = ("B06", Severity.WARNING,
                             "Ô {cell}: điểm thẩm định “{value}” không phải là số; không "
                             "tính.")
    SCORE_TIE_AT_PROPOSAL = ("B07", Severity.WARNING,
                             "{value}: các đơn vị {detail} đồng hạng {expected}; đều được "
                             "đề nghị, đề nghị xem xét trước khi duyệt.")
    UNIT_WITHOUT_BLOCK = ("B08", Severity.WARNING,
                          "Đơn vị có điểm tự chấm nhưng không thuộc khối thi đua nào "
                          "(xem khối KHỐI THI ĐUA trên trang Cấu hình); không xếp hạng.")
    DOC_SKIPPED_NO_BLOCKS = ("B09", Severity.INFO,
                             "Không tạo giao ước thi đua: trang Cấu hình chưa có khối thi "
                             "đua nào có đơn vị và tiêu chí.")
    DOC_SKIPPED_NO_SCORES = ("B10", Severity.INFO,
                             "Không tạo “{value}”: trang Chấm điểm chưa có đơn vị nào được "
                             "xếp loại.")

    @property
    def code(self) -> str:
        return self.value[0]

    @property
    def severity(self) -> Severity:
        return self.value[1]

    @property
    def template(self) -> str:
        return self.value[2]


@dataclass(slots=True)
class Problem:
    """One row of the *Lỗi* sheet: what is wrong (or understood), and exactly where."""

    msg: Msg
    file: str = ""
    sheet: str = ""
    cell: str = ""
    field: str = ""
    value: object = ""
    expected: object = ""
    detail: str = ""
    unit: str = ""
    severity: Severity | None = None  # overrides msg.severity where a rule says so
    technical: str = ""  # a library's own words (exception type and text), never in ``text``
    extra: dict = dataclass_field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.severity is None:
            self.severity = self.msg.severity

    @property
    def code(self) -> str:
        return self.msg.code

    @property
    def text(self) -> str:
        return self.msg.template.format(
            field=self.field, sheet=self.sheet, cell=self.cell, value=show_value(self.value),
            expected=show_value(self.expected), detail=self.detail)


class SetupError(Exception):
    """The clerk's own set-up is wrong (no control workbook, unreadable settings)."""

    def __init__(self, problem: Problem):
        super().__init__(problem.text)
        self.problem = problem

    def __reduce__(self):  # pickled as its problem (sent back from a background step)
        return type(self), (self.problem,)


# A value quoted in a message is cut here ("…"): a cell holds at most 32,767 characters.
SHOWN_MAX = 200


def show_value(value: object) -> str:
    """A value as a clerk reads it: dates dd/mm/yyyy, numbers with dot thousands, long text
    cut to ``SHOWN_MAX`` characters with "…"."""
    from datetime import date, datetime

    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return "NaN" if value != value else ("∞" if value > 0 else "−∞")
        if value.is_integer():
            return f"{int(value):,}".replace(",", ".")
        return f"{value:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")
    text = "" if value is None else str(value)
    return text if len(text) <= SHOWN_MAX else text[:SHOWN_MAX - 1] + "…"
