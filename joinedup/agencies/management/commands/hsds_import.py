"""manage.py hsds_import PATH...: load HSDS 3 (Open Referral UK) JSON into the service directory."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from joinedup.agencies.directory.hsds import KINDS, HsdsError, import_files


class Command(BaseCommand):
    help = (
        "Import HSDS 3 / Open Referral UK JSON files (an object, a list, or an API page of organizations, "
        "services, service_at_locations, locations, taxonomies or taxonomy terms). Rows are upserted by "
        "their HSDS id, so importing the same files again changes nothing. All files or none."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", metavar="PATH", help="JSON files to import")
        parser.add_argument(
            "--kind", choices=KINDS, help="what the files hold, when it cannot be told from the objects' fields"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = import_files(options["paths"], kind=options.get("kind"))
        except HsdsError as error:
            raise CommandError(f"Nothing was imported. {error}") from None
        for line in report.lines():
            self.stdout.write(line)
        if not report.changed:
            self.stdout.write("The directory already held all of this: nothing changed.")
