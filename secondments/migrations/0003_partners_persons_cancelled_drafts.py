"""Partners' nominations, person records for the service limits, cancelled drafts stay unpublished.

- Nominations and secondments come from a State or a Partner for Co-operation (exactly one).
- A candidate is nominated once per vacancy by one State or Partner (no longer across States).
- ``Person`` (+ ``PersonEmail``) replaces the e-mail key of secondments; existing secondments get a
  person per distinct e-mail, named from their nomination.
- A cancelled draft keeps ``published`` empty.
"""

import django.db.models.deletion
import django.db.models.functions.comparison
import django.db.models.functions.text
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("secondments", "0002_vacancy_is_demo"),
        ("states", "0002_delegations"),
    ]

    operations = [
        migrations.CreateModel(
            name="Person",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("given_name", models.CharField(max_length=100, verbose_name="given name")),
                ("family_name", models.CharField(max_length=100, verbose_name="family name")),
                ("created", models.DateTimeField(auto_now_add=True, verbose_name="created")),
            ],
            options={
                "verbose_name": "person",
                "verbose_name_plural": "persons",
                "ordering": ["family_name", "given_name", "id"],
            },
        ),
        migrations.CreateModel(
            name="PersonEmail",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("email", models.EmailField(max_length=254, verbose_name="e-mail")),
                (
                    "person",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="emails",
                        to="secondments.person",
                        verbose_name="person",
                    ),
                ),
            ],
            options={
                "verbose_name": "e-mail of a person",
                "verbose_name_plural": "e-mails of persons",
                "constraints": [
                    models.UniqueConstraint(
                        django.db.models.functions.text.Lower("email"), name="person_email_unique"
                    )
                ],
            },
        ),
        # Vacancies: a cancelled draft was never published.
        migrations.RemoveConstraint(model_name="vacancy", name="vacancy_published_when_not_draft"),
        migrations.AddConstraint(
            model_name="vacancy",
            constraint=models.CheckConstraint(
                condition=models.Q(("status__in", ["draft", "cancelled"]), ("published__isnull", False), _connector="OR"),
                name="vacancy_published_unless_draft",
            ),
        ),
        # Nominations by a State or a Partner.
        migrations.RemoveConstraint(model_name="nomination", name="nomination_candidate_once_per_vacancy"),
        migrations.AddField(
            model_name="nomination",
            name="partner",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="nominations",
                to="states.partner",
                verbose_name="nominating Partner for Co-operation",
            ),
        ),
        migrations.AlterField(
            model_name="nomination",
            name="state",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="nominations",
                to="states.state",
                verbose_name="nominating State",
            ),
        ),
        migrations.AlterField(
            model_name="nomination",
            name="nationality",
            field=models.ForeignKey(
                blank=True,
                help_text="A State's candidate; a Partner's candidate is a national of that Partner.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="states.state",
                verbose_name="nationality",
            ),
        ),
        migrations.AddField(
            model_name="nomination",
            name="person",
            field=models.ForeignKey(
                blank=True,
                help_text="Set when the candidate is selected.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="nominations",
                to="secondments.person",
                verbose_name="person",
            ),
        ),
        migrations.AddConstraint(
            model_name="nomination",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("nationality__isnull", False), ("partner__isnull", True), ("state__isnull", False)),
                    models.Q(("nationality__isnull", True), ("partner__isnull", False), ("state__isnull", True)),
                    _connector="OR",
                ),
                name="nomination_by_state_xor_partner",
            ),
        ),
        migrations.AddConstraint(
            model_name="nomination",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Lower("email"),
                models.F("vacancy"),
                django.db.models.functions.comparison.Coalesce("state", "partner"),
                condition=models.Q(("anonymised__isnull", True)),
                name="nomination_candidate_once_per_nominator",
            ),
        ),
        # Secondments by a State or a Partner, of a person.
        migrations.AddField(
            model_name="secondment",
            name="partner",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="secondments",
                to="states.partner",
                verbose_name="seconding Partner for Co-operation",
            ),
        ),
        migrations.AlterField(
            model_name="secondment",
            name="state",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="secondments",
                to="states.state",
                verbose_name="seconding State",
            ),
        ),
        migrations.AddConstraint(
            model_name="secondment",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("partner__isnull", True), ("state__isnull", False)),
                    models.Q(("partner__isnull", False), ("state__isnull", True)),
                    _connector="OR",
                ),
                name="secondment_state_xor_partner",
            ),
        ),
        migrations.RenameField(model_name="secondment", old_name="person", new_name="person_key"),
        migrations.AddField(
            model_name="secondment",
            name="person",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="secondments",
                to="secondments.person",
                verbose_name="person",
            ),
        ),
    ]
