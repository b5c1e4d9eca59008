"""The production settings, with static files served from the source folders.

The drills run the application as in production (DEBUG=0, gunicorn) but skip
`collectstatic`, whose compression of the fonts takes a minute on a busy machine: the
pages under test do not depend on how static files are stored.
"""

from cchc.settings import *  # noqa: F403
from cchc.settings import STATIC_ROOT, STORAGES

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
WHITENOISE_USE_FINDERS = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
