"""What a unit's page tells search engines: schema.org Organization data, written out by the
page's template as JSON-LD (as the publications' Report data, publications/structured_data.py)."""


def organization_json_ld(enterprise, url):
    """schema.org Organization data about `enterprise` (its located establishments read in
    `located_establishments`), seen at `url`."""
    data = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": enterprise.name,
        "url": url,
        "identifier": {"@type": "PropertyValue", "propertyID": "SIREN", "value": enterprise.siren},
        "sameAs": [f"https://annuaire-entreprises.data.gouv.fr/entreprise/{enterprise.siren}"],
    }
    if enterprise.acronym:
        data["alternateName"] = enterprise.acronym
    if enterprise.created_on:
        data["foundingDate"] = enterprise.created_on.isoformat()
    if enterprise.website:
        data["sameAs"].append(enterprise.website)
    establishments = getattr(enterprise, "located_establishments", [])
    head_office = next((e for e in establishments if e.head_office), None)
    if head_office is not None:
        data["address"] = postal_address(head_office)
    if establishments:
        data["location"] = [
            {"@type": "Place", "address": postal_address(e)} for e in establishments[:20]
        ]
    return data


def postal_address(establishment):
    address = {"@type": "PostalAddress", "addressCountry": "FR", "addressRegion": "Normandie"}
    if establishment.address:
        address["streetAddress"] = establishment.address
    if establishment.postcode:
        address["postalCode"] = establishment.postcode
    locality = establishment.commune.name if establishment.commune_id else establishment.city
    if locality:
        address["addressLocality"] = locality
    return address
