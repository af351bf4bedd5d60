"""Account workflows shared by the apps above."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction


def is_system_user(user):
    """A system user is inactive and has no usable password: no one can log in as it."""
    return not user.is_active and not user.has_usable_password()


def system_user(*, usernames, first_name):
    """The user the access log names for work no person does (an import from the command
    line, the retention job), created on demand: inactive, no usable password, no roles.

    A person could register the first username before the system user exists, so the name
    alone proves nothing: the system user is the one with that name that is a system user;
    if a real user holds it, the next name is used."""
    User = get_user_model()
    for username in usernames:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, first_name=first_name, last_name="(system)", is_active=False)
            user.set_unusable_password()
            try:
                with transaction.atomic():
                    user.save()
            except IntegrityError:  # created meanwhile by another run or a registration
                user = User.objects.get(username=username)
        if is_system_user(user):
            return user
    raise ImproperlyConfigured("The system usernames %s are all held by real users." % ", ".join(usernames))
