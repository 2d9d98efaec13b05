"""Keep every email address in the one form sign-in looks up (``accounts.models.normalise_email``:
trimmed, NFKC-normalised and case-folded; issue 17).

Two accounts whose addresses become the same are neither merged nor changed: the migration stops
and names them, as adding a unique constraint over duplicates would. Which person the address
belongs to is for an administrator to decide (and change the other account's address, or deactivate
and rename it) before migrating again. Until then neither could sign in reliably anyway: the
case-insensitive lookup this replaces found both."""

import unicodedata
from collections import defaultdict

from django.db import migrations


def _normalised(address: str) -> str:
    """``accounts.models.normalise_email`` as it was when this migration was written."""
    folded = unicodedata.normalize("NFKC", address.strip()).casefold()
    return unicodedata.normalize("NFKC", folded)


def normalise(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    accounts = defaultdict(list)
    for pk, email in User.objects.order_by("pk").values_list("pk", "email"):
        accounts[_normalised(email)].append((pk, email))
    clashes = {address: found for address, found in accounts.items() if len(found) > 1}
    if clashes:
        named = "; ".join(
            f"{address}: " + ", ".join(f"account {pk} ({email})" for pk, email in found)
            for address, found in sorted(clashes.items())
        )
        raise RuntimeError(
            f"These accounts' email addresses are the same once normalised: {named}. Decide whose each "
            "address is, change the others' addresses, then run the migrations again."
        )
    for address, [(pk, email)] in accounts.items():
        if email != address:
            User.objects.filter(pk=pk).update(email=address)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0007_two_factor_pending_per_session")]

    operations = [migrations.RunPython(normalise, migrations.RunPython.noop)]
