"""Reports store nothing: every figure is counted from the registry and the triage records when
it is asked for, so it can never disagree with them."""
