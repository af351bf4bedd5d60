from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgressConfig(AppConfig):
    name = "progress"
    verbose_name = _("Fremdrift")

    def ready(self):
        # The kept figures follow every change of placements and employers (progress.figures).
        from employers.signals import employer_counting_changed
        from placements.signals import placements_changed

        from . import figures

        placements_changed.connect(figures.on_placements_changed, dispatch_uid="progress.figures.placements")
        employer_counting_changed.connect(
            figures.on_employer_counting_changed, dispatch_uid="progress.figures.employers"
        )
