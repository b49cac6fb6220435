def directory_url(**params):
    from urllib.parse import urlencode

    return "/annuaire/?" + urlencode(params)


def enterprise_url(enterprise):
    return f"/annuaire/{enterprise.siren}/"
