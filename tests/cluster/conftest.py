from tests.cluster.harness import pg_url

__all__ = ["pg_url"]
