from django.urls import path

from icmc.fieldnode import views

app_name = "fieldnode"

urlpatterns = [
    path("sync/", views.sync_page, name="sync"),
    path("sync/now/", views.sync_now, name="sync_now"),
    path("sync/changes/<int:seq>/", views.outbox_entry, name="outbox_entry"),
]
