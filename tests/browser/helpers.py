"""What browser test modules share: window sizes and logging in to the admin."""

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
EDITOR_PASSWORD = "pw-editor-1"


def log_in(page, username="editor", password=EDITOR_PASSWORD):
    """The admin's sign-in: the password, and the second factor's current code (tests.helpers)
    for someone who has one (an Author made outside role_user signs in with a password alone)."""
    from playwright.sync_api import expect

    from tests.helpers import has_second_factor, otp_code

    page.open("/admin/login/")
    page.page.fill("#id_username", username)
    page.page.fill("#id_password", password)
    if has_second_factor(username):
        page.page.fill("#id_otp_token", otp_code(username))
    page.page.click("input[type=submit]")
    expect(page.page).to_have_url(page.base_url + "/admin/")
