"""Printing: the templates, the QR code, the seal, the photo, the CJK font."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from PIL import Image

from eban.certificates import fonts, render
from eban.certificates.numbering import ALPHABET, format_number, looks_like_number, normalize
from eban.certificates.seal import seal_svg
from eban.core.exceptions import DomainError

from .conftest import HOLDER_ID


def _png(width=300, height=400) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (120, 160, 200)).save(out, "PNG")
    return out.getvalue()


# Numbers and the seal: pure functions


def test_numbers_have_prefix_day_sequence_and_a_random_part():
    number = format_number("LNYD", datetime.date(2025, 6, 12), 123)
    assert re.fullmatch(r"LNYD-20250612-000123-[" + ALPHABET + "]{4}", number)
    assert looks_like_number(number)
    assert not looks_like_number("LNYD-20250612-000123-0O1I")  # misreadable characters are never used


def test_typed_numbers_are_normalised():
    assert normalize(" lnyd-20250612-000123-k7qx ") == "LNYD-20250612-000123-K7QX"
    assert normalize("ＬＮＹＤ-20250612-000123-K7QX") == "LNYD-20250612-000123-K7QX"


def test_the_seal_says_sample_and_has_no_star():
    svg = seal_svg("温州市民政局")
    assert "样例" in svg and "SAMPLE" in svg
    assert all(ch in svg for ch in "温州市民政局")
    assert "polygon" not in svg and "★" not in svg


def test_the_seal_escapes_the_name():
    assert "<script" not in seal_svg("<script>x</script>")


# The font


def test_the_cjk_font_is_found():
    found = fonts.cjk_fonts()
    assert found.sans == "Noto Sans CJK SC" and found.sans_path.endswith((".ttc", ".otf", ".ttf"))


def test_a_missing_font_fails_clearly(monkeypatch):
    fonts.cjk_fonts.cache_clear()
    monkeypatch.setattr(fonts, "_fc_list", lambda family: None)
    monkeypatch.setattr(fonts, "KNOWN_PATHS", {fonts.SANS: ["/nonexistent.ttc"], fonts.SERIF: []})
    try:
        with pytest.raises(fonts.FontMissing, match="fonts-noto-cjk"):
            fonts.cjk_fonts()
    finally:
        fonts.cjk_fonts.cache_clear()


# The templates

pytestmark = pytest.mark.django_db


def test_the_senior_card_prints_everything_the_card_needs(issued):
    html = render.render_html(issued, photo=_png())
    for text in (
        "老年人优待证",
        "张三",
        HOLDER_ID,
        "1964年1月1日",
        "男",
        "温州市民政局",
        issued.number,
        "长期",
    ):
        assert text in html
    assert "data:image/jpeg;base64," in html  # the photo, embedded
    assert 'class="seal"' in html and "样例" in html
    assert "<svg" in html and "segno" in html  # the QR code, inline
    assert 'class="watermark"' in html  # a sample type


def test_a_type_that_is_not_sample_has_no_watermark(issued, civil_affairs):
    issued.type.is_sample = False
    civil_affairs.is_sample = False
    issued.issuer = civil_affairs
    assert 'class="watermark"' not in render.render_html(issued)


def test_the_qr_code_encodes_the_verification_url(issued):
    import segno

    url = f"https://eban.example.test/verify/{issued.number}"
    assert render.verify_url(issued.number) == url
    assert render.qr_svg(url) in render.render_html(issued)
    assert segno.make(url, error="m").designator  # a regular QR code, not a micro one


def test_the_generic_template_prints_the_data(issue, household_type):
    certificate = issue(
        "application:hj",
        type_code="household_registration_certificate",
        data={
            "户籍地址": "温州市鹿城区五马街道（样例）",
            "家庭成员": ["李四", "王五"],
            "_statement": "情况属实。",
        },
    )
    html = render.render_html(certificate)
    assert "户籍证明" in html and "户籍地址" in html and "温州市鹿城区五马街道（样例）" in html
    assert "李四、王五" in html and "情况属实。" in html and "_statement" not in html


def test_printed_values_are_escaped(issue, household_type):
    certificate = issue(
        "application:esc", type_code="household_registration_certificate", data={"备注": "<img src=x>"}
    )
    assert "<img src=x>" not in render.render_html(certificate)


def test_the_pdf_embeds_the_cjk_font(issued):
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(io.BytesIO(render.render_pdf(issued)))
    page = reader.root["/Pages"]["/Kids"][0]
    page_fonts = page["/Resources"]["/Font"]
    fonts_used = [page_fonts[key] for key in page_fonts]
    assert any("Noto-Sans-CJK-SC" in str(font["/BaseFont"]) for font in fonts_used)
    for font in fonts_used:
        descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))  # embedded


def test_a_photo_that_is_not_an_image_is_refused(issued):
    with pytest.raises(DomainError):
        render.render_html(issued, photo=b"not an image")


def test_a_large_photo_is_scaled_down(issued):
    uri = render.photo_data_uri(_png(3000, 4000))
    import base64

    data = base64.b64decode(uri.split(",", 1)[1])
    with Image.open(io.BytesIO(data)) as image:
        assert max(image.size) <= render.PHOTO_MAX_PIXELS


def test_templates_cannot_fetch_remote_resources():
    pdf = render.html_to_pdf(
        '<p>x</p><img src="http://127.0.0.1:9/tracker.png"><img src="file:///etc/passwd">'
    )
    assert pdf.startswith(b"%PDF-")  # rendered without the two images (WeasyPrint logs and skips them)


def test_birth_date_and_sex_come_from_the_id_number():
    assert render.id_number_facts("330302196401011230") == {"birth_date": "1964年1月1日", "sex": "男"}
    assert render.id_number_facts("330302196401011220") == {"birth_date": "1964年1月1日", "sex": "女"}
    assert render.id_number_facts("bad") == {}


def test_labels_can_name_the_printed_keys():
    fields = render.printed_fields(
        {"case_number": "330300-20250612-0001", "paid": True, "_labels": {"case_number": "办件编号"}}
    )
    assert [(f.label, f.value) for f in fields] == [("办件编号", "330300-20250612-0001"), ("paid", "是")]


def test_the_holders_number_is_named_by_its_kind():
    assert render.holder_number_label("330302196401011230", {}) == "公民身份号码"
    assert render.holder_number_label("91330302MA2CXXXX1X", {}) == "统一社会信用代码"
    assert render.holder_number_label("E12345678", {"_holder_number_label": "护照号码"}) == "护照号码"


def test_rendering_leaves_pillow_strict_about_truncated_images():
    from PIL import ImageFile

    from eban.certificates import render

    render.html_to_pdf("<p>证</p>")
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False
