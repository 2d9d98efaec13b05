"""The read-only API: each endpoint refuses whom its page refuses (``api.permissions``) and reads
through ``api.selectors``, which start from ``visible_schools``: another school's record answers
404, as its page does."""

from collections.abc import Callable
from contextlib import ExitStack

from django.db.models import QuerySet
from django.shortcuts import render
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.serializers import BaseSerializer

from accounts.access import permission
from accounts.authorities import working_in
from api import filters, selectors, serializers
from api.permissions import FromPolicy
from boards.models import PriorityEntry
from categorisation.models import CategoryDecision
from schools.models import Inspection, School
from support.models import SupportPackage, Visit


@permission("api:index")
def index(request):
    """The page for people: what the API offers, how to authenticate, where the schema is."""
    return render(request, "api/index.html")


# A read-only endpoint: ``permission_classes`` refuse whom its page refuses, ``selector`` (an
# ``api.selectors`` function of the user) reads what the person may see, and
# ``detail_serializer_class``, when set, answers ``retrieve``. ``queryset`` names only the model, for
# the schema, which is drawn with no one asking. (A comment, not a docstring: drf-spectacular would
# give a docstring to every endpoint as its description.)
class ReadViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [IsAuthenticated, FromPolicy]
    selector: Callable[..., QuerySet]
    detail_serializer_class: type[BaseSerializer] | None = None

    def dispatch(self, request, *args, **kwargs):
        with ExitStack() as self.scope:
            return super().dispatch(request, *args, **kwargs)

    def initial(self, request, *args, **kwargs):
        """Once the token or session names the person, read in their current authority (the
        middleware could not: a token is read here, after it)."""
        super().initial(request, *args, **kwargs)
        self.scope.enter_context(working_in(request.user.authority))

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return super().get_queryset()
        return self.read()

    def read(self) -> QuerySet:
        return self.selector(self.request.user)

    def get_serializer_class(self):
        if self.action == "retrieve" and self.detail_serializer_class is not None:
            return self.detail_serializer_class
        return super().get_serializer_class()


@extend_schema_view(
    list=extend_schema(summary="Schools you may see", description="Filter as the school list does."),
    retrieve=extend_schema(summary="A school, by URN"),
)
class SchoolViewSet(ReadViewSet):
    selector = staticmethod(selectors.schools)
    serializer_class = serializers.SchoolSerializer
    detail_serializer_class = serializers.SchoolDetailSerializer
    filterset_class = filters.SchoolFilterSet
    lookup_field = "urn"
    queryset = School.objects.none()


@extend_schema_view(
    list=extend_schema(summary="A school's Ofsted inspections, newest first"),
    retrieve=extend_schema(summary="One of a school's Ofsted inspections, by inspection number"),
)
class InspectionViewSet(ReadViewSet):
    serializer_class = serializers.InspectionSerializer
    lookup_field = "inspection_number"
    queryset = Inspection.objects.none()

    def read(self):
        return selectors.inspections(self.request.user, self.kwargs["urn"])


@extend_schema_view(
    list=extend_schema(summary="Each school's current category under the active framework"),
    retrieve=extend_schema(summary="A school's current category, by URN"),
)
class CategoryViewSet(ReadViewSet):
    selector = staticmethod(selectors.categories)
    serializer_class = serializers.SchoolCategorySerializer
    lookup_field = "urn"
    queryset = School.objects.none()


@extend_schema_view(
    list=extend_schema(summary="Category decisions, newest first (LA officers and administrators)"),
    retrieve=extend_schema(summary="A category decision"),
)
class CategoryDecisionViewSet(ReadViewSet):
    selector = staticmethod(selectors.category_decisions)
    serializer_class = serializers.CategoryDecisionSerializer
    filterset_class = filters.CategoryDecisionFilterSet
    queryset = CategoryDecision.objects.none()


@extend_schema_view(
    list=extend_schema(summary="This academic year's priority list (LA officers, administrators, the board)"),
    retrieve=extend_schema(summary="An entry on this academic year's priority list"),
)
class PriorityEntryViewSet(ReadViewSet):
    serializer_class = serializers.PriorityEntrySerializer
    filterset_class = filters.PriorityEntryFilterSet
    queryset = PriorityEntry.objects.none()

    def read(self):
        return selectors.priority_entries()  # the whole list: whoever may see the board sees all of it


@extend_schema_view(
    list=extend_schema(summary="Support packages of the schools you may see"),
    retrieve=extend_schema(summary="A support package, with what is entitled, allocated, delivered and remaining"),
)
class SupportPackageViewSet(ReadViewSet):
    selector = staticmethod(selectors.support_packages)
    serializer_class = serializers.SupportPackageSerializer
    detail_serializer_class = serializers.SupportPackageDetailSerializer
    filterset_class = filters.SupportPackageFilterSet
    queryset = SupportPackage.objects.none()

    def get_object(self):
        return selectors.with_balances(super().get_object())


@extend_schema_view(
    list=extend_schema(
        summary="Visits to the schools you may see",
        description="Headteachers and board members see only visits whose report has been shared with the school.",
    ),
    retrieve=extend_schema(summary="A visit, with the version of its report you may read"),
)
class VisitViewSet(ReadViewSet):
    selector = staticmethod(selectors.visits)
    serializer_class = serializers.VisitSerializer
    filterset_class = filters.VisitFilterSet
    queryset = Visit.objects.none()
