"""The app starts, the home page needs sign-in, and signing in works."""


def test_home_requires_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


def test_sign_in_then_home(users, login):
    client = login(users["practitioner"])
    page = client.get("/").get_data(as_text=True)
    assert "Clearinghouse" in page
    assert "North practitioner" in page


def test_upload_through_service(users, make_document):
    version = make_document(users["editor"])
    assert version.number == 1
