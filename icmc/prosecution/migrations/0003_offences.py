"""Load the reference table of offences. Values marked [M] in `note` come from secondary sources or memory
(docs: /work/shared/domain/facts.md) and must be confirmed before a rule relies on them."""

from django.db import migrations

V = "[V] checked in the Act"
M = "[M] secondary source or memory: confirm before relying on it"

# code, act, section, title, min, max, note
OFFENCES = [
    ("BNS-143(2)", "BNS", "143(2)", "Trafficking of persons", "7 years RI", "10 years RI and fine", V),
    ("BNS-143(3)", "BNS", "143(3)", "Trafficking of more than one person", "10 years RI", "life imprisonment", V),
    ("BNS-143(4)", "BNS", "143(4)", "Trafficking of a child", "10 years RI", "life imprisonment", V),
    ("BNS-143(5)", "BNS", "143(5)", "Trafficking of more than one child", "14 years RI", "life imprisonment", V),
    ("BNS-143(6)", "BNS", "143(6)", "Repeat offence of trafficking a child", "life (rest of natural life)",
     "life (rest of natural life)", V),
    ("BNS-143(7)", "BNS", "143(7)", "Trafficking involving a public servant or police officer",
     "life (rest of natural life)", "life (rest of natural life)", V),
    ("BNS-144", "BNS", "144", "Exploitation of a trafficked person", "3 years (adult); 5 years (child)",
     "7 years (adult); 10 years (child)", V),
    ("BNS-96", "BNS", "96", "Procuration of a child", "", "10 years and fine", M + " (ex-IPC 366A)"),
    ("BNS-98", "BNS", "98", "Selling a child for purposes of prostitution", "", "10 years and fine",
     M + " (ex-IPC 372)"),
    ("BNS-99", "BNS", "99", "Buying a child for purposes of prostitution", "7 years", "14 years and fine",
     M + " (ex-IPC 373)"),
    ("BNS-139", "BNS", "139", "Kidnapping or maiming a child for begging", "10 years", "life imprisonment",
     M + " (ex-IPC 363A)"),
    ("BNS-141", "BNS", "141", "Importation of a girl or boy from a foreign country", "", "10 years and fine",
     M + " (ex-IPC 366B)"),
    ("BNS-111", "BNS", "111", "Organised crime", "5 years", "life imprisonment (death if a death is caused)", M),
    ("IPC-370", "IPC", "370", "Trafficking of persons", "7 years RI", "life imprisonment", V + " (now BNS 143)"),
    ("IPC-370A", "IPC", "370A", "Exploitation of a trafficked person", "3 years (adult); 5 years (child)",
     "7 years (adult); 10 years (child)", V + " (now BNS 144)"),
    ("IPC-366A", "IPC", "366A", "Procuration of a minor girl", "", "10 years and fine", M),
    ("IPC-366B", "IPC", "366B", "Importation of a girl from a foreign country", "", "10 years and fine", M),
    ("IPC-372", "IPC", "372", "Selling a minor for purposes of prostitution", "", "10 years and fine", M),
    ("IPC-373", "IPC", "373", "Buying a minor for purposes of prostitution", "", "10 years and fine", M),
    ("ITPA-3", "ITPA", "3", "Keeping a brothel or allowing premises to be used as a brothel", "1 year",
     "3 years and fine (first conviction)", M),
    ("ITPA-4", "ITPA", "4", "Living on the earnings of prostitution", "", "2 years or fine; 7-10 years if a child",
     M),
    ("ITPA-5", "ITPA", "5", "Procuring, inducing or taking a person for the sake of prostitution", "3 years",
     "7 years; 7-14 years / life if a child", M),
    ("ITPA-6", "ITPA", "6", "Detaining a person in premises where prostitution is carried on", "7 years",
     "life imprisonment or 10 years", M),
    ("ITPA-7", "ITPA", "7", "Prostitution in or near public places", "", "3 months; more near a child", M),
    ("ITPA-8", "ITPA", "8", "Seducing or soliciting for the purpose of prostitution", "", "6 months", M),
    ("POCSO-4", "POCSO", "4", "Penetrative sexual assault", "10 years", "life imprisonment", M),
    ("POCSO-6", "POCSO", "6", "Aggravated penetrative sexual assault", "20 years", "life imprisonment or death",
     M),
    ("POCSO-8", "POCSO", "8", "Sexual assault", "3 years", "5 years and fine", M),
    ("POCSO-10", "POCSO", "10", "Aggravated sexual assault", "5 years", "7 years and fine", M),
    ("POCSO-17", "POCSO", "17", "Abetment of an offence", "", "as for the offence abetted", M),
    ("JJ-74", "JJ", "74", "Disclosure of the identity of a child", "", "6 months or fine up to Rs 2 lakh", M),
    ("JJ-81", "JJ", "81", "Sale and procurement of children for any purpose", "", "5 years RI and fine", M),
    ("BLSA-16", "BLSA", "16", "Enforcement of bonded labour", "", "3 years and fine up to Rs 2,000", M),
    ("BLSA-17", "BLSA", "17", "Advancement of bonded debt", "", "3 years and fine up to Rs 2,000", M),
    ("BLSA-18", "BLSA", "18", "Extracting bonded labour under the bonded labour system", "",
     "3 years and fine up to Rs 2,000", M),
]


def load(apps, schema_editor):
    Offence = apps.get_model("prosecution", "Offence")
    for code, act, section, title, low, high, note in OFFENCES:
        Offence.objects.update_or_create(code=code, defaults={
            "act": act, "section": section, "title": title, "min_punishment": low, "max_punishment": high,
            "note": note})


def unload(apps, schema_editor):
    apps.get_model("prosecution", "Offence").objects.filter(code__in=[o[0] for o in OFFENCES]).delete()


class Migration(migrations.Migration):
    dependencies = [("prosecution", "0002_prosecution_track")]
    operations = [migrations.RunPython(load, unload)]
