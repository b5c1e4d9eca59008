"""The reform areas as the seeds use them (the national programme, Resolution 76/NQ-CP of
15/7/2021, plus direction and administration) and the 8 PAPI dimensions (seed 003)."""

from django.db import migrations

PROGRAMME = [
    ("direction", "Công tác chỉ đạo, điều hành CCHC",
     "chỉ đạo, điều hành; kế hoạch cchc; tuyên truyền cchc; chỉ số cchc; kiểm tra cchc; khảo sát"),
    ("institutions", "Cải cách thể chế",
     "thể chế; văn bản quy phạm pháp luật; qppl; thi hành pháp luật; rà soát văn bản"),
    ("procedures", "Cải cách thủ tục hành chính",
     "thủ tục hành chính; tthc; một cửa; hồ sơ; phản ánh, kiến nghị; giải quyết đúng hạn; xin lỗi"),
    ("apparatus", "Cải cách tổ chức bộ máy",
     "tổ chức bộ máy; sắp xếp; biên chế; vị trí việc làm; đơn vị sự nghiệp"),
    ("civil_service", "Cải cách chế độ công vụ",
     "công vụ; công chức; viên chức; tuyển dụng; đào tạo, bồi dưỡng; kỷ luật, kỷ cương; chuyển đổi vị trí"),
    ("public_finance", "Cải cách tài chính công",
     "tài chính công; tự chủ; ngân sách; chi tiêu nội bộ; tài sản công; kinh phí"),
    ("digital_government", "Xây dựng và phát triển Chính phủ điện tử, Chính phủ số",
     "chính phủ điện tử; chính quyền số; chuyển đổi số; dịch vụ công trực tuyến; chữ ký số; "
     "văn bản điện tử; iso; công nghệ thông tin; thư điện tử"),
]
PAPI = [
    ("papi_participation", "Tham gia của người dân ở cấp cơ sở", "tham gia; dân chủ cơ sở"),
    ("papi_transparency", "Công khai, minh bạch", "công khai; minh bạch"),
    ("papi_accountability", "Trách nhiệm giải trình với người dân",
     "giải trình; tiếp công dân; ban thanh tra nhân dân"),
    ("papi_corruption", "Kiểm soát tham nhũng trong khu vực công", "tham nhũng; tiêu cực"),
    ("papi_procedures", "Thủ tục hành chính công", "thủ tục hành chính"),
    ("papi_public_services", "Cung ứng dịch vụ công", "dịch vụ công; giáo dục tiểu học; y tế"),
    ("papi_environment", "Quản trị môi trường", "môi trường"),
    ("papi_e_governance", "Quản trị điện tử", "điện tử; cổng thông tin; internet"),
]


def load(apps, schema_editor):
    ReformArea = apps.get_model("plans", "ReformArea")
    rows = [
        ReformArea(key=key, name=name, taxonomy=taxonomy, order=i, keywords=keywords)
        for taxonomy, items in (("programme", PROGRAMME), ("papi", PAPI))
        for i, (key, name, keywords) in enumerate(items, start=1)
    ]
    ReformArea.objects.bulk_create(rows, ignore_conflicts=True)


def unload(apps, schema_editor):
    apps.get_model("plans", "ReformArea").objects.filter(
        key__in=[k for k, _, _ in PROGRAMME + PAPI]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("plans", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
