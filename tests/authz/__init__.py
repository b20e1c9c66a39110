"""The authorization matrix: every operation × every role and API-client scope, and the test that walks it."""
