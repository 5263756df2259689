"""Several processes serving the same meetings: PostgreSQL as the log and the truth, Redis as
the doorbell. See the README, "How it works" → "Several processes"."""
