"""Keycloak OpenID Connect: login, callback, logout, back-channel logout, roles, realm-as-code.

Never imports from `portal`: the portal calls into this package, not the other way round.
"""
