"""A focal point acts for a participating State or for a Partner for Co-operation."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("states", "0002_delegations"),
    ]

    operations = [
        migrations.AlterField(
            model_name="focalpoint",
            name="state",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="focal_points",
                to="states.state",
                verbose_name="State",
            ),
        ),
        migrations.AddField(
            model_name="focalpoint",
            name="partner",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="focal_points",
                to="states.partner",
                verbose_name="Partner for Co-operation",
            ),
        ),
        migrations.AddConstraint(
            model_name="focalpoint",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("partner__isnull", True), ("state__isnull", False)),
                    models.Q(("partner__isnull", False), ("state__isnull", True)),
                    _connector="OR",
                ),
                name="focal_point_state_xor_partner",
            ),
        ),
    ]
