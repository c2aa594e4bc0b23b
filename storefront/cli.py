"""`flask --app wsgi ocop …`: the market's commands. Domains add theirs in the factory."""
import click


@click.group("ocop", help="Chợ OCOP commands.")
def ocop():
    pass
