from channels.generic.websocket import JsonWebsocketConsumer


class PingConsumer(JsonWebsocketConsumer):
    """Answers {"type": "pong"} to anything: proves the WebSocket path works end to end."""

    def connect(self) -> None:
        self.accept()

    def receive_json(self, content: object, **kwargs: object) -> None:
        self.send_json({"type": "pong"})
