from django.conf import settings


def service(request):
    """The service name for the header and page titles."""
    return {"service_name": settings.SERVICE_NAME}
