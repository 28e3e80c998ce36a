from django.urls import path

from . import (
    formbuilder,
    quotabuilder,
    requirements,
    rubricbuilder,
    setup,
    staff,
    stagebuilder,
    views,
)

app_name = "workspace"
urlpatterns = [
    # reviewers
    path("review/", views.queue, name="queue"),
    path("review/profile/", views.profile, name="profile"),
    path("review/bids/<int:stage>/", views.bids, name="bids"),
    path("review/<int:pk>/", views.review, name="review"),
    path("review/<int:pk>/conflict/", views.conflict, name="conflict"),
    path("review/<int:pk>/files/<slug:key>/", views.review_file, name="review_file"),
    path("review/<int:pk>/letters/<int:reference>/", views.review_letter, name="review_letter"),
    # staff
    path("staff/", staff.cycles, name="staff_cycles"),
    path("staff/programs/new/", setup.new_program, name="staff_new_program"),
    path("staff/programs/<int:pk>/team/", setup.team, name="staff_team"),
    path("staff/cycles/<int:pk>/", staff.cycle, name="staff_cycle"),
    path("staff/cycles/<int:pk>/setup/", setup.setup, name="staff_setup"),
    path("staff/cycles/<int:pk>/form/new/", formbuilder.edit, name="staff_question_new"),
    path("staff/cycles/<int:pk>/form/<int:index>/", formbuilder.edit, name="staff_question"),
    path(
        "staff/cycles/<int:pk>/form/<int:index>/move/<slug:direction>/",
        formbuilder.move,
        name="staff_question_move",
    ),
    path(
        "staff/cycles/<int:pk>/form/<int:index>/remove/",
        formbuilder.remove,
        name="staff_question_remove",
    ),
    path(
        "staff/cycles/<int:pk>/requirements/new/", requirements.edit, name="staff_requirement_new"
    ),
    path(
        "staff/cycles/<int:pk>/requirements/check/",
        requirements.check_view,
        name="staff_requirement_check",
    ),
    path(
        "staff/cycles/<int:pk>/requirements/<int:index>/",
        requirements.edit,
        name="staff_requirement",
    ),
    path(
        "staff/cycles/<int:pk>/requirements/<int:index>/remove/",
        requirements.remove,
        name="staff_requirement_remove",
    ),
    path("staff/cycles/<int:pk>/criteria/new/", rubricbuilder.edit, name="staff_criterion_new"),
    path("staff/cycles/<int:pk>/criteria/<int:index>/", rubricbuilder.edit, name="staff_criterion"),
    path(
        "staff/cycles/<int:pk>/criteria/<int:index>/remove/",
        rubricbuilder.remove,
        name="staff_criterion_remove",
    ),
    path("staff/cycles/<int:pk>/quotas/", quotabuilder.edit, name="staff_quotas"),
    path("staff/cycles/<int:pk>/stages/new/", stagebuilder.edit, name="staff_stage_new"),
    path("staff/cycles/<int:pk>/stages/<int:index>/", stagebuilder.edit, name="staff_stage"),
    path(
        "staff/cycles/<int:pk>/stages/<int:index>/move/<slug:direction>/",
        stagebuilder.move,
        name="staff_stage_move",
    ),
    path(
        "staff/cycles/<int:pk>/stages/<int:index>/remove/",
        stagebuilder.remove,
        name="staff_stage_remove",
    ),
    path("staff/cycles/<int:pk>/state/<slug:state>/", setup.cycle_state, name="staff_cycle_state"),
    path("staff/cycles/<int:pk>/run/<slug:step>/", staff.run, name="staff_run"),
    path("staff/cycles/<int:pk>/applications/", staff.applications, name="staff_applications"),
    path("staff/cycles/<int:pk>/board/", staff.board, name="staff_board"),
    path("staff/cycles/<int:pk>/board.csv", staff.board_csv, name="staff_board_csv"),
    path("staff/cycles/<int:pk>/release/", staff.release, name="staff_release"),
    path("staff/cycles/<int:pk>/configuration/", staff.configuration, name="staff_configuration"),
    path("staff/cycles/<int:pk>/analytics/", staff.analytics, name="staff_analytics"),
    path("staff/cycles/<int:pk>/panel/", staff.panel, name="staff_panel"),
    path("staff/cycles/<int:pk>/next/", staff.next_cycle, name="staff_next_cycle"),
    path("staff/stages/<int:pk>/shortlist/", staff.shortlist_view, name="staff_shortlist"),
    path(
        "staff/stages/<int:pk>/announce/",
        staff.announce_shortlist_view,
        name="staff_announce_shortlist",
    ),
    path(
        "staff/decisions/<int:pk>/change/", staff.change_decision_view, name="staff_change_decision"
    ),
    path("staff/applications/<int:pk>/", staff.application_view, name="staff_application"),
    path(
        "staff/applications/<int:pk>/files/<slug:key>/",
        staff.application_file,
        name="staff_application_file",
    ),
    path("staff/applications/<int:pk>/assign/", staff.assign_by_hand_view, name="staff_assign"),
    path("staff/assignments/<int:pk>/why/", staff.why_assigned, name="staff_why"),
    path("staff/jobs/<int:pk>/", staff.job, name="staff_job"),
]
