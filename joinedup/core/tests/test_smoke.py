def test_partnership_fixture_builds(partnership):
    assert partnership.practitioner.agency == partnership.mental_health
