# The hotline works on the knowledge base: the same departments, matter, answer and staff.
from tests.knowledge.conftest import kb  # noqa: F401
