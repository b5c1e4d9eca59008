from ..document import Document
from ..draft import PlanHeader


def extract_header(document: Document) -> PlanHeader:
    return PlanHeader()
