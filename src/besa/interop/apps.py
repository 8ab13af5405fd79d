from django.apps import AppConfig


class InteropConfig(AppConfig):
    name = "besa.interop"
    label = "interop"
    verbose_name = "Interoperabilidad"

    def ready(self) -> None:
        from besa.interop.cfdi import checking
        from besa.logbook.append import before_append

        # A CFDI may be cancelled after it was received: ask the SAT again before a payment
        # or the closure is recorded, and record the answer first (A15 reads it).
        before_append(checking.before_entry)
