"""How a signed-in person is loaded for each request."""

from django.contrib.auth.backends import ModelBackend
from django.db.models import Exists, OuterRef

from accounts.models import Membership, User


class PeopleBackend(ModelBackend):
    """Django's own, loading the person with the authority they work in (which every page reads,
    to scope its queries), whether they still belong to it and whether they work for any other
    (the header's switch), in one query. Someone whose membership of their current authority
    has gone works in none until they switch."""

    def get_user(self, user_id):
        theirs = Membership.objects.filter(user=OuterRef("pk"))
        user = (
            User._default_manager.select_related("authority")
            .annotate(
                still_member=Exists(theirs.filter(authority=OuterRef("authority"))),
                works_elsewhere=Exists(theirs.exclude(authority=OuterRef("authority"))),
            )
            .filter(pk=user_id)
            .first()
        )
        if user is None or not self.user_can_authenticate(user):
            return None
        if user.authority_id is not None and not user.still_member:
            user.authority = None
        return user
