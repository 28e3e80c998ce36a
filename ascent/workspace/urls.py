from django.urls import path

from . import views

app_name = "workspace"
urlpatterns = [
    path("review/", views.queue, name="queue"),
    path("review/<int:pk>/", views.review, name="review"),
    path("review/<int:pk>/conflict/", views.conflict, name="conflict"),
]
