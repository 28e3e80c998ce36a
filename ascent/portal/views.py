from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ascent.applications.domain.queries import programs_with_cycle_counts


def home(request: HttpRequest) -> HttpResponse:
    """Programs and their cycles, with how many applied and how many were selected."""
    return render(request, "portal/home.html", {"programs": programs_with_cycle_counts()})
