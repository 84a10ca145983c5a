"""The importer of the real data in ../shared/data (`flask seed`)."""
