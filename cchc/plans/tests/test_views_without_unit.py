"""Users who act for no unit: a superuser (the installation's operator, holding no role)
and an account not yet given a role. The pages read the acting unit lazily; for these
users it is None, and the plans pages answered 500 before (found by the access matrix,
cchc/core/tests/test_access_matrix.py)."""

import pytest
from django.urls import reverse

from cchc.orgs.tests.factories import make_user
from cchc.plans.tests.factories import make_annual_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(province):
    return make_annual_plan(province)


def test_a_superuser_reads_the_plans_and_opens_the_new_plan_form(client, province, plan, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("quantri", password="x"))
    assert client.get(reverse("plan_list")).status_code == 200
    detail = client.get(reverse("plan_detail", args=[plan.pk]))
    assert detail.status_code == 200 and plan.title in detail.content.decode()
    assert client.get(reverse("plan_create")).status_code == 200
    # Deriving is for a lower unit's officer: the superuser acts for none.
    assert client.get(reverse("plan_derive", args=[plan.pk])).status_code == 403


def test_a_user_without_a_role_sees_no_plan_and_may_not_create_one(client, province, plan):
    client.force_login(make_user("moi.tao"))
    listing = client.get(reverse("plan_list"))
    assert listing.status_code == 200 and plan.title not in listing.content.decode()
    assert client.get(reverse("plan_detail", args=[plan.pk])).status_code == 404
    assert client.get(reverse("plan_create")).status_code in (403, 404)
