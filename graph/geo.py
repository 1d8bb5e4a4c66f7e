"""Great-circle distances between WGS84 points, one pair at a time or vectorised with numpy."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Protocol

import numpy as np
import numpy.typing as npt

#: Mean Earth radius (km) used by every distance in Maillage.
EARTH_RADIUS_KM = 6371.0

FloatArray = npt.NDArray[np.float64]


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres between two points given in decimal degrees.

    Uses the haversine formula on a sphere of radius `EARTH_RADIUS_KM` (6371 km); the error against
    the WGS84 ellipsoid is below 0.5 %, far under the size of a commune.

    Parameters
    ----------
    lat1, lon1, lat2, lon2 : float
        Latitudes and longitudes in decimal degrees.

    Returns
    -------
    float
        The distance in km.

    Examples
    --------
    One degree along a meridian is 6371 · π / 180 km:

    >>> round(haversine_km(0.0, 0.0, 1.0, 0.0), 3)
    111.195

    Tarnos (43.53697, -1.46578) to Bayonne (43.49235, -1.4659), commune centroids:

    >>> round(haversine_km(43.53697, -1.46578, 43.49235, -1.4659), 2)
    4.96
    """
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    half_dphi = (phi2 - phi1) / 2
    half_dlambda = math.radians(lon2 - lon1) / 2
    h = math.sin(half_dphi) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(half_dlambda) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def haversine_km_array(
    lat1: npt.ArrayLike, lon1: npt.ArrayLike, lat2: npt.ArrayLike, lon2: npt.ArrayLike
) -> FloatArray:
    """Vectorised `haversine_km`: arrays broadcast together; a NaN coordinate gives a NaN distance.

    Examples
    --------
    >>> import numpy as np
    >>> haversine_km_array([0.0, 43.53697], [0.0, -1.46578], [1.0, 43.49235], [0.0, -1.4659]).round(2)
    array([111.19,   4.96])
    >>> bool(np.isnan(haversine_km_array(np.nan, 0.0, 1.0, 0.0)))
    True
    """
    phi1 = np.radians(np.asarray(lat1, dtype=np.float64))
    phi2 = np.radians(np.asarray(lat2, dtype=np.float64))
    dlambda = np.radians(np.asarray(lon2, dtype=np.float64) - np.asarray(lon1, dtype=np.float64))
    h = np.sin((phi2 - phi1) / 2) ** 2 + np.cos(phi1) * np.cos(phi2) * np.sin(dlambda / 2) ** 2
    result: FloatArray = 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(h)))
    return result


class Placed(Protocol):
    """Anything with a latitude and a longitude, each possibly unknown (an `ActorRecord`)."""

    @property
    def lat(self) -> float | None: ...

    @property
    def lon(self) -> float | None: ...


class PointSet:
    """Many points prepared once (radians, cosines) for fast distances between pairs of them.

    `distances_km` gives the same values as `haversine_km_array` at about half the cost, which
    matters in network-wide scans that measure millions of pairs.

    Examples
    --------
    >>> points = PointSet([43.53697, 43.49235, float("nan")], [-1.46578, -1.4659, 0.0])
    >>> points.distances_km([0, 0], [1, 2]).round(2)
    array([4.96,  nan])
    """

    def __init__(self, lat: npt.ArrayLike, lon: npt.ArrayLike) -> None:
        self.phi = np.radians(np.asarray(lat, dtype=np.float64))
        self.lam = np.radians(np.asarray(lon, dtype=np.float64))
        self.cos_phi = np.cos(self.phi)

    @classmethod
    def of_places(cls, places: Iterable[Placed]) -> PointSet:
        """The points of `places` (actors, for instance), NaN where one has no coordinates.

        >>> from types import SimpleNamespace as Place
        >>> len(PointSet.of_places([Place(lat=43.5, lon=-1.5), Place(lat=None, lon=None)]))
        2
        """
        places = list(places)
        return cls(
            [np.nan if p.lat is None else p.lat for p in places],
            [np.nan if p.lon is None else p.lon for p in places],
        )

    def __len__(self) -> int:
        return len(self.phi)

    def distances_km(self, first: npt.ArrayLike, second: npt.ArrayLike) -> FloatArray:
        """Distances between points ``first[k]`` and ``second[k]`` (indices, broadcast together)."""
        i = np.asarray(first, dtype=np.int64)
        j = np.asarray(second, dtype=np.int64)
        h = np.square(np.sin((self.phi[j] - self.phi[i]) * 0.5))
        h += self.cos_phi[i] * self.cos_phi[j] * np.square(np.sin((self.lam[j] - self.lam[i]) * 0.5))
        np.sqrt(h, out=h)
        np.minimum(h, 1.0, out=h)
        result: FloatArray = 2 * EARTH_RADIUS_KM * np.arcsin(h)
        return result
