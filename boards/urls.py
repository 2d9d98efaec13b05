from django.urls import path
from django.views.i18n import set_language

from accounts.access import permission
from boards import statutory_views as statutory
from boards import views

app_name = "boards"

urlpatterns = [
    # The priority list and its annual cycle
    path("priority-list/", views.priority_list, name="list"),
    path("priority-list/propose/", views.propose, name="propose"),
    path("priority-list/agree/", views.agree_list, name="agree-list"),
    path("priority-list/carry-forward/", views.carry_forward, name="carry-forward"),
    # Meetings, agendas, packs and decisions
    path("board/meetings/", views.meetings, name="meetings"),
    path("board/meetings/<int:pk>/", views.meeting, name="meeting"),
    path("board/meetings/<int:pk>/agenda/", views.generate_agenda, name="generate-agenda"),
    path("board/meetings/<int:pk>/add/", views.add_item, name="add-item"),
    path("board/meetings/<int:pk>/record/", views.record_meeting, name="record-meeting"),
    path("board/meetings/<int:pk>/pack/", views.build_pack, name="build-pack"),
    path("board/meetings/<int:pk>/pack.pdf", views.pack_pdf, name="pack-pdf"),
    path("board/items/<int:pk>/drop/", views.drop_item, name="drop-item"),
    path("board/items/<int:pk>/decide/", views.decide, name="decide"),
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
    path("language/", permission("boards:set-language")(set_language), name="set-language"),
    # Warning notices
    path("board/notices/", statutory.notices, name="notices"),
    path("board/notices/<int:pk>/", statutory.notice, name="notice"),
    path("board/notices/<int:pk>/<str:step>/", statutory.notice_step, name="notice-step"),
    # Escalation, concern meetings, inspections of priority schools
    path("board/escalations/", statutory.escalations, name="escalations"),
    path("board/escalations/<int:pk>/", statutory.escalation, name="escalation"),
    path("schools/<int:urn>/escalate/", statutory.escalate, name="escalate"),
    path("board/concern-meetings/", statutory.concern_meetings, name="concern-meetings"),
    path("board/concern-meetings/new/", statutory.new_concern_meeting, name="new-concern-meeting"),
    path("board/concern-meetings/<int:pk>/", statutory.concern_meeting, name="concern-meeting"),
    path("board/inspections/", statutory.inspections, name="inspections"),
    path("schools/<int:urn>/inspection-notice/", statutory.new_inspection_notice, name="new-inspection-notice"),
    path("board/inspections/<int:pk>/", statutory.inspection, name="inspection"),
    path("board/inspections/<int:pk>/feedback/", statutory.inspection_feedback, name="inspection-feedback"),
    path("board/inspections/<int:pk>/outcome/", statutory.inspection_outcome, name="inspection-outcome"),
]
