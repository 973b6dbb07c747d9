from joinedup.forums.tests.conftest import conference  # noqa: F401
