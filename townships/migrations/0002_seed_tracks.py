from django.db import migrations

# The six special tracks (六大专项), in DESIGN.md order. Staff may rename them later; this
# migration only creates what is missing.
TRACKS = [
    ("planning", "规划设计引领", "Planning and design guidance"),
    ("sanitation", "卫生乡镇创建", "Sanitary township creation"),
    ("road_occupation", "“道乱占”治理", "Clearing occupied roads"),
    ("traffic_disorder", "“车乱开”治理", "Ending disorderly driving and parking"),
    ("line_clutter", "“线乱拉”治理", "Tidying overhead lines"),
    ("scattered_industry", "“低小散”块状行业治理", "Upgrading low-end scattered workshops"),
]


def seed(apps, schema_editor):
    Track = apps.get_model("townships", "Track")
    for position, (code, name, name_en) in enumerate(TRACKS, start=1):
        Track.objects.get_or_create(code=code, defaults={"name": name, "name_en": name_en, "position": position})


class Migration(migrations.Migration):
    dependencies = [("townships", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
