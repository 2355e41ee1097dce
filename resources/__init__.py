"""The station's resources (label templates, sounds, themes, translations), installed as the
package ``station.resources`` and read through ``station.resource_files``."""
