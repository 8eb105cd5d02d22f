"""An engine that never leaves the machine: for tests, the benchmark and a desk with no engine."""

from workflow.machinery.base import Engine, EngineUnreachable


class FakeEngine(Engine):
    """Prefixes the target language; records what it was sent; can be told to be unreachable."""

    name = "fake"
    label = "Test engine"

    def __init__(self, **settings: object) -> None:
        super().__init__()
        self.sent: list[tuple[str, str]] = []
        self.down = False

    @property
    def outside(self) -> bool:
        return True  # behaves as an outside service would, so the embargo can be tested

    def translate_piece(self, text: str, target: str) -> str:
        if self.down:
            raise EngineUnreachable(self.label, "cannot be reached", "Check the network.")
        self.sent.append((target, text))
        return f"[{target}] {text}"

    @property
    def characters_sent(self) -> int:
        return sum(len(text) for _, text in self.sent)
