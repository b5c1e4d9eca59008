from ..document import Document
from ..draft import DraftTask


def extract_tasks(document: Document) -> list[DraftTask]:
    return []
