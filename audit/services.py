"""Recording access to personal data. Call inside the transaction of the write it logs."""

from .models import AccessLog


def access_log_record(*, user, action, obj=None, model="", municipality=None, purpose=""):
    if obj is not None:
        model = obj._meta.label
        municipality = municipality or getattr(obj, "municipality", None)
    return AccessLog.objects.create(
        user=user,
        action=action,
        model=model,
        object_id=obj.pk if obj is not None else None,
        municipality=municipality,
        purpose=purpose,
    )
