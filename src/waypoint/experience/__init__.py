"""The patient-experience survey: what the study asked, asked again at intervals."""
