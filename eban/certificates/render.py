"""Printing a certificate: its HTML/CSS template rendered to PDF by WeasyPrint.

Each certificate type names a template, `certificates/pdf/<template>.html` (see docs/certificates.md
for the context it receives). The page carries the holder's photo (when given), the issuer's
sample seal (seal.py), a QR code to the public verification page and, for sample types, a
"样例 SAMPLE" watermark. The CJK font comes from the system (fonts.py) and is embedded, subset,
in the PDF by WeasyPrint. The PDF is not signed here: signing.py does that.
"""

from __future__ import annotations

import base64
import datetime
import io
from dataclasses import dataclass
from typing import Any

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import override

from eban.core.exceptions import DomainError

from .fonts import cjk_fonts
from .models import Certificate, template_path
from .seal import seal_svg

PHOTO_MAX_PIXELS = 600  # the longer side of the embedded photo: ample for 40 mm at 300 dpi
PHOTO_MAX_BYTES = 5 * 1024 * 1024


def verify_url(number: str) -> str:
    """The public verification address printed as the QR code: `{EBAN_BASE_URL}/verify/<number>`."""
    base = (settings.EBAN_BASE_URL or "").rstrip("/")
    return base + reverse("certificates:verify", args=[number])


def qr_svg(text: str, *, scale: int = 3) -> str:
    """The QR code of `text` as an inline SVG (error correction M: survives a crease or a smudge)."""
    return segno.make(text, error="m", micro=False).svg_inline(scale=scale, border=2, dark="#000")


def photo_data_uri(photo: bytes | None) -> str:
    """The holder's photo as a JPEG data URI (scaled down, EXIF dropped), or "" when none."""
    if not photo:
        return ""
    if len(photo) > PHOTO_MAX_BYTES:
        raise DomainError(_("The photo is too large (at most 5 MB)."), code="photo_too_large")
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(photo)) as image:
            image = ImageOps.exif_transpose(image)
            image.thumbnail((PHOTO_MAX_PIXELS, PHOTO_MAX_PIXELS))
            if image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            out = io.BytesIO()
            image.save(out, "JPEG", quality=88)
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise DomainError(_("The photo is not an image that can be read."), code="photo_invalid") from exc
    return "data:image/jpeg;base64," + base64.b64encode(out.getvalue()).decode("ascii")


def chinese_date(day: datetime.date | datetime.datetime | None) -> str:
    """`2025年6月12日` (the form printed on certificates); "长期" (no expiry) for None."""
    if day is None:
        return "长期"
    if isinstance(day, datetime.datetime):
        day = timezone.localtime(day).date()
    return f"{day.year}年{day.month}月{day.day}日"


def id_number_facts(id_number: str) -> dict[str, str]:
    """Birth date and sex read from an 18-character ID number, for templates whose data lacks them
    (GB 11643: characters 7–14 are the birth date, the 17th is odd for men)."""
    number = (id_number or "").strip()
    if len(number) != 18 or not number[:17].isdigit():
        return {}
    try:
        birth = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return {}
    return {"birth_date": chinese_date(birth), "sex": "男" if int(number[16]) % 2 else "女"}


@dataclass(frozen=True)
class PrintedField:
    label: str
    value: str


def printed_fields(data: dict[str, Any]) -> list[PrintedField]:
    """The data's keys and values as printed by the generic template (lists joined by 、).

    Keys starting with "_" are for templates, not rows; `_labels` maps a key to the label printed
    for it (`{"case_number": "办件编号"}`), otherwise the key itself is the label."""
    labels = data.get("_labels") if isinstance(data.get("_labels"), dict) else {}
    rows = []
    for key, value in (data or {}).items():
        if key.startswith("_"):
            continue
        if isinstance(value, list | tuple):
            value = "、".join(str(item) for item in value)
        elif value is None:
            value = ""
        elif isinstance(value, bool):
            value = "是" if value else "否"
        rows.append(PrintedField(str(labels.get(key, key)), str(value)))
    return rows


def holder_number_label(number: str, data: dict[str, Any]) -> str:
    """What the holder's number is called on the certificate: `_holder_number_label` in the data,
    else 公民身份号码 for an ID number and 统一社会信用代码 for anything else (an enterprise)."""
    if data.get("_holder_number_label"):
        return str(data["_holder_number_label"])
    number = (number or "").strip().upper()
    if len(number) == 18 and number[:17].isdigit() and (number[17].isdigit() or number[17] == "X"):
        return "公民身份号码"
    return "统一社会信用代码" if len(number) == 18 else "证件号码"


def render_html(certificate: Certificate, *, photo: bytes | None = None) -> str:
    """The certificate's HTML (what WeasyPrint prints)."""
    fonts = cjk_fonts()
    cert_type = certificate.type
    issuer = certificate.issuer
    data = dict(certificate.data or {})
    facts = id_number_facts(certificate.holder_id_number)
    url = verify_url(certificate.number)
    context = {
        "certificate": certificate,
        "type": cert_type,
        "issuer": issuer,
        "number": certificate.number,
        "holder_name": certificate.holder_name,
        "holder_id_number": certificate.holder_id_number,  # printed whole: the holder's own document
        "holder_number_label": holder_number_label(certificate.holder_id_number, data),
        "sex": data.get("sex") or data.get("性别") or facts.get("sex", ""),
        "birth_date": data.get("birth_date") or data.get("出生日期") or facts.get("birth_date", ""),
        "data": data,
        "fields": printed_fields(data),
        "statement": str(data.get("_statement", "")),  # a sentence after 兹证明…, for the generic template
        "issued_on": chinese_date(certificate.issued_at),
        "valid_from": chinese_date(certificate.valid_from),
        "valid_until": chinese_date(certificate.valid_until),
        "photo": photo_data_uri(photo),
        "seal": mark_safe(seal_svg(issuer.name, font_family=fonts.sans)),  # our own SVG, names escaped
        "qr": mark_safe(qr_svg(url)),  # segno: the SVG of our own URL
        "verify_url": url,
        "is_sample": cert_type.is_sample or issuer.is_sample,
        "font_sans": fonts.sans,
        "font_serif": fonts.serif,
    }
    with override("zh-hans"):  # the document itself is Chinese (with English glosses in the template)
        return render_to_string(template_path(cert_type.template), context)


def html_to_pdf(html: str) -> bytes:
    """WeasyPrint's PDF of `html`. Only data: URLs are fetched (templates embed their images and
    SVG inline): a template cannot reach the network or the file system."""
    from PIL import ImageFile
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    # Importing WeasyPrint sets Pillow's process-wide LOAD_TRUNCATED_IMAGES, which would make every
    # other reader of images in this process (face checks, back-office uploads) accept half a
    # file without a word. Our templates embed only complete images we made: keep Pillow strict.
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    fetcher = URLFetcher(allowed_protocols={"data"})
    return HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=fetcher).write_pdf()


def render_pdf(certificate: Certificate, *, photo: bytes | None = None) -> bytes:
    """The certificate as an unsigned PDF."""
    return html_to_pdf(render_html(certificate, photo=photo))
