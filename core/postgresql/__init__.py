"""The portal's database backend: Django's PostgreSQL backend with rollback hooks (see base.py)."""
