"""The Administration page's integration tokens: made and shown once, listed, revoked after a
confirmation; only an administrator sees them."""

from sqlmodel import select

from tests.app_helpers import open_app, read_db, visible
from workflow.integrations import authenticate, create_token
from workflow.models import Change, Integration
from workflow.people import add_person, set_role
from workflow.states import Role

ADMIN_PAGE = "workflow/ui/admin.py"


def _make(at, name: str, scope: str = "read"):
    next(w for w in at.text_input if w.form_id == "make_token").input(name)
    at.radio(key="token_scope").set_value(scope)
    return next(b for b in at.button if b.label == "Make a token").click().run()


def _tokens_table(at):
    (table,) = [d for d in at.dataframe if "Last used" in d.value.columns]
    return table.value


def test_the_admin_makes_a_token_that_is_shown_once_and_lets_the_cms_in(demo_db):
    at = _make(open_app("Desk Admin", page=ADMIN_PAGE), "Site CMS", "write")
    assert not at.error, [e.value for e in at.error]
    (shown,) = at.code
    token = shown.value
    assert token.startswith("lst_")
    assert "Copy it now: it will not be shown again." in visible(at.success[0].value)
    caller = read_db(lambda s: authenticate(s, token))
    assert (caller.name, caller.scope.value) == ("Site CMS", "write")
    listed = _tokens_table(at)
    assert list(listed["Name"]) == ["Site CMS"] and list(listed["Scope"]) == ["write"]
    assert list(listed["Last used"]) == ["never"]

    at.run()  # any next run of the page
    assert not at.code, "a token is shown once"
    assert token not in str(at._tree)
    assert list(_tokens_table(at)["Last used"]) != ["never"]  # the CMS's call above


def test_a_second_token_of_a_name_is_refused_in_words_and_nothing_is_shown(demo_db):
    at = _make(open_app("Desk Admin", page=ADMIN_PAGE), "CMS")
    at = _make(at, "CMS", "write")
    assert "There is already a token named CMS" in visible(at.error[0].value)
    assert not at.code
    assert list(_tokens_table(at)["Scope"]) == ["read"]


def test_a_token_is_revoked_only_after_the_admin_confirms(demo_db):
    read_db(lambda s: create_token(s, "Old CMS", "read", person=None))
    read_db(lambda s: create_token(s, "New CMS", "write", person=None))
    old_id = read_db(
        lambda s: s.exec(select(Integration.id).where(Integration.name == "Old CMS")).one()
    )
    at = open_app("Desk Admin", page=ADMIN_PAGE)
    at.button(key=f"revoke_token_{old_id}").click().run()
    assert "Revoke Old CMS?" in visible(at.warning[0].value)
    at.button(key="token_revoke_no").click().run()
    assert not at.warning
    assert read_db(lambda s: s.exec(select(Integration.revoked_at)).all()) == [None, None]

    at.button(key=f"revoke_token_{old_id}").click().run()
    at.button(key="token_revoke_yes").click().run()
    assert not at.error, [e.value for e in at.error]
    assert "The token Old CMS is revoked" in visible(at.success[0].value)
    listed = _tokens_table(at)
    assert list(listed["Name"]) == ["New CMS", "Old CMS"]  # the live ones first
    assert listed["Revoked"][1] and not listed["Revoked"][0]
    assert [b.key for b in at.button if (b.key or "").startswith("revoke_token_")] == [
        f"revoke_token_{old_id + 1}"
    ]
    (line,) = read_db(
        lambda s: s.exec(select(Change).where(Change.action == "revoke integration token")).all()
    )
    assert line.detail == "Old CMS"


def test_the_tokens_go_with_the_page_when_the_admin_steps_down(demo_db):
    read_db(lambda s: create_token(s, "CMS", "read", person=None))
    at = open_app("Desk Admin", page=ADMIN_PAGE)
    assert list(_tokens_table(at)["Name"]) == ["CMS"]

    def step_down(session):
        add_person(session, name="Second Admin", role=Role.ADMIN)  # so the first may step down
        set_role(session, name="Desk Admin", role=Role.MANAGER)

    read_db(step_down)
    at.run()
    assert "Integration tokens" not in [h.value for h in at.subheader]
    assert not at.dataframe and not any(b.label == "Revoke" for b in at.button)
