"""The cycle of illness and care: progression, response, MDT discussions, contacts, admissions."""
