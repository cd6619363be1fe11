from rest_framework import serializers

from cleaners.models import Cleaner


class CleanerSerializer(serializers.ModelSerializer):
    township_code = serializers.CharField(source="township.code", read_only=True)
    township_name = serializers.CharField(source="township.name", read_only=True)
    certified = serializers.BooleanField(source="is_certified", read_only=True)

    class Meta:
        model = Cleaner
        fields = [
            "id",
            "township",
            "township_code",
            "township_name",
            "name",
            "area",
            "training_date",
            "test_result",
            "certificate_no",
            "certificate_expiry",
            "active",
            "certified",
        ]
        read_only_fields = fields


class CleanerRateSerializer(serializers.Serializer):
    """One township or county: cleaners at work, certified ones, the rate (percent, null if none)."""

    township = serializers.IntegerField(required=False, help_text="group_by=township only")
    county = serializers.CharField(help_text="the county's code")
    code = serializers.CharField(help_text="the township's or county's code")
    name = serializers.CharField()
    cleaners = serializers.IntegerField()
    certified = serializers.IntegerField()
    certified_rate = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True)
