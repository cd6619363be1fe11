from rest_framework import serializers

from townships.models import City, County, Target, Township, Track


class CitySerializer(serializers.ModelSerializer):
    class Meta:
        model = City
        fields = ["id", "code", "name"]


class CountySerializer(serializers.ModelSerializer):
    city = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = County
        fields = ["id", "code", "name", "city"]


class TownshipSerializer(serializers.ModelSerializer):
    county = serializers.SlugRelatedField(slug_field="code", read_only=True)
    county_name = serializers.CharField(source="county.name", read_only=True)
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Township
        fields = [
            "id",
            "code",
            "name",
            "official_name",
            "aliases",
            "county",
            "county_name",
            "kind",
            "category",
            "parent",
            "in_programme",
            "plan_year",
            "status",
            "latitude",
            "longitude",
            "note",
        ]


class TrackSerializer(serializers.ModelSerializer):
    class Meta:
        model = Track
        fields = ["id", "code", "name", "name_en", "position"]


class TargetSerializer(serializers.ModelSerializer):
    township_code = serializers.CharField(source="township.code", read_only=True)
    track = serializers.SlugRelatedField(slug_field="code", read_only=True)
    done_quantity = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)

    class Meta:
        model = Target
        fields = [
            "id",
            "township",
            "township_code",
            "track",
            "description",
            "quantity",
            "unit",
            "start_date",
            "due_date",
            "done_quantity",
        ]
