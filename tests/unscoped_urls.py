"""The project's URLs plus deliberately unscoped views (a page and a JSON answer), to prove the authorisation matrix catches it."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.urls import path

from regiekamer.regions.models import Municipality
from regiekamer.urls import urlpatterns as project_urlpatterns


@login_required
def every_municipality(request):  # forgets the scope: lists all municipalities to anyone logged in
    rows = "".join(f'<tr data-gemeente="{m.cbs_code}"><td>{m.name}</td></tr>' for m in Municipality.objects.all())
    return HttpResponse(f"<table>{rows}</table>")


@login_required
def every_municipality_as_json(request):  # the same mistake in an API-style answer
    return JsonResponse([{"gemeente": m.cbs_code, "naam": m.name} for m in Municipality.objects.all()], safe=False)


urlpatterns = [*project_urlpatterns, path("lek/", every_municipality, name="lek"),
               path("api/v1/lek", every_municipality_as_json, name="api-lek")]
