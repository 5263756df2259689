"""Who is asking, and as whom: sessions and their CSRF tokens, staff accounts, the guard that
decides every request and connection, and the admission of tablets that join by code."""
