"""Support: the services directory, referrals, offers, peer groups and the resource pack."""
