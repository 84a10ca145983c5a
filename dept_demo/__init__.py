"""A small demo department platform (部门业务系统): its own Flask app, Keycloak client and port,
proving that a person signed in on the portal arrives here signed in, and that signing out
anywhere signs out here too (back-channel logout)."""
