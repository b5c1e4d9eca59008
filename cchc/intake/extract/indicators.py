from ..document import Document
from ..draft import DraftIndicator


def extract_indicators(document: Document) -> list[DraftIndicator]:
    return []
