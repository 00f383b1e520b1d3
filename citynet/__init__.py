"""citynet: partner cities, networks, people and events for a city's international-relations office."""

__version__ = "0.1.0"
