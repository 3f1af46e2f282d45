"""Each way of writing yes or no in the clerk's Duyệt column means the same to the documents
(docgen) and to the register: one vocabulary (values.py), table-driven."""
import sqlite3

from addin.register.store import Register
from addin.register_sync import record_sheets
from docgen.data import document_data_from_sheets
from workbook_templates.campaign import TARGET_INDIVIDUAL, default_campaign
from workbook_templates.forms import CONSOLIDATED_SHEET, INDIVIDUAL_NOMINATIONS, consolidated_fields

from test_values import NO_WORDS, YES_WORDS

CAMPAIGN = default_campaign()


def test_each_way_of_writing_yes_or_no_means_the_same_in_documents_and_register(tmp_path):
    award = CAMPAIGN.forms_for(TARGET_INDIVIDUAL)[0].name
    fields = consolidated_fields(INDIVIDUAL_NOMINATIONS)
    # (what the clerk typed, approved in the documents, approved in the register)
    words = [(w, True, True) for w in YES_WORDS] + [(w, False, False) for w in NO_WORDS] + [
        ("", False, None), ("có lẽ", False, False), ("?", False, False)]
    rows = []
    for i, (word, _, _) in enumerate(words):
        row = dict.fromkeys((f.key for f in fields), None)
        row.update(ma_de_nghi=f"N{i:03}", ma_don_vi="LD01", ho_ten=f"Người Thứ {i}",
                   nam_sinh=1980, hinh_thuc=award, duyet=word, hinh_thuc_duoc_khen=award)
        rows.append([row[f.key] for f in fields])
    sheets = {CONSOLIDATED_SHEET[INDIVIDUAL_NOMINATIONS.key]: [[f.title for f in fields], *rows]}

    documents = {n.id for n in document_data_from_sheets(sheets, CAMPAIGN, 1, "x").nominations}
    with Register.open(tmp_path / "register.sqlite") as register:
        with register.run(kind="consolidate", year=CAMPAIGN.year, phase=1, settings={}) as run:
            record_sheets(run, sheets)
    with sqlite3.connect(tmp_path / "register.sqlite") as db:
        approved = dict(db.execute("select nomination_id, approved from nominations"))
    for i, (word, in_documents, in_register) in enumerate(words):
        key = f"N{i:03}"
        stored = None if approved[key] is None else bool(approved[key])
        assert (key in documents, stored) == (in_documents, in_register), word
