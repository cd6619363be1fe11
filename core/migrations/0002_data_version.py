from django.db import migrations

from core.versions import CREATE, DROP


class Migration(migrations.Migration):
    dependencies = [("core", "0001_submission_token")]

    operations = [migrations.RunSQL(CREATE, DROP)]
