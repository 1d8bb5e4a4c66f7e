"""Great-circle distances between WGS84 points, one pair at a time or vectorised with numpy."""

from __future__ import annotations

import math

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
