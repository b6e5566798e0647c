"""The template editor in words of the page's language: owners and the
criteria's errors read as words, not codes; an English page as before."""

import re

from tests.conftest import login


def test_the_template_editor_names_owners_and_refuses_a_bad_criterion_in_words(clean_app, make):
    make.user("admin", email="admin@x.test")
    client = clean_app.test_client()
    login(client, "admin@x.test")
    listing = client.get("/onboarding-templates").get_data(as_text=True)
    template_url = re.search(r'href="(/onboarding-templates/\d+)"', listing).group(1)
    page = client.get(template_url).get_data(as_text=True)
    assert "<td>Head of department</td>" in page and '<option value="new_hire">New hire</option>' in page
    assert "sysadmin</td>" not in page and "new_hire</option>" not in page
    stage_id = re.search(r'name="stage_id" value="(\d+)"', page).group(1)
    refused = client.post(template_url, data={"action": "save_stage", "stage_id": stage_id, "name": "Orientation",
                                              "duration_days": "2", "criteria": "tasks_done\nbogus 3"},
                          follow_redirects=True).get_data(as_text=True)
    assert "line 2: “bogus 3” is not a criterion" in refused
    wrong = client.post(template_url, data={"action": "save_stage", "stage_id": stage_id, "name": "Orientation",
                                            "duration_days": "many", "criteria": "tasks_done"},
                        follow_redirects=True).get_data(as_text=True)
    assert "Business days is a whole number." in wrong
    saved = client.post(template_url, data={"action": "save_stage", "stage_id": stage_id, "name": "Orientation",
                                            "duration_days": "3", "criteria": "tasks_done\nsign_off mentor"},
                        follow_redirects=True).get_data(as_text=True)
    assert "Saved as version 2" in saved
