from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "icmc.referrals"
    label = "referrals"
    verbose_name = "Referrals and consent"
