"""The same dd/mm/yyyy formats in English: the users read Vietnamese dates either way."""

from cchc.formats.vi.formats import *  # noqa: F403
