"""Personal data retention: the purge (``purge``) and its daily run (``schedule``)."""

from station.privacy.purge import PrivacyPurge, PurgeReport, RetentionPolicy
from station.privacy.schedule import DailyPurge

__all__ = ["DailyPurge", "PrivacyPurge", "PurgeReport", "RetentionPolicy"]
