"""Population reports: how many people live with secondary breast cancer, how they present, how
fast symptom reports are answered and how long people live after a secondary diagnosis."""
