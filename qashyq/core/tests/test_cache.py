import pytest
from django.conf import settings

from qashyq.core.cache import RedisCache


@pytest.mark.skipif(not settings.REDIS_URL, reason="no Redis in this set-up (REDIS_URL)")
def test_the_redis_cache_keeps_one_client_per_pool_and_works_through_it():
    cache = RedisCache(settings.REDIS_URL, {"KEY_PREFIX": "test-core-cache"})
    client = cache._cache.get_client()
    assert cache._cache.get_client(write=True) is client  # one server: one pool, one client
    cache.set("answer", {"seq": 3}, 30)
    assert cache.get("answer") == {"seq": 3}
    cache.delete("answer")
    assert cache.get("answer") is None
