from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"


class LogoutView(auth_views.LogoutView):
    pass


def my_cases(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ICMC")
