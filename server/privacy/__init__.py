"""NEN 7513 and the AVG in one folder: who saw and changed what, and the family's rights over
its data (export, erasure, retention), and logs that never hold a secret."""
