"""Hub schema revisions."""
