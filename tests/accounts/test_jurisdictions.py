import pytest

from icmc.accounts.data.ne_districts import NE_DISTRICTS
from icmc.accounts.models import Jurisdiction


@pytest.mark.django_db
def test_tree_covers_the_four_countries_and_the_north_east_districts():
    assert set(Jurisdiction.objects.filter(level="country").values_list("code", flat=True)) == {"IN", "NP", "BD", "MM"}
    assert Jurisdiction.objects.filter(country="IN", level="state").count() == 36
    assert Jurisdiction.objects.filter(country="NP", level="state").count() == 7
    assert Jurisdiction.objects.filter(country="BD", level="district").count() == 64
    for state, names in NE_DISTRICTS.items():
        assert Jurisdiction.objects.filter(parent_id=state, level="district").count() == len(names)


@pytest.mark.django_db
def test_every_district_knows_its_state_and_country():
    ekh = Jurisdiction.objects.get(code="IN-ML-EAST-KHASI-HILLS")
    assert (ekh.parent_id, ekh.state_id, ekh.country) == ("IN-ML", "IN-ML", "IN")
    dhaka = Jurisdiction.objects.get(code="BD-13")
    assert dhaka.state_id == dhaka.parent_id and dhaka.parent.level == "state"
    assert not Jurisdiction.objects.filter(level="district", state__isnull=True).exists()
