import pytest

from joinedup.agencies.directory import hsds
from joinedup.agencies.tests.directory_support import seeded
from joinedup.agencies.tests.hsds_support import errors, examples

pytestmark = pytest.mark.django_db

SERVICE_ID = "ac148810-d857-441c-9679-408f346de14b"
ORG_ID = "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610"
PAGE_KEYS = ["total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty", "contents"]


@pytest.fixture
def fixtures_imported():
    hsds.import_files(examples())


def test_root_says_which_hsds_this_is(client):
    body = client.get("/hsds/").json()
    assert body["version"] == "3.0" and body["profile"].startswith("https://")


def test_service_list_is_an_hsds_page_of_valid_summaries(client, fixtures_imported):
    response = client.get("/hsds/services")  # no sign-in
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    body = response.json()
    assert list(body) == PAGE_KEYS
    assert body["total_items"] == 1 and body["total_pages"] == 1 and body["size"] == 1
    assert body["first_page"] and body["last_page"] and not body["empty"]
    for item in body["contents"]:
        assert errors("service_list", item) == []
        assert "schedules" not in item  # a summary: one-to-one fields and the organization
    full = client.get("/hsds/services", {"full": "true"}).json()
    assert errors("service", full["contents"][0]) == [] and "schedules" in full["contents"][0]


def test_organization_list_is_an_hsds_page_of_valid_summaries(client, fixtures_imported):
    body = client.get("/hsds/organizations").json()
    assert list(body) == PAGE_KEYS and body["total_items"] == 1
    for item in body["contents"]:
        assert errors("organization_list", item) == []
    full = client.get("/hsds/organizations", {"full_service": "true"}).json()
    assert errors("organization", full["contents"][0]) == [] and full["contents"][0]["services"]


def test_full_service_validates_and_matches_the_export(client, fixtures_imported):
    body = client.get(f"/hsds/services/{SERVICE_ID}").json()
    assert errors("service", body) == []
    assert body == hsds.export_services()[0]
    organization = client.get(f"/hsds/organizations/{ORG_ID}").json()
    assert errors("organization", organization) == [] and organization == hsds.export_organizations()[0]


@pytest.mark.parametrize("path", ["/hsds/services/00000000-0000-4000-8000-000000000000", "/hsds/services/nope"])
def test_unknown_ids_are_json_404s(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 404 and "No service with id" in response.json()["detail"]
    assert client.get("/hsds/organizations/nope").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/hsds/",
        "/hsds/services",
        f"/hsds/services/{SERVICE_ID}",
        "/hsds/organizations",
        f"/hsds/organizations/{ORG_ID}",
    ],
)
def test_read_only(client, path):
    for method in (client.post, client.put, client.patch, client.delete):
        response = method(path, data="{}", content_type="application/json")
        assert response.status_code == 405, method
        assert response["Allow"] == "GET, HEAD"
    assert client.head(path).status_code in (200, 404)


def test_csrf_does_not_mask_read_only(fixtures_imported):
    from django.test import Client

    enforcing = Client(enforce_csrf_checks=True)
    assert enforcing.post("/hsds/services", secure=True).status_code == 405


def test_public_to_anyone_and_open_to_other_sites(client, fixtures_imported):
    response = client.get("/hsds/services")
    assert response.status_code == 200 and response["Access-Control-Allow-Origin"] == "*"
    assert "sessionid" not in response.cookies


def test_paging(client):
    seeded()
    first = client.get("/hsds/services", {"per_page": 5}).json()
    assert first["size"] == 5 and first["page_number"] == 1 and first["first_page"] and not first["last_page"]
    total = first["total_items"]
    assert first["total_pages"] == -(-total // 5)
    last = client.get("/hsds/services", {"per_page": 5, "page": first["total_pages"]}).json()
    assert last["last_page"] and not last["first_page"] and last["size"] == total - 5 * (first["total_pages"] - 1)
    names = [
        s["name"]
        for p in range(1, first["total_pages"] + 1)
        for s in client.get("/hsds/services", {"per_page": 5, "page": p}).json()["contents"]
    ]
    assert names == sorted(names, key=str.casefold) and len(set(names)) == total
    beyond = client.get("/hsds/services", {"page": 99}).json()
    assert beyond["empty"] and beyond["contents"] == [] and beyond["size"] == 0


def test_filters(client):
    seeded()
    body = client.get("/hsds/services", {"search": "domestic abuse"}).json()
    assert [s["name"] for s in body["contents"]] == ["Women's Aid outreach"]
    assert client.get("/hsds/services", {"text": "domestic abuse"}).json()["total_items"] == 1
    south = client.get("/hsds/services", {"postcode": "NS14 2RE", "search": "community mental health team"}).json()
    assert [s["name"] for s in south["contents"]] == ["Community mental health team (south)"]
    housing = client.get("/hsds/services", {"search": "housing options"}).json()["contents"][0]
    organization = client.get("/hsds/services", {"organization_id": housing["organization"]["id"]}).json()
    assert {s["name"] for s in organization["contents"]} == {"Housing options", "Out of hours homelessness line"}
    full = client.get(f"/hsds/services/{housing['id']}").json()
    term_id = full["attributes"][0]["taxonomy_term"]["id"]
    by_term = client.get("/hsds/services", {"taxonomy_term_id": term_id}).json()
    assert housing["name"] in [s["name"] for s in by_term["contents"]]
    taxonomy_id = full["attributes"][0]["taxonomy_term"]["taxonomy_id"]
    every = client.get("/hsds/services").json()["total_items"]
    assert client.get("/hsds/services", {"taxonomy_id": taxonomy_id}).json()["total_items"] == every  # all classified
    assert client.get("/hsds/services", {"modified_after": "2999-01-01T00:00:00Z"}).json()["empty"]
    assert client.get("/hsds/organizations", {"search": "police"}).json()["contents"][0]["name"] == "Northshire Police"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"page": "two"}, "page"),
        ({"page": "0"}, "page"),
        ({"per_page": "100000"}, "per_page"),
        ({"taxonomy_term_id": "x"}, "taxonomy_term_id"),
        ({"modified_after": "yesterday"}, "modified_after"),
        ({"full": "perhaps"}, "full"),
    ],
)
def test_bad_parameters_are_named(client, params, field):
    response = client.get("/hsds/services", params)
    assert response.status_code == 400 and response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"][0]["field"] == field


def test_every_demo_service_validates_through_the_api(client):
    seeded()
    listing = client.get("/hsds/services", {"per_page": 200}).json()
    for item in listing["contents"]:
        assert errors("service_list", item) == [], item["name"]
        assert errors("service", client.get(f"/hsds/services/{item['id']}").json()) == [], item["name"]


def test_queries_do_not_grow_with_the_directory(client, django_assert_max_num_queries):
    seeded()
    # a fixed number of queries (one per nested table), however many services there are
    with django_assert_max_num_queries(25):
        assert client.get("/hsds/services", {"full": "true", "per_page": 200}).status_code == 200
    with django_assert_max_num_queries(30):
        assert client.get("/hsds/organizations", {"full_service": "true", "per_page": 200}).status_code == 200
    with django_assert_max_num_queries(50):
        hsds.export_services()
        hsds.export_organizations()
