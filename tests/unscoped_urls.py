"""The project's URLs plus deliberately unscoped views (a page and a JSON answer) and a form that lets every role
that may read it also act, to prove the authorisation matrix catches them."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.urls import path

from regiekamer.access.scope import REGIONAL_ONLY, requires
from regiekamer.regions.models import Municipality
from regiekamer.urls import urlpatterns as project_urlpatterns


@login_required
def every_municipality(request):  # forgets the scope: lists all municipalities to anyone logged in
    rows = "".join(f'<tr data-gemeente="{m.cbs_code}"><td>{m.name}</td></tr>' for m in Municipality.objects.all())
    return HttpResponse(f"<table>{rows}</table>")


@login_required
def every_municipality_as_json(request):  # the same mistake in an API-style answer
    return JsonResponse([{"gemeente": m.cbs_code, "naam": m.name} for m in Municipality.objects.all()], safe=False)


@requires(*REGIONAL_ONLY)
def form_without_a_role_check(request):  # reading is for the regional roles, but it forgets that acting is not:
    # the auditor may post (the tender views call _may_decide for that)
    if request.method == "POST":
        return HttpResponse("opgeslagen")
    return HttpResponse('<form method="post"><button>opslaan</button></form>')


urlpatterns = [*project_urlpatterns, path("lek/", every_municipality, name="lek"),
               path("api/v1/lek", every_municipality_as_json, name="api-lek"),
               path("lek-formulier/", form_without_a_role_check, name="lek-formulier")]
