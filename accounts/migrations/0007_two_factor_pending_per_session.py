"""Delete every unconfirmed authenticator (issue 17). Until now one unconfirmed authenticator, and
its secret, was shown to every session of a person until one confirmed it; from now each session
sets up its own. The old ones never worked for signing in (only confirmed ones are asked), and no
session holds one, so no one could confirm them now: someone part-way through setting up scans a
new QR code."""

from django.db import migrations


def delete_unconfirmed(apps, schema_editor):
    apps.get_model("otp_totp", "TOTPDevice").objects.filter(confirmed=False).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_api_tokens"),
        ("otp_totp", "0003_add_timestamps"),
    ]

    operations = [migrations.RunPython(delete_unconfirmed, migrations.RunPython.noop, elidable=True)]
