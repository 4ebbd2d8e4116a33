"""The generate form's errors on a real library template, as GOV.UK lays them out."""


def test_the_error_summary_follows_the_order_of_the_fields(users, login):
    client = login(users["practitioner"])
    page = client.post("/generate/plo-letter-before-proceedings", data={"action": "preview"})
    assert page.status_code == 400
    html = page.get_data(as_text=True)
    summary = html[
        html.index("govuk-error-summary__list") : html.index(
            "</ul>", html.index("govuk-error-summary__list")
        )
    ]
    links = [part.split('"')[0] for part in summary.split('href="#')[1:]]
    assert len(links) > 3
    places = [html.index(f'id="{name}"') for name in links]
    assert places == sorted(places)
    assert "Add an example" in html or "Add a example" not in html
