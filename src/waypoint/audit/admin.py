"""Patient records are deliberately absent from the admin: every read of one must be audited,
which the registry's own pages and API do. The audit trail itself lives at /audit/."""
