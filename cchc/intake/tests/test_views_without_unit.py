"""The upload page for a superuser, who acts for no unit (it answered 500: the acting unit
is a lazy object wrapping None; found by cchc/core/tests/test_access_matrix.py)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_superuser_opens_the_upload_page(client, province, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("quantri", password="x"))
    response = client.get(reverse("intake_upload"))
    assert response.status_code == 200
    # Every unit is the superuser's to choose from, the department first.
    assert province.department.name in response.content.decode()
