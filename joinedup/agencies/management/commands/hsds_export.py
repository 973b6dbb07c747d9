"""manage.py hsds_export DIR: write the service directory as HSDS 3 (Open Referral UK) JSON."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from joinedup.agencies.directory.hsds import export_files


class Command(BaseCommand):
    help = (
        "Write organizations.json and services.json (JSON arrays of full HSDS organizations and services), "
        "and taxonomies.json, into DIR."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", metavar="DIR", help="folder to write into (made if missing)")

    def handle(self, *args: Any, **options: Any) -> None:
        directory = Path(options["directory"])
        if directory.exists() and not directory.is_dir():
            raise CommandError(f"{directory} is a file, not a folder")
        try:
            written = export_files(directory)
        except OSError as error:
            raise CommandError(f"Could not write to {directory}: {error.strerror or error}") from None
        for name, count in written.items():
            self.stdout.write(f"{directory / name}: {count} item{'s' if count != 1 else ''}")
