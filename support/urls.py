from django.urls import path

from support import views

app_name = "support"

urlpatterns = [
    path("caseload/", views.caseload, name="caseload"),
    path("partners/", views.partners, name="partners"),
    path("partners/new/", views.add_partner, name="add-partner"),
    path("partners/<int:pk>/", views.partner, name="partner"),
    path("partners/<int:pk>/edit/", views.edit_partner, name="edit-partner"),
    path("partners/<int:pk>/interests/", views.declare_interest, name="declare-interest"),
    path("quality-assurance/", views.quality_assurance, name="quality-assurance"),
    path("self-referrals/", views.self_referrals, name="self-referrals"),
    path("annual-reviews/", views.annual_reviews, name="annual-reviews"),
    path("self-referrals/<int:pk>/decision/", views.consider_referral, name="consider-referral"),
    path("calendar/", views.academic_calendar, name="calendar"),
    path("schools/<int:urn>/support/", views.support, name="support"),
    path("schools/<int:urn>/support/package/", views.create_package, name="create-package"),
    path("schools/<int:urn>/support/adjust/", views.adjust, name="adjust"),
    path("schools/<int:urn>/support/allocate/", views.allocate, name="allocate"),
    path("schools/<int:urn>/support/brokered/", views.brokered, name="brokered"),
    path("schools/<int:urn>/support/traded/", views.traded, name="traded"),
    path("schools/<int:urn>/support/new-headteacher/", views.new_head, name="new-head"),
    path("schools/<int:urn>/support/meetings/", views.schedule_meetings, name="schedule-meetings"),
    path("schools/<int:urn>/visits/new/", views.new_visit, name="new-visit"),
    path("schools/<int:urn>/plan/", views.plan, name="plan"),
    path("schools/<int:urn>/plan/priorities/new/", views.add_priority, name="add-priority"),
    path("schools/<int:urn>/plan/priorities/<int:priority>/actions/new/", views.add_action, name="add-action"),
    path("schools/<int:urn>/plan/actions/<int:action>/", views.update_action, name="update-action"),
    path("schools/<int:urn>/plan/milestones/new/", views.add_milestone, name="add-milestone"),
    path("schools/<int:urn>/plan/academy-order/", views.academy_order, name="academy-order"),
    path("schools/<int:urn>/plan/<str:step>/", views.plan_step, name="plan-step"),
    path("schools/<int:urn>/self-referral/", views.self_referral, name="self-referral"),
    path("visits/<int:pk>/", views.visit, name="visit"),
    path("visits/<int:pk>/report/", views.edit_report, name="report-edit"),
    path("visits/<int:pk>/report.pdf", views.report_pdf, name="report-pdf"),
    path("visits/<int:pk>/respond/", views.respond, name="respond"),
    path("visits/<int:pk>/quality/", views.quality, name="quality"),
    path("visits/<int:pk>/<str:step>/", views.visit_step, name="visit-step"),
    path("meetings/<int:pk>/", views.meeting, name="meeting"),
]
