"""Holistic needs assessment: the questionnaire, saved and resumed answers, due dates, distress."""
