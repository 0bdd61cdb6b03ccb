from django.urls import include, path

from icmc.api.api import api
from icmc.web.admin_site import admin_site

urlpatterns = [
    path("admin/", admin_site.urls),
    path("api/v1/", api.urls),
    path("account/mfa/", include("icmc.identity.urls")),
    path("account/mfa/webauthn/", include("icmc.identity.passkey_urls")),
    path("node/", include("icmc.fieldnode.urls")),  # a field node's sync page (404 on a centre)
    path("", include("icmc.web.urls")),
]
