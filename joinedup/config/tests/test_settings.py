"""Production settings: `check --deploy` passes with only the three variables set; no demo there."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
STRONG_KEY = "k3y-" + "x7Qp2LmZ9vR4tW8sN1cB6yH0jF5gD3aE" * 2


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v for k, v in os.environ.items() if k not in {"DEBUG", "DEMO_MODE", "SECRET_KEY", "HTTPS", "DATABASE_URL"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


PRODUCTION = {"DEBUG": "false", "SECRET_KEY": STRONG_KEY, "ALLOWED_HOSTS": "joinedup.example.org"}


def test_deploy_check_passes_with_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_deploy_check_refuses_a_generated_secret_key():
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    result = _manage("check", "--deploy", **env)
    assert result.returncode != 0
    assert "joinedup.E002" in result.stderr


def test_deploy_check_refuses_demo_mode():
    result = _manage("check", "--deploy", **PRODUCTION, DEMO_MODE="true")
    assert result.returncode != 0
    assert "joinedup.E001" in result.stderr


def test_persona_switcher_does_not_exist_under_production_settings():
    probe = (
        "import django; django.setup();"
        "from django.urls import resolve, Resolver404;"
        "from django.conf import settings;\n"
        "try:\n    resolve('/demo/personas'); print('ROUTED')\n"
        "except Resolver404:\n    print('ABSENT')\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DEMO_MODE"}}
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        env={**env, **PRODUCTION, "DJANGO_SETTINGS_MODULE": "joinedup.config.settings"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.stdout.strip() == "ABSENT", result.stderr


@pytest.mark.django_db
def test_persona_switcher_is_404_even_if_reached_outside_demo_mode(client, settings):
    from django.http import Http404
    from django.test import RequestFactory

    from joinedup.demo.views import personas

    settings.DEMO_MODE = False
    request = RequestFactory().get("/demo/personas")
    with pytest.raises(Http404):
        personas(request)
