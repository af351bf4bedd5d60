"""The migration that brought approvals: invitations sent before it stay approved, except a
staff invitation from someone who may not approve one, which now waits like a new one."""

import importlib

from django.apps import apps

from accounts.models import Role
from workspace.models import Invitation, Member
from tests.factories import make_user

migration = importlib.import_module("workspace.migrations.0002_invitation_approval")


def invite(task_force, by, kind, email):
    return Invitation.objects.create(task_force=task_force, email=email, first_name="A", last_name="B",
                                     kind=kind, invited_by=by)


def test_only_staff_invitations_from_approvers_stay_approved(task_force, consultant, manager, admin_user, odense):
    foreign_manager = make_user("chef-odense", odense, Role.MANAGER)
    leader = invite(task_force, consultant, Member.Kind.LEADER, "leder@x.dk")
    facilitator = invite(task_force, consultant, Member.Kind.FACILITATOR, "fac@x.dk")
    by_consultant = invite(task_force, consultant, Member.Kind.STAFF, "a@x.dk")
    by_manager = invite(task_force, manager, Member.Kind.STAFF, "b@x.dk")
    by_superuser = invite(task_force, admin_user, Member.Kind.STAFF, "c@x.dk")
    by_foreign_manager = invite(task_force, foreign_manager, Member.Kind.STAFF, "d@x.dk")
    migration.approve_earlier_invitations(apps, None)
    approved = set(Invitation.objects.filter(approved_at__isnull=False).values_list("pk", flat=True))
    assert approved == {leader.pk, facilitator.pk, by_manager.pk, by_superuser.pk}
    assert not {by_consultant.pk, by_foreign_manager.pk} & approved
    by_manager.refresh_from_db()
    assert by_manager.approved_by == manager and by_manager.approved_at == by_manager.created_at
