from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from regiekamer.access.views import LoginView, start
from regiekamer.api.endpoints import api

urlpatterns = [
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("start/", start, name="start"),
    path("beheer/", admin.site.urls),
]

if settings.OIDC_ENABLED:  # OpenID Connect sign-in (regiekamer/access/oidc.py); absent when not configured
    from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

    urlpatterns += [
        path("oidc/authenticate/", OIDCAuthenticationRequestView.as_view(), name="oidc_authentication_init"),
        path("oidc/callback/", OIDCAuthenticationCallbackView.as_view(), name="oidc_authentication_callback"),
    ]

urlpatterns += [
    path("api/v1/", api.urls),
    path("", include("regiekamer.care.urls")),
    path("", include("regiekamer.providers.urls")),
    path("", include("regiekamer.monitoring.urls")),
    path("", include("regiekamer.reports.urls")),
    path("", include("regiekamer.strategy.urls")),
    path("", include("regiekamer.tenders.urls")),
]
