from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_pending_tasks"),
    ]

    operations = [
        migrations.CreateModel(
            name="ResourceVersion",
            fields=[
                (
                    "name",
                    models.CharField(max_length=63, primary_key=True, serialize=False, verbose_name="table"),
                ),
                ("version", models.BigIntegerField(default=0, verbose_name="version")),
            ],
            options={
                "verbose_name": "resource version",
                "verbose_name_plural": "resource versions",
            },
        ),
        # Versions come from one sequence, never from ``version + 1``: a number a rolled-back
        # transaction took is never given again, so a cache entry made inside it can never match.
        migrations.RunSQL(
            "CREATE SEQUENCE IF NOT EXISTS core_resourceversion_seq",
            "DROP SEQUENCE IF EXISTS core_resourceversion_seq",
        ),
    ]
