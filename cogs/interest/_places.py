"""Places people wait in: a typed or autocompleted place resolved against the gazetteer."""

from __future__ import annotations

from core.geography import Gazetteer
from db.interest import InterestPlace


def resolve_place(gazetteer: Gazetteer, text: str) -> InterestPlace | None:
    """Resolve "Rosario" or "Rosario, Argentina" (as autocomplete offers it) to one city."""
    place, country_code = text.strip(), None
    if "," in place:
        head, tail = place.rsplit(",", 1)
        country = gazetteer.country(tail)
        if country is not None and head.strip():
            place, country_code = head.strip(), country.code
    cities = gazetteer.cities_named(place, country_code)
    if not cities:
        return None
    city = cities[0]
    return InterestPlace(city.name, city.country_code, city.latitude, city.longitude)


def place_label(gazetteer: Gazetteer, place: InterestPlace) -> str:
    """Return "Rosario, Argentina": what people read, and what resolves back to the city."""
    return f"{place.city}, {gazetteer.country_name(place.country_code)}"
