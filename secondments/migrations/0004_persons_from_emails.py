"""Each existing secondment gets a person record: one per distinct e-mail, named from its nomination."""

from django.db import migrations


def persons_from_emails(apps, schema_editor):
    Person = apps.get_model("secondments", "Person")
    PersonEmail = apps.get_model("secondments", "PersonEmail")
    Secondment = apps.get_model("secondments", "Secondment")
    Nomination = apps.get_model("secondments", "Nomination")
    persons: dict[str, int] = {}
    for secondment in Secondment.objects.select_related("nomination").order_by("pk").iterator():
        key = (secondment.person_key or "").strip().lower() or f"secondment-{secondment.pk}@invalid"
        if key not in persons:
            person = Person.objects.create(
                given_name=secondment.nomination.given_name, family_name=secondment.nomination.family_name
            )
            PersonEmail.objects.create(person=person, email=key)
            persons[key] = person.pk
        Secondment.objects.filter(pk=secondment.pk).update(person_id=persons[key])
        Nomination.objects.filter(pk=secondment.nomination_id).update(person_id=persons[key])


class Migration(migrations.Migration):
    dependencies = [("secondments", "0003_partners_persons_cancelled_drafts")]

    operations = [migrations.RunPython(persons_from_emails, migrations.RunPython.noop, elidable=True)]
