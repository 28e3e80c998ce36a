import django.db.models.deletion
from django.db import migrations, models


def copy_cycle(apps, schema_editor):
    """Each decision takes its application's cycle (one UPDATE, on any database)."""
    Decision = apps.get_model("decisions", "Decision")
    Application = apps.get_model("applications", "Application")
    cycle = Application.objects.filter(pk=models.OuterRef("application_id")).values("cycle_id")
    Decision.objects.update(cycle_id=models.Subquery(cycle[:1]))


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0006_held_answers"),
        ("decisions", "0004_offer_withdrawn"),
        ("programs", "0005_stage_letters_when_blind"),
    ]

    operations = [
        migrations.AddField(
            model_name="decision",
            name="cycle",
            field=models.ForeignKey(
                null=True,
                editable=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="decisions",
                to="programs.cycle",
            ),
        ),
        migrations.RunPython(copy_cycle, migrations.RunPython.noop, elidable=False),
        migrations.AlterField(
            model_name="decision",
            name="cycle",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="decisions",
                to="programs.cycle",
            ),
        ),
        migrations.AddIndex(
            model_name="decision",
            index=models.Index(fields=["cycle", "rank"], name="decision_cycle_rank"),
        ),
        migrations.AddIndex(
            model_name="decision",
            index=models.Index(
                fields=["cycle", "outcome", "composite"], name="decision_cycle_outcome"
            ),
        ),
        migrations.AddIndex(
            model_name="decision",
            index=models.Index(fields=["cycle", "released_at"], name="decision_cycle_released"),
        ),
    ]
