from django.urls import include, path

from icmc.emergency import views as emergency_views
from icmc.matching import views as matching_views
from icmc.privacy import views as privacy_views
from icmc.sync import views as sync_views
from icmc.web.views import auth, case_page, cases, pathway, person_search, prosecution, referrals, report, tasks, tokens

app_name = "web"

urlpatterns = [
    path("login/", auth.LoginView.as_view(), name="login"),
    path("logout/", auth.LogoutView.as_view(), name="logout"),
    path("account/membership/", auth.switch_membership, name="switch_membership"),
    path("account/tokens/", tokens.api_tokens, name="api_tokens"),
    path("account/tokens/<uuid:token_id>/revoke/", tokens.revoke_api_token, name="revoke_api_token"),
    path("", cases.my_cases, name="my_cases"),
    path("cases/", cases.all_cases, name="case_list"),
    path("cases/new/", report.report_case, name="case_report"),
    path("cases/<uuid:case_id>/", case_page.case_detail, name="case_detail"),
    path("cases/<uuid:case_id>/notes/", case_page.add_note, name="case_add_note"),
    path("cases/<uuid:case_id>/people/add/", case_page.add_person, name="case_add_person"),
    path("cases/<uuid:case_id>/fir/", case_page.record_fir, name="case_fir"),
    path("cases/<uuid:case_id>/pathway/<slug:kind>/", pathway.pathway_record, name="pathway_add"),
    path("cases/<uuid:case_id>/pathway/<slug:kind>/<uuid:record_id>/", pathway.pathway_record,
         name="pathway_edit"),
    path("cases/<uuid:case_id>/survivors/<uuid:party_id>/stage/", pathway.move_survivor, name="pathway_move"),
    path("cases/<uuid:case_id>/prosecution/<slug:kind>/", prosecution.prosecution_record, name="prosecution_add"),
    path("cases/<uuid:case_id>/prosecution/<slug:kind>/<uuid:record_id>/", prosecution.prosecution_record,
         name="prosecution_edit"),
    path("cases/<uuid:case_id>/closure/", prosecution.close_case, name="case_closure"),
    path("persons/search/", person_search.person_search, name="person_search"),
    path("tasks/", tasks.tasks, {"which": "org"}, name="tasks_org"),
    path("tasks/mine/", tasks.tasks, {"which": "mine"}, name="tasks_mine"),
    path("tasks/overdue/", tasks.tasks, {"which": "overdue"}, name="tasks_overdue"),
    path("tasks/<uuid:task_id>/complete/", tasks.complete_task, name="task_complete"),
    path("notifications/", tasks.notifications, name="notifications"),
    path("notifications/<uuid:notification_id>/read/", tasks.read_notification, name="notification_read"),
    path("", include(referrals.urlpatterns)),  # referral and consent pages
    path("", include(emergency_views.urlpatterns)),  # break the glass (icmc/emergency)
    path("", include(matching_views.urlpatterns)),  # duplicate candidates (icmc/matching)
    path("", include(privacy_views.urlpatterns)),  # approvals, holds, a person's data (icmc/privacy)
    path("", include(sync_views.urlpatterns)),  # the conflict inbox of a case (icmc/sync)
]
