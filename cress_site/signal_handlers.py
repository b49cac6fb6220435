from django.db.models.signals import post_save
from django.dispatch import receiver

from cress_site.models import CustomDocument
from cress_site.tasks import schedule_analysis


@receiver(post_save, sender=CustomDocument)
def analyse_new_files(sender, instance, raw=False, **kwargs):
    if not raw and instance.needs_analysis:
        schedule_analysis(instance)
