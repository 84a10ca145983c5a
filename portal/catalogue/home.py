"""What the home page shows: popular matters, themes for 个人 and 法人, life events, departments."""

from portal import content_generation
from portal.catalogue.browse import browse
from portal.catalogue.taxonomy import ENTERPRISE_THEMES, LIFE_EVENTS, PERSONAL_THEMES
from portal.popularity import popular_matters

THEMES_SHOWN = 12
DEPARTMENTS_SHOWN = 16


def _ordered(facet, names):
    counts = {item.value: item.count for item in facet}
    shown = [(name, counts[name]) for name in names if counts.get(name)]
    return sorted(shown, key=lambda pair: -pair[1])[:THEMES_SHOWN]


def home_sections():
    """The popular matters (they follow use, which moves no content generation) and the counted
    sections, which depend on the published catalogue only: counted once per content generation,
    not on every rendering (three counting passes over the whole catalogue were ~3/4 of the page)."""
    return {"popular": popular_matters(), **content_generation.kept("catalogue.home_sections", _counted_sections)}


def _counted_sections():
    facets = browse({}, with_matters=False).facets
    life_event_counts = {item.value: item.count for item in facets["life_event"]}
    # Counted per audience, as the links go to theme + audience.
    personal = browse({"audience": "自然人"}, with_matters=False).facets["theme"]
    enterprise = browse({"audience": "法人"}, with_matters=False).facets["theme"]
    return {
        "personal_themes": _ordered(personal, PERSONAL_THEMES),
        "enterprise_themes": _ordered(enterprise, ENTERPRISE_THEMES),
        "life_events": [(event, life_event_counts[event.name]) for event in LIFE_EVENTS
                        if life_event_counts.get(event.name)],
        "departments": facets["department"][:DEPARTMENTS_SHOWN],
        "department_total": len(facets["department"]),
    }
