"""schema.org GovernmentService markup of a matter, for search engines and assistants."""

from flask import url_for


def government_service(matter):
    data = {
        "@context": "https://schema.org",
        "@type": "GovernmentService",
        "identifier": matter.code,
        "name": matter.name,
        "url": url_for("catalogue.guide", code=matter.code, _external=True),
        "serviceType": matter.matter_type,
        "provider": {"@type": "GovernmentOrganization", "name": matter.department.name},
        "areaServed": matter.region_name,
        "audience": [{"@type": "Audience", "audienceType": audience} for audience in matter.audiences or []],
    }
    if matter.short_name:
        data["alternateName"] = matter.short_name
    if matter.handling_url:
        data["availableChannel"] = {
            "@type": "ServiceChannel",
            "serviceUrl": url_for("catalogue.go", code=matter.code, _external=True),
            "name": matter.platform.name if matter.platform else matter.platform_name,
        }
    if matter.consult_phone or matter.location:
        data["serviceLocation"] = {"@type": "Place", "address": matter.location, "telephone": matter.consult_phone}
    return {key: value for key, value in data.items() if value not in (None, [], "")}
