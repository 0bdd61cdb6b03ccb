import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

from icmc.web.warmup import warm_up  # noqa: E402  # after the application: it needs the settings and apps

warm_up()  # once in gunicorn's master (preload_app): each worker starts with the URLconf imported, templates compiled
