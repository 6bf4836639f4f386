"""The world map, drawn on the server from Natural Earth's 1:110m countries, and where events go.

The outlines are the `world-atlas` package's ``countries-110m.json`` (TopoJSON of
Natural Earth, public domain; see ``data/README.md``), vendored so the view
needs no tile server or CDN. They are decoded once at start and drawn as SVG
paths in a plain equirectangular projection (x = longitude + 180,
y = 90 - latitude), so the map is part of the HTML and works without JavaScript.

An event is placed at its launch site when the site has coordinates; otherwise
at the centre of its launching state's largest landmass, with an uncertainty
circle as wide as that landmass (a marker in the middle of Russia says only
"somewhere in Russia"). An event with neither has no place on the map, and is
still listed.
"""

from __future__ import annotations

import itertools
import json
import math
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Literal

from schemas import LaunchEvent

KM_PER_DEGREE = 111.32
Ring = list[tuple[float, float]]


@dataclass(frozen=True, slots=True)
class Placement:
    """Where an event's marker goes, and how sure that is."""

    longitude: float
    latitude: float
    precision: Literal["site", "country"]
    name: str
    uncertainty_km: float | None = None

    @property
    def x(self) -> float:
        return round(self.longitude + 180.0, 2)

    @property
    def y(self) -> float:
        return round(90.0 - self.latitude, 2)

    @property
    def radius(self) -> float:
        """The uncertainty circle's radius in map units (degrees), at least a marker's width."""
        return max(1.5, round((self.uncertainty_km or 0.0) / KM_PER_DEGREE, 2))


@dataclass(frozen=True, slots=True)
class Country:
    code: str
    name: str
    path: str
    """SVG path data of every ring of the country."""
    centre: tuple[float, float]
    radius_km: float


@dataclass(frozen=True)
class Basemap:
    countries: dict[str, Country]
    view_box: str = "0 4 360 146"
    """Longitudes -180..180, latitudes 86..-60: the populated world, Antarctica left out."""

    def place(self, event: LaunchEvent) -> Placement | None:
        site = event.location
        if site is not None and site.latitude is not None and site.longitude is not None:
            return Placement(site.longitude, site.latitude, "site", site.name)
        country = self.countries.get(event.country or "")
        if country is None:
            return None
        longitude, latitude = country.centre
        return Placement(longitude, latitude, "country", country.name, country.radius_km)

    def name_of(self, code: str | None) -> str:
        country = self.countries.get(code or "")
        return country.name if country is not None else (code or "unknown")


@cache
def world() -> Basemap:
    """The bundled map, decoded once per process."""
    data = resources.files("services.web") / "data"
    topology = json.loads((data / "countries-110m.json").read_text(encoding="utf-8"))
    codes = json.loads((data / "iso-codes.json").read_text(encoding="utf-8"))
    alpha2 = {numeric: code for code, _alpha3, numeric, *_ in codes}
    arcs = _decode_arcs(topology)
    countries: dict[str, Country] = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        code = alpha2.get(str(geometry.get("id", "")))
        if code is None or code == "AQ":
            continue
        polygons = _polygons(geometry, arcs)
        if not polygons:
            continue
        countries[code] = _country(code, geometry["properties"]["name"], polygons)
    return Basemap(countries)


def _decode_arcs(topology: dict[str, Any]) -> list[Ring]:
    """TopoJSON's quantised, delta-encoded arcs as longitude/latitude points."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    decoded: list[Ring] = []
    for arc in topology["arcs"]:
        x = y = 0
        points: Ring = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        decoded.append(points)
    return decoded


def _ring(indexes: list[int], arcs: list[Ring]) -> Ring:
    points: Ring = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc[1:] if points else arc)
    return points


def _polygons(geometry: dict[str, Any], arcs: list[Ring]) -> list[list[Ring]]:
    if geometry["type"] == "Polygon":
        return [[_ring(ring, arcs) for ring in geometry["arcs"]]]
    if geometry["type"] == "MultiPolygon":
        return [[_ring(ring, arcs) for ring in polygon] for polygon in geometry["arcs"]]
    return []


def _country(code: str, name: str, polygons: list[list[Ring]]) -> Country:
    path = " ".join(_path(ring) for polygon in polygons for ring in polygon)
    outer = max((_unwrapped(polygon[0]) for polygon in polygons), key=lambda r: abs(_area(r)))
    longitude, latitude = _centroid(outer)
    centre = (round((longitude + 180.0) % 360.0 - 180.0, 3), latitude)
    radius_deg = math.sqrt(abs(_area(outer)) / math.pi)
    radius_km = radius_deg * KM_PER_DEGREE * math.sqrt(math.cos(math.radians(centre[1])))
    return Country(code, name, path, centre, round(radius_km, -1))


def _unwrapped(ring: Ring) -> Ring:
    """A ring that crosses the antimeridian (Russia, Fiji) made continuous, east of it."""
    if max(x for x, _ in ring) - min(x for x, _ in ring) <= 180.0:
        return ring
    return [(x + 360.0 if x < 0 else x, y) for x, y in ring]


def _path(ring: Ring) -> str:
    """A ring as SVG path data, in whole tenths of a degree, repeated points dropped.

    Where the ring jumps across the antimeridian a new subpath starts, so no
    line is drawn across the whole map.
    """
    parts: list[str] = []
    previous: tuple[float, float] | None = None
    for longitude, latitude in ring:
        point = (round(longitude + 180.0, 1), round(90.0 - latitude, 1))
        if point == previous:
            continue
        jump = previous is None or abs(point[0] - previous[0]) > 180.0
        parts.append(f"{'M' if jump else 'L'}{point[0]:g},{point[1]:g}")
        previous = point
    return "".join(parts) + "Z"


def _area(ring: Ring) -> float:
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in itertools.pairwise(ring)) / 2


def _centroid(ring: Ring) -> tuple[float, float]:
    area = _area(ring)
    if area == 0:
        return ring[0]
    cx = cy = 0.0
    for (x0, y0), (x1, y1) in itertools.pairwise(ring):
        cross = x0 * y1 - x1 * y0
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    return (round(cx / (6 * area), 3), round(cy / (6 * area), 3))
