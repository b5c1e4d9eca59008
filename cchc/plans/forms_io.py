"""The upload form of a task appendix (see services_import)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cchc.core.uploads import EvidenceFileField
from cchc.documents.spreadsheets import MAX_FILE_BYTES


class ExcelFileField(EvidenceFileField):
    """An .xlsx judged by its bytes; a renamed .xls, CSV or document is told what to do."""

    def __init__(self, **kwargs):
        super().__init__(allowed=("xlsx",), max_bytes=MAX_FILE_BYTES, **kwargs)

    def clean(self, data, initial=None):
        try:
            return super().clean(data, initial)
        except ValidationError as error:
            if error.code != "content_mismatch":
                raise
            raise ValidationError(
                _("Tệp có đuôi .xlsx nhưng không phải tệp Excel .xlsx thật (có thể là tệp .xls cũ, CSV "
                  "hoặc tệp khác đổi tên). Hãy mở tệp bằng Excel, chọn Lưu thành (Save As) dạng Excel "
                  "Workbook (.xlsx) rồi tải lên lại."),
                code="not_xlsx",
            ) from error


class TaskImportForm(forms.Form):
    file = ExcelFileField(
        label=_("Tệp Excel phụ lục nhiệm vụ (.xlsx)"),
        help_text=_("Bảng có các cột STT, Nội dung, Kết quả, Thời gian thực hiện, Cơ quan chủ trì, "
                    "Cơ quan phối hợp, Ghi chú (hoặc TT, Nhiệm vụ cụ thể, Sản phẩm …). Tối đa 10 MB."),
    )
