"""The read-only API: each endpoint refuses whom its page refuses (``api.permissions``) and reads
through ``api.selectors``, which start from ``visible_schools``: another school's record answers
404, as its page does."""

from django.shortcuts import render
from django.views.decorators.http import require_safe
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.permissions import IsAuthenticated

from api import filters, selectors, serializers
from api.permissions import IsOfficer, ReadsSchools, SeesBoard
from boards.models import PriorityEntry
from categorisation.models import CategoryDecision
from schools.models import Inspection, School
from support.models import SupportPackage, Visit


@require_safe
def index(request):
    """The page for people: what the API offers, how to authenticate, where the schema is."""
    return render(request, "api/index.html")


@extend_schema_view(
    list=extend_schema(summary="Schools you may see", description="Filter as the school list does."),
    retrieve=extend_schema(summary="A school, by URN"),
)
class SchoolViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [IsAuthenticated, ReadsSchools]
    filterset_class = filters.SchoolFilterSet
    lookup_field = "urn"
    queryset = School.objects.none()  # for the schema; get_queryset reads what the user may see

    def get_queryset(self):
        return selectors.schools(self.request.user)

    def get_serializer_class(self):
        return serializers.SchoolDetailSerializer if self.action == "retrieve" else serializers.SchoolSerializer


@extend_schema_view(
    list=extend_schema(summary="A school's Ofsted inspections, newest first"),
    retrieve=extend_schema(summary="One of a school's Ofsted inspections, by inspection number"),
)
class InspectionViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [IsAuthenticated, ReadsSchools]
    serializer_class = serializers.InspectionSerializer
    lookup_field = "inspection_number"
    queryset = Inspection.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Inspection.objects.none()
        return selectors.inspections(self.request.user, self.kwargs["urn"])


@extend_schema_view(
    list=extend_schema(summary="Each school's current category under the active framework"),
    retrieve=extend_schema(summary="A school's current category, by URN"),
)
class CategoryViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [IsAuthenticated, ReadsSchools]
    serializer_class = serializers.SchoolCategorySerializer
    lookup_field = "urn"
    queryset = School.objects.none()

    def get_queryset(self):
        return selectors.categories(self.request.user)


@extend_schema_view(
    list=extend_schema(summary="Category decisions, newest first (LA officers and administrators)"),
    retrieve=extend_schema(summary="A category decision"),
)
class CategoryDecisionViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [IsAuthenticated, IsOfficer]
    serializer_class = serializers.CategoryDecisionSerializer
    filterset_class = filters.CategoryDecisionFilterSet
    queryset = CategoryDecision.objects.none()

    def get_queryset(self):
        return selectors.category_decisions(self.request.user)


@extend_schema_view(
    list=extend_schema(summary="This academic year's priority list (LA officers, administrators, the board)"),
    retrieve=extend_schema(summary="An entry on this academic year's priority list"),
)
class PriorityEntryViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [IsAuthenticated, SeesBoard]
    serializer_class = serializers.PriorityEntrySerializer
    filterset_class = filters.PriorityEntryFilterSet
    queryset = PriorityEntry.objects.none()

    def get_queryset(self):
        return selectors.priority_entries()


@extend_schema_view(
    list=extend_schema(summary="Support packages of the schools you may see"),
    retrieve=extend_schema(summary="A support package, with what is entitled, allocated, delivered and remaining"),
)
class SupportPackageViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [IsAuthenticated, ReadsSchools]
    filterset_class = filters.SupportPackageFilterSet
    queryset = SupportPackage.objects.none()

    def get_queryset(self):
        return selectors.support_packages(self.request.user)

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.SupportPackageDetailSerializer
        return serializers.SupportPackageSerializer

    def get_object(self):
        return selectors.with_balances(super().get_object())


@extend_schema_view(
    list=extend_schema(
        summary="Visits to the schools you may see",
        description="Headteachers and board members see only visits whose report has been shared with the school.",
    ),
    retrieve=extend_schema(summary="A visit, with the version of its report you may read"),
)
class VisitViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [IsAuthenticated, ReadsSchools]
    serializer_class = serializers.VisitSerializer
    filterset_class = filters.VisitFilterSet
    queryset = Visit.objects.none()

    def get_queryset(self):
        return selectors.visits(self.request.user)
