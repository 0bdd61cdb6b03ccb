from django.urls import path

from icmc.identity import views

app_name = "identity"

urlpatterns = [
    path("verify/", views.verify, name="verify"),
    path("enrol/", views.enrol, name="enrol"),
    path("step-up/", views.step_up, name="step_up"),
    path("passkey/", views.passkey_enrol, name="passkey"),
]
