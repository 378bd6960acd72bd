"""The project's URLs plus one deliberately unscoped view, to prove the authorisation matrix catches it."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import path

from regiekamer.regions.models import Municipality
from regiekamer.urls import urlpatterns as project_urlpatterns


@login_required
def every_municipality(request):  # forgets the scope: lists all municipalities to anyone logged in
    rows = "".join(f'<tr data-gemeente="{m.cbs_code}"><td>{m.name}</td></tr>' for m in Municipality.objects.all())
    return HttpResponse(f"<table>{rows}</table>")


urlpatterns = [*project_urlpatterns, path("lek/", every_municipality, name="lek")]
