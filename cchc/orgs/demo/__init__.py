"""Data generators: the demo province (`province`) and the national-scale tree (`national`).

Both are run by `cchc generate`; `names` holds the Vietnamese names they draw from and
`bulk` the helper that writes units and placements in bulk exactly as
`cchc.orgs.services.unit_create` would.
"""
