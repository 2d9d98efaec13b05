from django.urls import path

from boards import annual_views as annual
from boards import improvement_board_views, siab_views, views
from boards import statutory_views as statutory
from boards import welsh_views as wales

app_name = "boards"

urlpatterns = [
    # The priority list and its annual cycle
    path("priority-list/", views.priority_list, name="list"),
    path("priority-list/propose/", views.propose, name="propose"),
    path("priority-list/partner/", views.assign_partners, name="assign-partners"),
    path("priority-list/agree/", views.agree_list, name="agree-list"),
    path("priority-list/carry-forward/", views.carry_forward, name="carry-forward"),
    # Birmingham's stage 1 (seed 004): visit and agree with a newly vulnerable school's head; academies of concern
    path("priority-list/newly-vulnerable/", annual.vulnerability_visits, name="vulnerability-visits"),
    path("schools/<int:urn>/vulnerability-visit/", annual.vulnerability_visit, name="vulnerability-visit"),
    path("board/academy-notifications/", annual.academy_notifications, name="academy-notifications"),
    path("board/academy-notifications/<int:pk>/", annual.academy_notification, name="academy-notification"),
    # Meetings, agendas, packs and decisions
    path("board/meetings/", views.meetings, name="meetings"),
    path("board/meetings/<int:pk>/", views.meeting, name="meeting"),
    path("board/meetings/<int:pk>/agenda/", views.generate_agenda, name="generate-agenda"),
    path("board/meetings/<int:pk>/consent/", views.consent, name="consent"),
    path("board/meetings/<int:pk>/add/", views.add_item, name="add-item"),
    path("board/meetings/<int:pk>/record/", views.record_meeting, name="record-meeting"),
    path("board/meetings/<int:pk>/pack/", views.build_pack, name="build-pack"),
    path("board/meetings/<int:pk>/pack.pdf", views.pack_pdf, name="pack-pdf"),
    path("board/items/<int:pk>/drop/", views.drop_item, name="drop-item"),
    path("board/items/<int:pk>/decide/", views.decide, name="decide"),
    # The School Improvement Board (seed 002): its members, and decisions with their votes
    path("board/improvement-board/", improvement_board_views.members, name="improvement-board"),
    path("board/items/<int:pk>/vote/", improvement_board_views.vote, name="vote"),
    # Birmingham's advisory board (seed 004): its chair and members, and the Education Improvement Group
    path("board/membership/", siab_views.membership, name="board-membership"),
    path("board/education-improvement-group/", siab_views.eig_meetings, name="eig-meetings"),
    # Letters
    path("board/letters/", statutory.letters, name="letters"),
    path("board/letters/annual/", statutory.annual_letters, name="annual-letters"),
    path("board/letters/<int:pk>/", statutory.letter, name="letter"),
    path("board/letters/<int:pk>/letter.pdf", statutory.letter_pdf, name="letter-pdf"),
    path("board/letters/<int:pk>/language/", statutory.letter_language, name="letter-language"),
    path("board/letter-templates/", statutory.letter_templates, name="letter-templates"),
    path("board/letter-templates/<str:kind>/", statutory.edit_template, name="edit-template"),
    # The header's language switch (Cymraeg / English), for the people of authorities in Wales, who
    # read their letters and pages in Welsh; it lives with the letters, which brought Welsh in.
    # Warning notices
    path("board/notices/", statutory.notices, name="notices"),
    path("board/notices/<int:pk>/", statutory.notice, name="notice"),
    path(
        "board/notices/<int:pk>/recommendation.pdf",
        statutory.notice_recommendation_pdf,
        name="notice-recommendation-pdf",
    ),
    path("board/notices/<int:pk>/notice.pdf", statutory.notice_pdf, name="notice-pdf"),
    path("board/notices/<int:pk>/<str:step>/", statutory.notice_step, name="notice-step"),
    # Escalation, concern meetings, inspections of priority schools
    path("board/escalations/", statutory.escalations, name="escalations"),
    path("board/escalations/<int:pk>/", statutory.escalation, name="escalation"),
    path("board/escalations/<int:pk>/warning-notice/", statutory.escalation_notice, name="escalation-notice"),
    path("schools/<int:urn>/escalate/", statutory.escalate, name="escalate"),
    path("board/concern-meetings/", statutory.concern_meetings, name="concern-meetings"),
    path("board/concern-meetings/new/", statutory.new_concern_meeting, name="new-concern-meeting"),
    path("board/concern-meetings/<int:pk>/", statutory.concern_meeting, name="concern-meeting"),
    path("board/inspections/", statutory.inspections, name="inspections"),
    path("schools/<int:urn>/inspection-notice/", statutory.new_inspection_notice, name="new-inspection-notice"),
    path("board/inspections/<int:pk>/", statutory.inspection, name="inspection"),
    path("board/inspections/<int:pk>/feedback/", statutory.inspection_feedback, name="inspection-feedback"),
    path("board/inspections/<int:pk>/outcome/", statutory.inspection_outcome, name="inspection-outcome"),
    # Wales (seed 001): informal warning notices, risk management conferences, target reviews, consultant governors
    path("wales/", wales.wales, name="wales"),
    path("wales/informal-notices/", wales.informal_notices, name="informal-notices"),
    path("schools/<int:urn>/informal-notice/", wales.new_informal_notice, name="new-informal-notice"),
    path("wales/informal-notices/<int:pk>/", wales.informal_notice, name="informal-notice"),
    path("wales/informal-notices/<int:pk>/<str:step>/", wales.informal_notice_step, name="informal-notice-step"),
    path("wales/risk-conferences/", wales.risk_conferences, name="risk-conferences"),
    path("wales/risk-conferences/new/", wales.new_risk_conference, name="new-risk-conference"),
    path("wales/risk-conferences/<int:pk>/", wales.risk_conference, name="risk-conference"),
    path("wales/conference-actions/<int:pk>/done/", wales.conference_action_done, name="conference-action-done"),
    path("wales/target-reviews/", wales.target_reviews, name="target-reviews"),
    path("schools/<int:urn>/target-reviews/", wales.school_target_reviews, name="school-target-reviews"),
    path("schools/<int:urn>/target-reviews/new/", wales.new_target_review, name="new-target-review"),
    path("wales/consultant-governors/", wales.consultant_governors, name="consultant-governors"),
    path("schools/<int:urn>/consultant-governor/", wales.new_consultant_governor, name="new-consultant-governor"),
    path("wales/consultant-governors/<int:pk>/peer-review/", wales.governor_peer_review, name="governor-peer-review"),
]
