from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
def no_role(request):
    """A logged-in user without any membership: tell them whom to ask."""
    return render(request, "accounts/no_role.html")
