from django.conf import settings


def display(request):
    return {
        "elderly_mode": getattr(request, "elderly_mode", False),
        "sample_label": settings.EBAN_SAMPLE_LABEL,
    }
