from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm

from accounts.models import Notification, normalise_email
from core.forms import gds_helper


class SignInForm(AuthenticationForm):
    """Sign in with an email address and password, in the GOV.UK pattern."""

    username = forms.EmailField(
        label="Email address",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password"},
    )
    error_messages = {
        "invalid_login": "Enter a correct email address and password",
        "inactive": "This account has been deactivated. Contact your LA administrator.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.label_size = Size.SMALL
        self.helper.layout = Layout(
            Field.text("username", field_width=20),
            Field.text("password", field_width=20),
            Submit("sign_in", "Sign in"),
        )

    def clean_username(self):
        """The address as accounts keep it, so the lockout and the account lookup see one form."""
        return normalise_email(self.cleaned_data["username"])


class CodeForm(forms.Form):
    """A code from the authenticator app (or, when signing in, a recovery code)."""

    code = forms.CharField(
        max_length=20,
        error_messages={"required": "Enter the 6-digit code from your authenticator app"},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false", "autofocus": True}
        ),
    )

    def __init__(self, *args, label: str, hint: str, button: str, digits_only: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not digits_only:  # recovery codes have letters: keep the full keyboard on phones
            del self.fields["code"].widget.attrs["inputmode"]
        self.fields["code"].label = label
        self.fields["code"].help_text = hint
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.label_size = Size.MEDIUM
        self.helper.layout = Layout(Field.text("code", field_width=10), Submit("confirm", button))


class ApiTokenForm(forms.Form):
    """A new personal API token: what it is for, and how long it lasts."""

    name = forms.CharField(
        label="Name the token",
        help_text="Say what will use it, such as ‘Termly dashboard’. Only you see this.",
        max_length=100,
        error_messages={
            "required": "Enter a name for the token, such as what will use it",
            "max_length": "The name must be 100 characters or fewer",
        },
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )
    days = forms.TypedChoiceField(
        label="How long should it last?",
        coerce=int,
        choices=[(30, "30 days"), (90, "90 days"), (180, "180 days"), (365, "1 year")],
        initial=90,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose how long the token lasts",
            "invalid_choice": "Choose how long the token lasts",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.label_size = Size.SMALL
        self.helper.legend_size = Size.SMALL
        self.helper.layout = Layout(
            Field.text("name", field_width=20), Field.radios("days", inline=True), Submit("create", "Create a token")
        )


class PasswordResetRequestForm(forms.Form):
    """ "Forgotten your password?": the email address to send a reset link to."""

    email = forms.EmailField(
        label="Email address",
        help_text="The address you sign in with.",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field.text("email", field_width=20), submit="Send a reset link", name="send", legend_size=None
        )

    def clean_email(self):
        return normalise_email(self.cleaned_data["email"])


class NewPasswordForm(SetPasswordForm):
    """A new password, typed twice, checked by the password validators (``AUTH_PASSWORD_VALIDATORS``)."""

    error_messages = {"password_mismatch": "The passwords do not match. Enter the same password twice"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        first, second = self.fields["new_password1"], self.fields["new_password2"]
        first.label = "New password"
        first.help_text = "Use at least 12 characters. Do not use a common password or one like your name or email."
        first.error_messages["required"] = "Enter a new password"
        second.label = "Confirm new password"
        second.help_text = ""
        second.error_messages["required"] = "Enter the new password again"
        self.helper = gds_helper(
            Field.text("new_password1", field_width=20),
            Field.text("new_password2", field_width=20),
            submit="Change password",
            name="change",
            legend_size=None,
        )

    def clean(self):
        """As Django's, but the validators' reasons go on the first field, where the password is chosen."""
        self.validate_passwords("new_password1", "new_password2")
        self.validate_password_for_user(self.user, "new_password1")
        return forms.Form.clean(self)


class NotificationEmailForm(forms.Form):
    """Which kinds of notification come by email (all of them show in the portal)."""

    kinds = forms.MultipleChoiceField(
        label="Which notifications do you want by email?",
        help_text="Select all that apply. You see every notification in the portal whatever you choose.",
        choices=Notification.Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field.checkboxes("kinds", small=True),
            submit="Save your choices",
            name="save",
            label_size=None,
            legend_size=Size.MEDIUM,
        )
