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
    path("journey/", views.journey, name="journey"),
    path("outbox/", views.outbox, name="outbox"),
]
