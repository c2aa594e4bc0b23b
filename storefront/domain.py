"""The base of every domain error (AccountError, BoothError, CatalogueError…): a message a person reads,
translated when raised in the language of the request, and the form field it belongs under."""
from flask_babel import lazy_gettext as _l


class DomainError(Exception):
    message = _l("This change could not be saved.")
    field = None  # the form field the message belongs under (None: the form or page as a whole)

    def __init__(self, message=None, field=None, **values):
        text = str(message or self.message)
        self.field = field or self.field
        super().__init__(text % values if values else text)
