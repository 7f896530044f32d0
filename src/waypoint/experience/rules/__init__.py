"""Pure rules of the experience survey: the questionnaire, when it is due, small numbers."""
