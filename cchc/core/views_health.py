"""Liveness: `/healthz/` answers "ok" while the application process serves requests.

For the reverse proxy's and the process manager's health checks, and the "bare Django
view" the load test compares the application's throughput with (bench/load). It reads
neither the database nor the session, so a slow or absent database does not take the
web processes out of rotation; whether the data is reachable is what the pages say.
"""

from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@never_cache
@require_safe
def healthz(request):
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")
