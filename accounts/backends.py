"""How a signed-in person is loaded for each request."""

from django.contrib.auth.backends import ModelBackend
from django.db.models import Exists, OuterRef

from accounts.models import Membership, User


class PeopleBackend(ModelBackend):
    """Django's own, loading the person with the authority they work in (which every page reads,
    to scope its queries) and whether they work for any other (the header's switch), in one query."""

    def get_user(self, user_id):
        elsewhere = Membership.objects.filter(user=OuterRef("pk")).exclude(authority=OuterRef("authority"))
        user = (
            User._default_manager.select_related("authority")
            .annotate(works_elsewhere=Exists(elsewhere))
            .filter(pk=user_id)
            .first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None
