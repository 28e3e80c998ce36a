from django.urls import path

from . import views

app_name = "workspace"
urlpatterns = [
    path("review/", views.queue, name="queue"),
    path("review/<int:pk>/", views.review, name="review"),
    path("review/<int:pk>/conflict/", views.conflict, name="conflict"),
    path("review/<int:pk>/files/<slug:key>/", views.review_file, name="review_file"),
    path("review/<int:pk>/letters/<int:reference>/", views.review_letter, name="review_letter"),
]

from . import staff  # noqa: E402

urlpatterns += [
    path("staff/", staff.cycles, name="staff_cycles"),
    path("staff/cycles/<int:pk>/", staff.cycle, name="staff_cycle"),
    path("staff/cycles/<int:pk>/run/<slug:step>/", staff.run, name="staff_run"),
    path("staff/cycles/<int:pk>/board/", staff.board, name="staff_board"),
    path("staff/cycles/<int:pk>/board.csv", staff.board_csv, name="staff_board_csv"),
    path("staff/cycles/<int:pk>/release/", staff.release, name="staff_release"),
    path("staff/jobs/<int:pk>/", staff.job, name="staff_job"),
]
urlpatterns += [
    path("staff/cycles/<int:pk>/configuration/", staff.configuration, name="staff_configuration"),
]
urlpatterns += [
    path("staff/cycles/<int:pk>/analytics/", staff.analytics, name="staff_analytics"),
]
urlpatterns += [
    path("staff/cycles/<int:pk>/panel/", staff.panel, name="staff_panel"),
]
urlpatterns += [
    path(
        "staff/decisions/<int:pk>/change/", staff.change_decision_view, name="staff_change_decision"
    ),
]
urlpatterns += [
    path("staff/stages/<int:pk>/shortlist/", staff.shortlist_view, name="staff_shortlist"),
]
urlpatterns += [
    path("staff/cycles/<int:pk>/next/", staff.next_cycle, name="staff_next_cycle"),
]
