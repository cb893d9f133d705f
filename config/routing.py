"""WebSocket routes, all under /ws/. Apps add theirs here as they come."""

from django.urls import path

from qashyq.core.consumers import PingConsumer

websocket_urlpatterns = [
    path("ws/ping/", PingConsumer.as_asgi()),
]
