"""The secondments' old e-mail key goes; every secondment has a person."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("secondments", "0004_persons_from_emails")]

    operations = [
        migrations.RemoveField(model_name="secondment", name="person_key"),
        migrations.AlterField(
            model_name="secondment",
            name="person",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="secondments",
                to="secondments.person",
                verbose_name="person",
            ),
        ),
    ]
