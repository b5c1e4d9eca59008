from ..document import Document
from ..draft import DraftReporting


def extract_reporting(document: Document) -> list[DraftReporting]:
    return []
