"""The built-in Jinja templates, packaged as ``ansheng_cli.templates``."""
