from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("programs/<slug:program>/<slug:cycle>/", views.cycle_detail, name="cycle"),
    path("cycles/<int:pk>/apply/", views.apply, name="apply"),
    path("applications/<int:pk>/", views.application, name="application"),
    path("applications/<int:pk>/submitted/", views.submitted, name="submitted"),
    path("applications/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("applications/<int:pk>/reopen/", views.reopen, name="reopen"),
    path("applications/<int:pk>/feedback/", views.ask_feedback_view, name="ask_feedback"),
    path(
        "applications/<int:pk>/files/<slug:key>/", views.application_file, name="application_file"
    ),
    path(
        "applications/<int:pk>/references/", views.request_reference_view, name="request_reference"
    ),
    path("references/<int:pk>/remind/", views.remind_reference_view, name="remind_reference"),
    path("letters/<str:token>/", views.letter, name="letter"),
    path("journey/", views.journey, name="journey"),
    path("journey/what-if/<int:pk>/", views.what_if_view, name="what_if"),
    path("journey/plan/<int:program>/goals/", views.plan_goal, name="plan_goal"),
    path("journey/plan/<int:program>/check-in/", views.plan_check_in, name="plan_check_in"),
    path("journey/goals/<int:pk>/", views.plan_goal_edit, name="plan_goal_edit"),
    path("journey/goals/<int:pk>/remove/", views.plan_goal_delete, name="plan_goal_delete"),
    path("journey/notes/<int:pk>/hide/", views.hide_note_view, name="hide_note"),
    path("journey/supporters/", views.invite_supporter_view, name="invite_supporter"),
    path(
        "journey/supporters/<int:pk>/revoke/", views.revoke_supporter_view, name="revoke_supporter"
    ),
    path("follow/<str:token>/", views.follow, name="follow"),
    path("follow/<str:token>/feedback/<int:pk>/", views.feedback, name="feedback"),
    path(
        "follow/<str:token>/feedback/<int:pk>/files/<slug:key>/",
        views.feedback_file,
        name="feedback_file",
    ),
    path("offers/<int:pk>/<slug:answer>/", views.answer_offer_view, name="answer_offer"),
    path("account/", views.account, name="account"),
    path("account/delete/", views.account_delete, name="account_delete"),
    path("account/my-data.zip", views.account_export, name="account_export"),
    path("outbox/", views.outbox, name="outbox"),
]
