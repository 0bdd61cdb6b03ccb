import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MASTER_KEY = "k1:" + "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVoxMjM0NTY="  # 32 bytes, base64


def _run(env_extra, tmp_path):
    env = {k: v for k, v in os.environ.items()
           if k not in {"SECRET_KEY", "DATABASE_URL", "ICMC_AUDIT_KEY", "ICMC_AUDIT_KEY_FILE", "ICMC_ENV",
                        "ICMC_MASTER_KEY", "ICMC_MASTER_KEY_FILE", "ICMC_MASTER_KEY_ID"}}
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings", "ICMC_VAR_DIR": str(tmp_path)}, **env_extra)
    return subprocess.run([sys.executable, "-c", "import django; django.setup()"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = _run({"ICMC_ENV": "production"}, tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_starts_with_a_secret_key(tmp_path):
    result = _run({"ICMC_ENV": "production", "SECRET_KEY": "x" * 60, "ICMC_AUDIT_KEY": "y" * 60,
                   "ICMC_MASTER_KEY": MASTER_KEY, "ALLOWED_HOSTS": "icmc.example"}, tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]


def test_production_refuses_to_start_without_an_audit_key(tmp_path):
    result = _run({"ICMC_ENV": "production", "SECRET_KEY": "x" * 60}, tmp_path)
    assert result.returncode != 0
    assert "ICMC_AUDIT_KEY" in result.stderr


def test_development_keeps_a_generated_key_outside_the_repository(tmp_path):
    assert _run({"ICMC_ENV": "development"}, tmp_path).returncode == 0
    key_file = tmp_path / "secret_key"
    assert key_file.exists() and len(key_file.read_text()) > 40
    assert oct(key_file.stat().st_mode)[-3:] == "600"


def test_production_refuses_to_start_without_a_master_key(tmp_path):
    result = _run({"ICMC_ENV": "production", "SECRET_KEY": "x" * 60, "ICMC_AUDIT_KEY": "y" * 60}, tmp_path)
    assert result.returncode != 0
    assert "ICMC_MASTER_KEY" in result.stderr
    assert not (tmp_path / "master_key").exists()


def test_a_malformed_master_key_stops_the_start_without_echoing_it(tmp_path):
    result = _run({"ICMC_ENV": "production", "SECRET_KEY": "x" * 60, "ICMC_AUDIT_KEY": "y" * 60,
                   "ICMC_MASTER_KEY": "k1:c2hvcnRrZXlzaG9ydGtleQ=="}, tmp_path)
    assert result.returncode != 0
    assert "32 bytes" in result.stderr and "c2hvcnRrZXlzaG9ydGtleQ" not in result.stderr


def test_development_keeps_a_generated_master_key_file_0600(tmp_path):
    assert _run({"ICMC_ENV": "development"}, tmp_path).returncode == 0
    key_file = tmp_path / "master_key"
    assert key_file.exists() and key_file.read_text().startswith("dev-")
    assert oct(key_file.stat().st_mode)[-3:] == "600"


def test_postgresql_connections_run_without_jit(db):
    """JIT compilation cost more than the short queries it compiled (docs/benchmarks.md): it is off per connection."""
    import pytest
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)
