"""Runs operations against a real Django project for test/django.test.ts, in one long-lived Python process.

Reads one JSON list of operations per line on stdin and answers one JSON line per request: {"results": [...]}
(one result per operation) or {"error": "<traceback>"}. Starting Django once, not per request, keeps the
tests quick. The settings module (written by the test into a temporary directory) names the database and
PASSWORD_HASHERS.
"""
import io
import json
import sys
import traceback

import django

django.setup()

from django.contrib.auth import authenticate  # noqa: E402
from django.contrib.auth.hashers import get_hasher, make_password  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from rest_framework.authtoken.models import Token  # noqa: E402


def run(op):
    kind = op["op"]
    if kind in ("migrate", "check", "flush"):
        if kind == "flush":
            call_command("flush", interactive=False, verbosity=0)
            return True
        out = io.StringIO()
        call_command(kind, stdout=out, stderr=out, verbosity=1)
        return out.getvalue()
    if kind == "create_user":
        user = User.objects.create_user(op["username"], op.get("email", ""), op.get("password"))
        if op.get("hasher"):
            hasher = get_hasher(op["hasher"])
            for name, value in op.get("params", {}).items():
                setattr(hasher, name, value)
            user.password = make_password(op["password"], hasher=hasher)
        if op.get("unusable"):
            user.set_unusable_password()
        user.is_active = op.get("active", True)
        user.save()
        return {"id": user.id, "password": user.password}
    if kind == "create_token":
        return Token.objects.create(user=User.objects.get(username=op["username"])).key
    if kind == "authenticate":
        # ModelBackend: exact username, the configured hashers, is_active; re-hashes as Django does.
        user = authenticate(username=op["username"], password=op["password"])
        return user.username if user else None
    if kind == "check_password":
        return User.objects.get(username=op["username"]).check_password(op["password"])
    if kind == "password":
        return User.objects.get(username=op["username"]).password
    if kind == "token_user":
        token = Token.objects.filter(key=op["key"]).select_related("user").first()
        return token.user.username if token else None
    if kind == "delete_user":
        User.objects.get(username=op["username"]).delete()
        return True
    if kind == "rename":
        user = User.objects.get(username=op["username"])
        user.username = op["to"]
        user.save()
        return True
    if kind == "admin_log":
        # Django's own reading of its admin log: LogEntry, its content type, and the message its History shows.
        from django.contrib.admin.models import LogEntry

        return [
            {
                "user": entry.user.username,
                "content_type": "%s.%s" % (entry.content_type.app_label, entry.content_type.model),
                "object_id": entry.object_id,
                "object_repr": entry.object_repr,
                "action_flag": entry.action_flag,
                "is_addition": entry.is_addition(),
                "is_change": entry.is_change(),
                "is_deletion": entry.is_deletion(),
                "change_message": entry.get_change_message(),
                "str": str(entry),
            }
            for entry in LogEntry.objects.filter(user__username=op["by"]).select_related("user", "content_type").order_by("id")
        ]
    if kind == "usernames":
        return sorted(User.objects.values_list("username", flat=True))
    raise ValueError("unknown operation %r" % kind)


for line in sys.stdin:
    try:
        answer = {"results": [run(op) for op in json.loads(line)]}
    except Exception:  # the test shows the traceback
        answer = {"error": traceback.format_exc()}
    sys.stdout.write(json.dumps(answer) + "\n")
    sys.stdout.flush()
